import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../cli/openapi.ts';
import { policy } from '../policies.ts';

// Every operation says what it needs: the capability (or 'public' / 'signedIn') and the roles
// that hold it, taken from the route's own declaration, which is also what its guard checks.

type Operation = {
  operationId?: string;
  security?: unknown[];
  description?: string;
  'x-pulih-permission'?: string;
  'x-pulih-roles'?: string[];
};
type Document = { paths: Record<string, Record<string, Operation>> };

let operations: { name: string; op: Operation }[];

beforeAll(async () => {
  const document = (await openApiDocument()) as Document;
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
}, 120_000);

describe('access in the OpenAPI document', () => {
  it('names a known permission on every operation, with the roles that hold it', () => {
    expect(operations.length).toBeGreaterThan(50);
    const known = new Set<string>(['public', 'signedIn', ...Object.keys(policy)]);
    const undeclared = operations.filter(({ op }) => !known.has(op['x-pulih-permission'] ?? ''));
    expect(undeclared.map(({ name }) => name)).toEqual([]);
    for (const { name, op } of operations) {
      const permission = op['x-pulih-permission'] as string;
      const roles = permission in policy ? policy[permission as keyof typeof policy] : [];
      expect(op['x-pulih-roles'], name).toEqual(roles);
      expect(op.description, name).toMatch(
        /Public: no login needed\.|logged-in user|Needs the \w+ capability/,
      );
    }
  });

  it('asks for no credentials exactly on the public operations', () => {
    for (const { name, op } of operations) {
      const isPublic = op['x-pulih-permission'] === 'public';
      expect(Array.isArray(op.security) && op.security.length === 0, name).toBe(isPublic);
    }
  });

  it('shows the two capabilities that were once hidden in route guards', () => {
    const byId = new Map(operations.map(({ op }) => [op.operationId, op]));
    expect(byId.get('getSession')?.['x-pulih-permission']).toBe('readParticipants');
    expect(byId.get('getSession')?.['x-pulih-roles']).not.toContain('owner');
    expect(byId.get('startScreening')?.['x-pulih-permission']).toBe('screenRegistry');
    expect(byId.get('startScreening')?.['x-pulih-roles']).toContain('kecamatan_officer');
  });
});
