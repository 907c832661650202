import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowestFirstSequencer from './src/testing/sequencer.ts';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Vitest's default is one worker fewer than the cores, which on a two-core machine runs every
// file one after the other. An API test file waits on its database half of the time (the
// PostgreSQL server is another process), so one worker per core keeps both cores busy.
const workers = Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    maxWorkers: workers,
    // The slowest API files start first (src/testing/sequencer.ts, docs/testing.md).
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src/domain/**/*.test.ts',
            'src/lib/**/*.test.ts',
            'src/access/**/*.test.ts',
            'src/reference/**/*.test.ts',
            'src/testing/**/*.test.ts',
          ],
          // As in the api projects, a worker keeps its module cache from file to file: most of
          // these files take milliseconds, and an isolated file first imports its modules again
          // (0.7 of the CPU without isolation: docs/testing.md, "Eighth stop"). No file may leave
          // module-level state behind; stubbed globals are unstubbed after each test.
          isolate: false,
        },
      },
      // The web app's own logic (offline outbox and its sync), in Node with an in-memory IndexedDB.
      { test: { name: 'web', include: ['web/src/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'api-pglite',
          include: ['src/modules/**/*.test.ts', 'src/cli/**/*.test.ts', 'test/api/**/*.test.ts'],
          env: { PULIH_TEST_ENGINE: 'pglite' },
          // The files of a worker share its module cache: the server's import (fastify, drizzle,
          // PGlite, every schema) costs seconds, and each file builds its own app and database
          // anyway. So no test file may leave module-level state behind.
          isolate: false,
          globalSetup: ['src/testing/global-setup.ts'],
          // A bound for a busy two-core machine, not an expected duration.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'api-postgres',
          include: ['src/modules/**/*.test.ts', 'src/cli/**/*.test.ts', 'test/api/**/*.test.ts'],
          env: { PULIH_TEST_ENGINE: 'postgres', TEST_DATABASE_URL: postgresUrl },
          isolate: false,
          globalSetup: ['src/testing/global-setup.ts'],
          // A bound for a busy two-core machine, not an expected duration.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Each file's server runs on a copy of a PostgreSQL database holding the demo
          // (test/browser/global-setup.ts); PULIH_TEST_ENGINE=pglite runs them on PGlite.
          env: { TEST_DATABASE_URL: postgresUrl },
          globalSetup: ['test/browser/global-setup.ts'],
          // Bounds for a busy two-core machine, not expected durations: beside the API files, a
          // file's beforeAll (server, Chromium, its fixture through the API) took over 180 s
          // under a load average of 30.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // `expect.poll` waits on a condition; by default it gives up after one second, which
          // a page on a loaded machine can miss. A bound, not an expected duration.
          expect: { poll: { timeout: 30_000 } },
          // No retry: a retry costs a test's time again and hides a regression that fails one
          // run in two (docs/testing.md, "Eighth stop" and "Ninth stop").
          // The browser files run beside each other and beside the API files: nothing shared
          // collides (each file serves its own copy of the demo on a port of its own, and
          // screenshot names differ), and every wait is on a condition (docs/testing.md,
          // "Fourth stop"). Like the API projects, a worker keeps its module cache from file
          // to file: the server's import is not repeated for each.
          isolate: false,
        },
      },
    ],
  },
});
