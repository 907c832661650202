import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../cli/openapi.ts';

// The OpenAPI document is for those who integrate with Pulih: every operation named and
// summarised, and good enough to generate a typed client that a compiler holds calls to.

type Operation = { operationId?: string; summary?: string; responses?: Record<string, unknown> };
type Document = { paths: Record<string, Record<string, Operation>> };

let document: Document;
let dir: string;
let generated: string;

beforeAll(async () => {
  document = (await openApiDocument()) as Document;
  dir = mkdtempSync(join(tmpdir(), 'pulih-client-'));
  // defaultNonNullable off: a field with a default may be left out of a request body.
  const ast = await openapiTS(document as never, { defaultNonNullable: false });
  generated = astToString(ast);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

// A small client over the generated types, as an integrator would write one: the path and
// the method pick the body, the path parameters and the answer.
const client = `
import type { paths } from './api.d.ts';
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Body<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : undefined;
type Params<O> = O extends { parameters: { path: infer X } } ? X : undefined;
type Ok<O> = O extends { responses: { 200: infer R } } ? Json<R> : O extends { responses: { 201: infer R } } ? Json<R> : never;
export declare function call<P extends keyof paths, M extends keyof paths[P] & string>(
  method: M, path: P, init: { params: Params<Op<P, M>>; body: Body<Op<P, M>> },
): Promise<Ok<Op<P, M>>>;
`;

// One compiler run over the client and the calls; the errors of each file.
function typeErrors(files: Record<string, string>): Record<string, string[]> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      types: [],
    },
  );
  const global = program.getGlobalDiagnostics().concat(program.getOptionsDiagnostics());
  return Object.fromEntries(
    Object.keys(files).map((name) => {
      const source = program.getSourceFile(join(dir, name));
      const diagnostics = [
        ...global,
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ];
      return [name, diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))];
    }),
  );
}

describe('the OpenAPI document', () => {
  it('names and summarises every operation, once, with a 4xx answer', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(operations().length).toBeGreaterThan(50);
    for (const { path, method, op } of operations()) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(
        Object.keys(op.responses ?? {}).some((s) => s.startsWith('4')),
        `${method} ${path}`,
      ).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('generates a typed client whose calls type-check, and whose wrong calls do not', {
    timeout: 180_000,
  }, () => {
    const errors = typeErrors({
      'api.d.ts': generated,
      'client.ts': client,
      'good.ts': `
import { call } from './client.ts';
export async function run() {
  const program = await call('post', '/programs', {
    params: undefined,
    body: {
      name: 'Pelatihan Anyaman Rotan', type: 'training', capacity: 20, selection: 'first_come',
      startDate: '2031-08-24', endDate: '2031-08-28', venue: 'Aula', eligibility: {},
    },
  });
  const id: string = program.id;
  const applications = await call('get', '/programs/{id}/applications', { params: { id }, body: undefined });
  const next: string | null = applications.nextCursor;
  return [next, applications.items.map((a) => a.status)];
}
`,
      'bad.ts': `
import { call } from './client.ts';
export async function run() {
  await call('post', '/programs', { params: undefined, body: { name: 'x', type: 'festival' } });
  const applications = await call('get', '/programs/{id}/applications', { params: { id: 1 }, body: undefined });
  const n: number = applications.nextCursor;
  return n;
}
`,
    });
    expect(errors['api.d.ts']).toEqual([]);
    expect(errors['client.ts']).toEqual([]);
    expect(errors['good.ts']).toEqual([]);
    // A type the document does not allow, a number for the id, a cursor taken for a number.
    expect(errors['bad.ts']?.length).toBeGreaterThanOrEqual(3);
  });
});
