import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order in which one `vitest run` starts its test files (docs/testing.md, "Order").
//
// Vitest's own order runs the projects one after another (by name) and, on a clean clone
// with no cache of durations, the larger files first. A file of a minute or two that starts
// last then runs alone on one core at the end. So the files that take longest start first,
// and the rest follow in Vitest's order, which keeps the files of one project together: the
// api projects' `isolate: false` runner is handed on only to a next file of the same project.
//
// The list holds the slowest files of the first project in Vitest's order (api-pglite,
// docs/testing.md), slowest first, as `project:path`; a file missing from it only starts
// later. Only that project's: a worker that takes a file of another project starts afresh
// and imports the server again (1.2–5 s each), and a list alternating the two engines made
// ten such starts where one project's files make four (docs/testing.md, "Twelfth stop").
// The other engine's slow files still run long before the end: the browser files (370 s of
// files on a clean clone) follow both api projects.
export const slowestFirst = [
  'api-pglite:src/cli/data-folder.test.ts',
  'api-pglite:src/modules/imports/imports.test.ts',
  'api-pglite:src/modules/backup/backup.test.ts',
  'api-pglite:src/cli/demo.test.ts',
  'api-pglite:src/cli/import-interrupt.test.ts',
];

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const index = slowestFirst.indexOf(`${spec.project.name}:${relative(root, spec.moduleId)}`);
      return index === -1 ? slowestFirst.length : index;
    };
    // Array.prototype.sort is stable: the files off the list keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
