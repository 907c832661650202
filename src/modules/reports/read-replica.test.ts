import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppContext } from '../../app/app-context.ts';
import { openDatabase } from '../../db/client.ts';
import { buildServer } from '../../server.ts';
import { createUser, type TestApp, testDatabaseUrl } from '../../testing/harness.ts';
import { seedReportProgram } from '../../testing/report-fixture.ts';
import { copyPostgresTemplate, preparePgliteTemplate } from '../../testing/template.ts';

// DATABASE_REPLICA_URL: report and open-data reads go to the replica, everything else to the
// primary; a replica that cannot be reached leaves the reports on the primary, with a log line.
// Routing is proved against a real second database on the same PostgreSQL server, holding a
// program the primary does not have (and the other way round); the fallback against a port
// where nothing listens, on both engines.

const engine = process.env.PULIH_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
const cleanups: Array<() => Promise<void>> = [];

// An app on a copy of the migrated template, optionally reading reports from `replicaUrl`.
async function appOn(replicaUrl?: string): Promise<TestApp & { url: string | null }> {
  let url: string | null = null;
  let database: ReturnType<typeof openDatabase>;
  let drop = async () => {};
  if (engine === 'postgres') {
    const copy = await copyPostgresTemplate(testDatabaseUrl());
    url = copy.url;
    drop = copy.drop;
    database = openDatabase({ databaseUrl: copy.url });
  } else {
    database = openDatabase({ memory: true, loadDataDir: readFileSync(await preparePgliteTemplate()) });
  }
  const ctx = await createAppContext(database, { replicaUrl });
  const app = await buildServer(ctx);
  await app.ready();
  const close = async () => {
    await app.close();
    await database.close();
    await drop();
  };
  cleanups.push(close);
  return { ctx, app, engine, close, url };
}

afterAll(async () => {
  for (const close of cleanups.reverse()) await close().catch(() => undefined);
});

const programNames = async (t: TestApp, path: string, cookie?: string) => {
  const res = await t.app.inject({ method: 'GET', url: path, ...(cookie ? { headers: { cookie } } : {}) });
  expect(res.statusCode).toBe(200);
  return res;
};

describe.skipIf(engine !== 'postgres')('reports on a read replica', () => {
  let primary: TestApp;
  let officer: { cookie: string };
  let onReplica: string;
  let onPrimary: string;

  beforeAll(async () => {
    // The "replica": another database, written through an app of its own.
    const replica = await appOn();
    const replicaOfficer = await createUser(replica, 'program_officer');
    onReplica = (await seedReportProgram(replica, replicaOfficer.cookie, { year: 2020 })).programId;
    primary = await appOn(replica.url ?? undefined);
    officer = await createUser(primary, 'program_officer');
    onPrimary = (await seedReportProgram(primary, officer.cookie, { year: 2020 })).programId;
  }, 120_000);

  it('reads open data, the transparency page and the Laporan Kegiatan from the replica', async () => {
    const json = (await programNames(primary, '/api/v1/open-data/programs.json')).json() as {
      items: { programId: string }[];
    };
    const ids = new Set(json.items.map((r) => r.programId));
    expect(ids.has(onReplica)).toBe(true);
    expect(ids.has(onPrimary)).toBe(false);
    const page = await programNames(primary, '/transparansi');
    expect(page.body).toContain('Rp7.500.000');
    const pdf = await primary.app.inject({
      method: 'GET',
      url: `/api/v1/programs/${onReplica}/laporan-kegiatan.pdf`,
      headers: { cookie: officer.cookie },
    });
    // the program exists only on the replica: the report found it there
    expect(pdf.statusCode).toBe(200);
  });

  it('keeps everything else on the primary', async () => {
    const list = await programNames(primary, '/api/v1/programs', officer.cookie);
    const ids = (list.json() as { items: { id: string }[] }).items.map((p) => p.id);
    expect(ids).toContain(onPrimary);
    expect(ids).not.toContain(onReplica);
  });
});

describe('a replica that is down', () => {
  it('falls back to the primary and says so in the log', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const t = await appOn('postgres://postgres@127.0.0.1:1/pulih_replica_down');
      const officer = await createUser(t, 'program_officer');
      const { programId } = await seedReportProgram(t, officer.cookie, { year: 2020 });
      const json = (await programNames(t, '/api/v1/open-data/programs.json')).json() as {
        items: { programId: string }[];
      };
      expect(json.items.map((r) => r.programId)).toContain(programId);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('read replica unavailable'));
      // later reads skip the replica for a while rather than wait for it again
      warn.mockClear();
      const xlsx = await t.app.inject({
        method: 'GET',
        url: '/api/v1/reports/annual.xlsx?year=2020',
        headers: { cookie: officer.cookie },
      });
      expect(xlsx.statusCode).toBe(200);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
