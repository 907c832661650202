import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../db/schema.ts';
import { bulkBusinesses } from '../../testing/bulk.ts';
import {
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';

// Participants rate the training from their status link (a plain form post, no JavaScript):
// only once attended or completed, one rating per application that may be changed. Officers
// enter pre/post test scores; the program shows averages, count, remarks and the gain.

let t: TestApp;
let officer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
}, 120_000);
afterAll(async () => t?.close());

async function classOf(n: number) {
  const program = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Anyaman Dinilai',
    type: 'training',
    capacity: n,
    startDate: '2020-08-24',
    endDate: '2020-08-28',
  });
  const made = await bulkBusinesses(t.ctx.db, n, { regionCodes: ['62.71.02.1004'] });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${program.id}/applications/bulk`,
    headers: { cookie: officer.cookie },
    payload: { businessIds: made.map((b) => b.id) },
  });
  const results = res.json().results as { applicationId: string }[];
  const participants = [];
  for (const r of results) {
    const app = await t.app.inject({
      url: `/api/v1/applications/${r.applicationId}/events`,
      headers: { cookie: officer.cookie },
    });
    expect(app.statusCode).toBe(200);
    const [row] = await t.ctx.db
      .select({ token: applications.statusToken })
      .from(applications)
      .where(sql`id = ${r.applicationId}`);
    participants.push({ applicationId: r.applicationId, token: row!.token! });
  }
  return { programId: program.id, participants };
}

const complete = (applicationId: string) =>
  t.ctx.db.update(applications).set({ status: 'completed' }).where(sql`id = ${applicationId}`);

// As a browser without JavaScript sends the form.
const postForm = (token: string, form: string) =>
  t.app.inject({
    method: 'POST',
    url: `/status/${token}/nilai`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form,
  });

const feedback = async (programId: string) =>
  (
    await t.app.inject({ url: `/api/v1/programs/${programId}/feedback`, headers: { cookie: officer.cookie } })
  ).json();

describe('ratings and scores', () => {
  it('a participant who completed rates with a plain form post, then changes the rating', async () => {
    const { programId, participants } = await classOf(1);
    const [p] = participants;
    await complete(p!.applicationId);
    const status = await t.app.inject({ url: `/status/${p!.token}` });
    expect(status.body).toContain(`/status/${p!.token}/nilai`);
    const page = await t.app.inject({ url: `/status/${p!.token}/nilai` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form [^>]*method="post"/);
    expect(page.body).toContain('name="rating"');

    const first = await postForm(p!.token, 'rating=4&remark=Materi+anyaman+sangat+berguna');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/status/${p!.token}/nilai?saved=1`);
    expect((await t.app.inject({ url: first.headers.location as string })).body).toContain('tersimpan');
    expect(await feedback(programId)).toMatchObject({
      ratingAverage: 4,
      ratingCount: 1,
      remarks: [{ rating: 4, remark: 'Materi anyaman sangat berguna' }],
    });

    // Once per application: a second post changes the rating, it does not add one.
    expect((await postForm(p!.token, 'rating=5&remark=')).statusCode).toBe(303);
    expect(await feedback(programId)).toMatchObject({ ratingAverage: 5, ratingCount: 1, remarks: [] });
  });

  it('only participants who attended or completed: enrolled without attendance is refused, bad values too', async () => {
    const { programId, participants } = await classOf(1);
    const [p] = participants;
    const refused = await postForm(p!.token, 'rating=5');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('setelah Anda hadir atau lulus');
    await complete(p!.applicationId);
    expect((await postForm(p!.token, 'rating=9')).statusCode).toBe(400);
    expect((await postForm('x'.repeat(24), 'rating=5')).statusCode).toBe(404);
    expect((await feedback(programId)).ratingCount).toBe(0);
  });

  it('scores: the officer enters pre and post tests; the program shows the averages and the gain', async () => {
    const { programId, participants } = await classOf(3);
    const scores = [
      [40, 70],
      [60, 80],
      [null, 90],
    ] as const;
    for (const [i, [pre, post]] of scores.entries()) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/applications/${participants[i]!.applicationId}/scores`,
        headers: { cookie: officer.cookie },
        payload: { preTestScore: pre, postTestScore: post },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await feedback(programId)).toMatchObject({
      preTestAverage: 50,
      postTestAverage: 80,
      gain: 25,
      scored: 2,
    });
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/applications/${participants[0]!.applicationId}/scores`,
      headers: { cookie: officer.cookie },
      payload: { preTestScore: 101 },
    });
    expect(bad.statusCode).toBe(400);
    const owner = await createUser(t, 'sopd_officer');
    const denied = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/applications/${participants[0]!.applicationId}/scores`,
      headers: { cookie: owner.cookie },
      payload: { preTestScore: 10 },
    });
    expect(denied.statusCode).toBe(403);
  });
});
