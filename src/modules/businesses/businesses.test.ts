import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessBody, createBusiness, createTestApp, createUser, type TestApp, type TestUser } from '../../testing/harness.ts';

let t: TestApp;
let officer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  admin = await createUser(t, 'admin');
});
afterAll(async () => t?.close());

const post = (cookie: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/businesses', headers: { cookie }, payload: payload as object });

describe('businesses', () => {
  it('registers a business with its owner and masks the NIK', async () => {
    const body = businessBody({ name: 'Anyaman Rotan Ibu Siti' });
    const res = await post(officer.cookie, body);
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item.kecamatan).toBe('62.71.02');
    expect(item.kecamatanName).toBe('Bukit Batu');
    expect(item.kelurahanName).toBe('Tangkiling');
    expect(item.size).toBe('mikro');
    expect(item.owner.nik).not.toBe(body.owner.nik);
    expect(item.owner.nik).toMatch(/^6271\*{8}\d{4}$/);
    expect(res.body).not.toContain(body.owner.nik);

    const detail = await t.app.inject({ url: `/api/v1/businesses/${item.id}`, headers: { cookie: officer.cookie } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(body.owner.nik);
    expect(detail.json().applications).toEqual([]);
  });

  it('rejects bad input with stable codes and keeps nothing', async () => {
    const badNik = await post(officer.cookie, { ...businessBody(), owner: { ...businessBody().owner, nik: '1234' } });
    expect(badNik.statusCode).toBe(422);
    expect(badNik.json().error.code).toBe('invalid_nik');
    const badRegion = await post(officer.cookie, { ...businessBody(), regionCode: '99.99.99' });
    expect(badRegion.json().error.code).toBe('invalid_region');
    const badPhone = await post(officer.cookie, { ...businessBody(), owner: { ...businessBody().owner, phone: '12345' } });
    expect(badPhone.json().error.code).toBe('invalid_phone');
    const missing = await post(officer.cookie, { name: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_failed');
    expect(missing.json().error.details.length).toBeGreaterThan(0);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/businesses',
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_json');
    expect(broken.body).not.toContain('at ');
  });

  it('reuses the person for a second business and refuses the same name twice', async () => {
    const body = businessBody();
    const first = await post(officer.cookie, body);
    const second = await post(officer.cookie, { ...body, name: `${body.name} Kedua` });
    expect(second.statusCode).toBe(201);
    expect(second.json().owner.id).toBe(first.json().owner.id);
    const again = await post(officer.cookie, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('business_exists');
  });

  it('scopes a kecamatan officer to its kecamatan and an owner to its own business', async () => {
    const inBukitBatu = await createBusiness(t, officer.cookie, { regionCode: '62.71.02.1001', name: 'Rotan Marang' });
    const inRakumpit = await createBusiness(t, officer.cookie, { regionCode: '62.71.05.1001', name: 'Rotan Petuk' });
    const kec = await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' });
    const list = await t.app.inject({ url: '/api/v1/businesses?limit=200', headers: { cookie: kec.cookie } });
    const kecs = new Set(list.json().items.map((b: { kecamatan: string }) => b.kecamatan));
    expect([...kecs]).toEqual(['62.71.02']);
    expect((await t.app.inject({ url: `/api/v1/businesses/${inRakumpit.id}`, headers: { cookie: kec.cookie } })).statusCode).toBe(404);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${inRakumpit.id}`,
      headers: { cookie: kec.cookie },
      payload: { workers: 3 },
    });
    expect(patch.statusCode).toBe(404);
    const moveAway = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${inBukitBatu.id}`,
      headers: { cookie: kec.cookie },
      payload: { regionCode: '62.71.05.1002' },
    });
    expect(moveAway.statusCode).toBe(403);
    const create = await post(kec.cookie, businessBody({ regionCode: '62.71.05.1003' }));
    expect(create.statusCode).toBe(403);

    const owner = await createUser(t, 'owner', { personId: inBukitBatu.owner.id });
    const own = await t.app.inject({ url: '/api/v1/businesses', headers: { cookie: owner.cookie } });
    expect(own.json().items.map((b: { id: string }) => b.id)).toEqual([inBukitBatu.id]);
    expect((await post(owner.cookie, businessBody())).statusCode).toBe(403);
    const sopd = await createUser(t, 'sopd_officer');
    expect((await t.app.inject({ url: `/api/v1/businesses/${inBukitBatu.id}/personal-data`, headers: { cookie: sopd.cookie } })).statusCode).toBe(403);
  });

  it('searches by name, NIK and phone, and pages with a cursor', async () => {
    const body = businessBody({ name: 'Tikar Purun Unik Sekali' });
    await post(officer.cookie, body);
    const byName = await t.app.inject({ url: '/api/v1/businesses?q=purun%20unik', headers: { cookie: officer.cookie } });
    expect(byName.json().items).toHaveLength(1);
    const byNik = await t.app.inject({ url: `/api/v1/businesses?q=${body.owner.nik}`, headers: { cookie: officer.cookie } });
    expect(byNik.json().items[0].name).toBe('Tikar Purun Unik Sekali');
    const byPhone = await t.app.inject({ url: `/api/v1/businesses?q=${body.owner.phone}`, headers: { cookie: officer.cookie } });
    expect(byPhone.json().items.map((b: { name: string }) => b.name)).toContain('Tikar Purun Unik Sekali');

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.app.inject({
        url: `/api/v1/businesses?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { cookie: officer.cookie },
      });
      for (const b of res.json().items) seen.add(b.id);
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const all = await t.app.inject({ url: '/api/v1/businesses?limit=200', headers: { cookie: officer.cookie } });
    expect(seen.size).toBe(all.json().items.length);
    expect(pages).toBeGreaterThan(1);
    const badCursor = await t.app.inject({ url: '/api/v1/businesses?cursor=zzz', headers: { cookie: officer.cookie } });
    expect(badCursor.json().error.code).toBe('validation_failed');
  });

  it('reveals personal data only to roles that need it, and logs every view', async () => {
    const body = businessBody();
    const created = (await post(officer.cookie, body)).json();
    const res = await t.app.inject({ url: `/api/v1/businesses/${created.id}/personal-data`, headers: { cookie: officer.cookie } });
    expect(res.json().nik).toBe(body.owner.nik);
    const log = await t.app.inject({ url: '/api/v1/audit/personal-data', headers: { cookie: admin.cookie } });
    expect(log.json().items[0]).toMatchObject({ actor: officer.username, kind: 'view', subject: `person:${created.owner.id}` });
    expect((await t.app.inject({ url: '/api/v1/audit/personal-data', headers: { cookie: officer.cookie } })).statusCode).toBe(403);
  });

  it('writes every change to the audit log with before and after', async () => {
    const created = (await post(officer.cookie, businessBody())).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/businesses/${created.id}`,
      headers: { cookie: officer.cookie },
      payload: { workers: 7, owner: { address: 'Jl. Tjilik Riwut Km 35' } },
    });
    const log = await t.app.inject({
      url: `/api/v1/audit?entity=business&entityId=${created.id}`,
      headers: { cookie: admin.cookie },
    });
    const [update, create] = log.json().items;
    expect(create.action).toBe('create');
    expect(update).toMatchObject({ action: 'update', actor: officer.username });
    expect(update.before.workers).toBe(2);
    expect(update.after.workers).toBe(7);
  });
});
