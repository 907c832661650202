// The layer and module rules of docs/architecture.md, checked on every `npm run lint`
// (`npm run lint:deps`). dependency-cruiser reads imports only; who writes the registry tables is
// checked by src/modules/registry-writers.test.ts.

// Read models: they compose several modules for one page and may read those modules' queries.
const readModels = '^src/modules/(reports|business-page)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import circles: the module graph is one-way (see docs/architecture.md). A circle closed only by `import type` is erased at run time and allowed here; the module graph (lint:graph) still counts it.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain is pure rules: it imports nothing of ours outside src/domain.',
      from: { path: '^src/domain/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(src|web|bench|test)/', pathNot: '^src/domain/' },
    },
    {
      name: 'lib-below-modules',
      severity: 'error',
      comment: 'src/lib is the toolbox every module uses; it depends on no module, CLI or assembly.',
      from: { path: '^src/lib/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/(modules|app|cli)/|^src/server\\.ts$' },
    },
    {
      name: 'access-below-modules',
      severity: 'error',
      comment: 'src/access decides access for every module from the tables; it imports no module.',
      from: { path: '^src/access/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/(modules|app|cli)/|^src/server\\.ts$' },
    },
    {
      name: 'modules-below-assembly',
      severity: 'error',
      comment: 'Modules do not reach up into the assembly (src/app), the CLI or the server.',
      from: { path: '^src/modules/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/(app|cli)/|^src/server\\.ts$' },
    },
    {
      name: 'no-foreign-queries',
      severity: 'error',
      comment:
        'A module uses another module through its service (or schema), never its *.queries.ts; read models are the exception.',
      from: { path: '^src/modules/([^/]+)/', pathNot: readModels },
      to: { path: '^src/modules/([^/]+)/[^/]+\\.queries\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'web-imports-schemas-only',
      severity: 'error',
      comment:
        'The web app shares the zod schemas with the server (src/modules/*/*.schema.ts) and pure domain rules (src/domain, e.g. the password policy), nothing else.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/modules/[^/]+/[^/]+\\.schema\\.ts$', '^src/domain/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(web/dist|test-output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
