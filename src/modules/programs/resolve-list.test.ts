import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businesses } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// An uploaded or pasted list of NIKs and refs, resolved to businesses before a bulk enrolment:
// found within the caller's reach, the NIK never echoed in full, and nothing said about a line
// that names a business out of reach (the same answer as for one that names nothing).

type Line = {
  line: number;
  input: string;
  kind: string;
  status: string;
  businessId?: string;
  businessName?: string;
};

let t: TestApp;
let officer: TestUser;
let programId: string;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  programId = (
    await createProgramAs(t, officer.cookie, {
      name: 'Pelatihan Daftar Tempel',
      type: 'training',
      capacity: 10,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
    })
  ).id;
}, 120_000);
afterAll(async () => t?.close());

async function resolve(lines: string[], cookie = officer.cookie) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/applications/resolve`,
    headers: { cookie },
    payload: { lines },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { items: (res.json() as { items: Line[] }).items, body: res.body };
}

describe('resolving a list of NIKs and refs', () => {
  it('finds businesses by NIK (spaced or dotted) and by ref, masks the NIK, skips blank lines', async () => {
    const [a, b] = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004'] });
    const ref = `BB-${a!.id.slice(0, 6)}`;
    await t.ctx.db.update(businesses).set({ ref }).where(sql`id = ${b!.id}`);
    const spaced = `${a!.nik.slice(0, 6)} ${a!.nik.slice(6, 12)}.${a!.nik.slice(12)}`;
    const { items, body } = await resolve([spaced, '', `  ${ref}  `]);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ line: 1, kind: 'nik', status: 'found', businessId: a!.id });
    expect(items[0]!.input).toBe(`${a!.nik.slice(0, 4)}********${a!.nik.slice(12)}`);
    expect(items[1]).toMatchObject({ line: 3, kind: 'ref', status: 'found', businessId: b!.id, input: ref });
    expect(body).not.toContain(a!.nik);
    expect(body).not.toContain(b!.nik);
  });

  it('names every business of an owner whose NIK is listed', async () => {
    const made = await bulkBusinesses(t.ctx.db, 2, { regionCodes: ['62.71.02.1004'], businessesPerOwner: 2 });
    const { items } = await resolve([made[0]!.nik]);
    expect(items.map((i) => i.businessId).sort()).toEqual(made.map((b) => b.id).sort());
    expect(items.every((i) => i.line === 1)).toBe(true);
  });

  it('gives a kecamatan officer the same not_found for another kecamatan’s business as for an unknown NIK', async () => {
    const kecamatanOfficer = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const [own] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.02.1004'] });
    const [other] = await bulkBusinesses(t.ctx.db, 1, { regionCodes: ['62.71.05.1001'] });
    const unknownNik = `${other!.nik.slice(0, 12)}${String((Number(other!.nik.slice(12)) + 5000) % 10000).padStart(4, '0')}`;
    const { items, body } = await resolve([own!.nik, other!.nik, unknownNik], kecamatanOfficer.cookie);
    expect(items[0]).toMatchObject({ status: 'found', businessId: own!.id });
    const strip = ({ input: _input, line: _line, ...rest }: Line) => rest;
    expect(strip(items[1]!)).toEqual({ kind: 'nik', status: 'not_found' });
    expect(strip(items[2]!)).toEqual(strip(items[1]!));
    expect(body).not.toContain(other!.id);
    expect(body).not.toContain(other!.nik);
  });
});
