import { it } from 'vitest';
import { bulkBusinesses } from '../../testing/bulk.ts';
import { createTestApp, createUser } from '../../testing/harness.ts';

it('profile', async () => {
  const t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const made = await bulkBusinesses(t.ctx.db, 1000, { regionCodes: ['62.71.02.1004', '62.71.05.1001'] });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/programs',
    headers: { cookie: officer.cookie },
    payload: {
      name: 'Prof program',
      type: 'training',
      capacity: 30,
      selection: 'first_come',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      eligibility: true,
      quotas: [
        { kecamatan: '62.71.02', quota: 15 },
        { kecamatan: '62.71.05', quota: 15 },
      ],
    },
  });
  const program = res.json();
  let t0 = performance.now();
  for (let i = 0; i < 1000; i++) {
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/applications`,
      headers: { cookie: officer.cookie },
      payload: { businessId: made[i]!.id },
    });
    if (i % 200 === 199) {
      console.log(i, ((performance.now() - t0) / 200).toFixed(2), 'ms each');
      t0 = performance.now();
    }
  }
  t0 = performance.now();
  for (let i = 0; i < 200; i++) await t.app.inject({ url: '/health' });
  console.log('health', ((performance.now() - t0) / 200).toFixed(2));
  t0 = performance.now();
  for (let i = 0; i < 200; i++)
    await t.app.inject({ url: `/api/v1/programs/${program.id}`, headers: { cookie: officer.cookie } });
  console.log('get program', ((performance.now() - t0) / 200).toFixed(2));
  await t.close();
}, 300000);
