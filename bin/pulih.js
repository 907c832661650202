#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a fresh clone needs no build step
// for the server or the CLI (the web app is built by `npm run build`).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
