// The database's floor for an application burst (issue 14, point 1): the decisions alone, as the
// server's group commit sends them (pulih_apply_many, batches of at most 60 in their order of
// arrival), from one connection, no HTTP and no Node work in between. Prints the backends' CPU
// and wall time per application, and the same with one piece of the decision taken away at a
// time, so that each piece's cost is the difference.
//
//   npm run bench -- applications --applications 1000 --keep      (makes a kept bench database)
//   npm run bench -- apply-floor --from pulih_bench_apps_xxxxxxxx [--rounds 3] [--batches 1,60,40]
//     [--variants 'full|no flush wait'] [--read-parts]
//
// Each measurement runs on a scratch copy of the kept database (CREATE DATABASE … TEMPLATE),
// dropped afterwards: a new program of the bench's shape (30 seats, quotas 15 + 15), the kept
// burst's businesses applying to it again, each with the messages the server prepared for it
// (read back from notification_outbox). The pieces are taken away on the copy only.
// --read-parts: instead, the officer's first read and each of its parts alone, statement by
// statement over the kept burst's businesses, on the kept database itself (it only reads); and
// the public form's reads: its applicant alone (before, a statement of its own) and the form's
// one statement (the applicant with the officer's read over the business it names).

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    from: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    batches: { type: 'string', default: '1,60,40' },
    url: { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    variants: { type: 'string', default: '' },
    'read-parts': { type: 'boolean', default: false },
  },
});
if (!args.from) throw new Error('--from <kept bench database>');
const from = args.from;
const rounds = Number(args.rounds);
// the batch sizes in turn: the first decision goes alone, then what queued behind it
const pattern = args.batches.split(',').map(Number);

function urlOf(database: string) {
  const u = new URL(args.url);
  u.pathname = `/${database}`;
  return u.toString();
}

// A backend's CPU time in nanoseconds (schedstat's first field: time on the CPU).
function backendNs(pid: number) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

// Each variant: what is taken away on the scratch copy before the burst.
const variants: Record<string, string[]> = {
  full: [],
  'no outcomes trigger': [
    'alter table applications disable trigger application_outcomes_applications_insert',
  ],
  'no outbox message': [], // the calls carry no messages (see below)
  'no audit indexes': ['drop index audit_log_at_idx', 'drop index audit_log_entity_idx'],
  'no outbox secondary indexes': [
    'drop index notification_outbox_application_idx',
    'drop index notification_outbox_due_idx',
    'drop index notification_outbox_business_idx',
    'drop index notification_outbox_provider_idx',
  ],
  'no application secondary indexes': [
    'drop index applications_program_status_idx',
    'drop index applications_business_idx',
  ],
  'no event index': ['drop index application_events_application_idx'],
  'no triggers (foreign keys, outcomes)': ['set session_replication_role = replica'],
  'no flush wait': ['set synchronous_commit = off'],
  // the messages of a new event inserted without ON CONFLICT (a speculative insertion per row);
  // duplicates within one event's list dropped by DISTINCT ON instead
  'outbox without on conflict': [
    `do $do$ begin execute replace(replace(pg_get_functiondef('pulih_apply'::regproc),
       'SELECT ''application_event:'' || event_id,', 'SELECT DISTINCT ON (m.channel, m.recipient) ''application_event:'' || event_id,'),
       'ON CONFLICT (event_key, channel, recipient) DO NOTHING;', ';'); end $do$`,
  ],
};
const chosen = args.variants ? args.variants.split('|') : Object.keys(variants);

const admin = new pg.Client({ connectionString: urlOf('postgres') });
await admin.connect();

async function measure(variant: string) {
  const scratch = `pulih_bench_floor_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${scratch} template ${from}`);
  const db = new pg.Client({ connectionString: urlOf(scratch) });
  await db.connect();
  try {
    const source = (
      await db.query(
        `select p.*, (select json_agg(q) from program_quotas q where q.program_id = p.id) as quotas
         from programs p where p.name like '%(bench)' limit 1`,
      )
    ).rows[0];
    const programId = randomUUID();
    await db.query(
      `insert into programs select (jsonb_populate_record(null::programs,
         to_jsonb(p) || jsonb_build_object('id', $2::uuid, 'enrolled_count', 0))).*
       from programs p where p.id = $1`,
      [source.id, programId],
    );
    await db.query(
      `insert into program_quotas (program_id, kecamatan_code, quota, taken)
       select $2, kecamatan_code, quota, 0 from program_quotas where program_id = $1`,
      [source.id, programId],
    );
    const crowd = (
      await db.query(
        `select a.business_id, a.reasons, a.applied_by, a.source, b.kecamatan_code,
           (select to_jsonb(m) - 'id' - 'event_key' - 'application_id' - 'created_at' from notification_outbox m
            where m.application_id = a.id limit 1) as message
         from applications a join businesses b on b.id = a.business_id
         where a.program_id = $1 order by a.created_at, a.id`,
        [source.id],
      )
    ).rows;
    const calls = crowd.map((c) => {
      const message = c.message ? { ...c.message, program_id: programId } : null;
      const outbox =
        message && variant !== 'no outbox message'
          ? {
              enrolled: [{ ...message, template: 'enrolled' }],
              waitlisted: [{ ...message, template: 'waitlisted' }],
            }
          : {};
      return {
        programId,
        businessId: c.business_id,
        kecamatan: c.kecamatan_code,
        outcome: 'eligible',
        reasons: c.reasons,
        source: c.source,
        actorId: c.applied_by,
        id: randomUUID(),
        statusToken: randomBytes(18).toString('base64url'),
        returnExisting: false,
        outbox,
      };
    });
    for (const statement of variants[variant] ?? []) await db.query(statement);
    const pid = (await db.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    // warm the connection's plans as a server's pooled connection is
    await db.query('begin');
    await db.query('select pulih_apply_many($1::jsonb, false)', [JSON.stringify(calls.slice(0, 2))]);
    await db.query('rollback');

    // The officer's first read of each application (readApplicationInputs as the server sends
    // it: the inputs, the reach of an officer who reaches every business, the messages' read),
    // one after another: its floor beside the decisions'.
    const readCpu0 = backendNs(pid);
    const readT0 = process.hrtime.bigint();
    for (const c of calls)
      await db.query(
        `select pulih_application_inputs($1::uuid, $2::uuid) as inputs,
           (select coalesce(true, false) from "businesses" where "businesses"."id" = $3::uuid) as reached,
           json_build_object($4::text, pulih_application_draft($5::uuid, $6::uuid)) as prepared`,
        [programId, c.businessId, c.businessId, 'notifications', c.businessId, programId],
      );
    const readWallMs = Number(process.hrtime.bigint() - readT0) / 1e6;
    const readCpuMs = (backendNs(pid) - readCpu0) / 1e6;

    const cpu0 = backendNs(pid);
    const t0 = process.hrtime.bigint();
    let sent = 0;
    for (let i = 0; sent < calls.length; i++) {
      const size =
        i === 0 || pattern.length === 1 ? pattern[0]! : pattern[1 + ((i - 1) % (pattern.length - 1))]!;
      const batch = calls.slice(sent, sent + size);
      sent += batch.length;
      if (batch.length === 1) {
        const c = batch[0]!;
        await db.query(
          'select pulih_apply($1::uuid,$2::uuid,$3::text,$4::text,$5::jsonb,$6::text,$7::uuid,$8::uuid,$9::text,$10::boolean,$11::jsonb)',
          [
            c.programId,
            c.businessId,
            c.kecamatan,
            c.outcome,
            JSON.stringify(c.reasons),
            c.source,
            c.actorId,
            c.id,
            c.statusToken,
            c.returnExisting,
            JSON.stringify(c.outbox),
          ],
        );
      } else await db.query('select pulih_apply_many($1::jsonb, false)', [JSON.stringify(batch)]);
    }
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpuMs = (backendNs(pid) - cpu0) / 1e6;
    const check = (
      await db.query(
        `select (select enrolled_count from programs where id = $1) as enrolled,
           (select count(*)::int from applications where program_id = $1 and status = 'waitlisted') as waitlisted,
           (select string_agg(taken || '/' || quota, ' ') from program_quotas where program_id = $1) as quotas`,
        [programId],
      )
    ).rows[0];
    return { n: calls.length, cpuMs, wallMs, readCpuMs, readWallMs, check };
  } finally {
    await db.end();
    await admin.query(`drop database ${scratch}`);
  }
}

// The first read's parts, each sent for every business one after another: backend CPU per
// statement.
async function readParts() {
  const db = new pg.Client({ connectionString: urlOf(from) });
  await db.connect();
  try {
    const pid = (await db.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const program = (await db.query(`select id from programs where name like '%(bench)' limit 1`)).rows[0].id;
    const owners = new Map(
      (
        await db.query(
          `select a.business_id, p.nik, p.phone from applications a join businesses b on b.id = a.business_id
             join people p on p.id = b.owner_id where a.program_id = $1`,
          [program],
        )
      ).rows.map((r) => [r.business_id as string, { nik: r.nik as string, phone: r.phone as string }]),
    );
    const crowd = [...owners.keys()];
    const owner = (b: string) => owners.get(b)!;
    const parts: [string, string, (b: string) => unknown[]][] = [
      ['select 1', 'select 1', () => []],
      ['three uuid parameters', 'select $1::uuid, $2::uuid, $3::uuid', (b) => [program, b, b]],
      [
        'pulih_application_inputs',
        'select pulih_application_inputs($1::uuid, $2::uuid)',
        (b) => [program, b],
      ],
      [
        'the reach (a businesses row)',
        'select (select coalesce(true, false) from "businesses" where "businesses"."id" = $1::uuid)',
        (b) => [b],
      ],
      [
        "the messages' read",
        'select json_build_object($1::text, pulih_application_draft($2::uuid, $3::uuid))',
        (b) => ['notifications', b, program],
      ],
      [
        'the read without the reach',
        `select pulih_application_inputs($1::uuid, $2::uuid) as inputs, true as reached,
           json_build_object($3::text, pulih_application_draft($4::uuid, $5::uuid)) as prepared`,
        (b) => [program, b, 'notifications', b, program],
      ],
      [
        'the read with the reach',
        `select pulih_application_inputs($1::uuid, $2::uuid) as inputs,
           (select coalesce(true, false) from "businesses" where "businesses"."id" = $3::uuid) as reached,
           json_build_object($4::text, pulih_application_draft($5::uuid, $6::uuid)) as prepared`,
        (b) => [program, b, b, 'notifications', b, program],
      ],
      [
        "the form's applicant (pulih_form_applicant)",
        'select pulih_form_applicant($1::uuid, $2::text) as found',
        (b) => [program, owner(b).nik],
      ],
      [
        "the form's read in one statement",
        `select f.applicant, f.business_id as named_business,
           pulih_application_inputs($1::uuid, f.business_id::uuid) as inputs, true as reached,
           json_build_object($2::text, pulih_application_draft(f.business_id::uuid, $1::uuid)) as prepared
         from pulih_form_application($1::uuid, $3::text, $4::text, $5::uuid) f`,
        (b) => [program, 'notifications', owner(b).nik, owner(b).phone, null],
      ],
    ];
    console.log(`the first read's parts over ${crowd.length} businesses: backend CPU ms per statement`);
    for (let r = 0; r < rounds; r++)
      for (const [name, text, values] of parts) {
        const cpu0 = backendNs(pid);
        for (const b of crowd) await db.query(text, values(b));
        console.log(`${name.padEnd(44)} ${((backendNs(pid) - cpu0) / 1e6 / crowd.length).toFixed(3)}`);
      }
  } finally {
    await db.end();
  }
}

if (args['read-parts']) {
  await admin.end();
  await readParts();
  process.exit(0);
}

console.log(
  `floor: pulih_apply_many over ${from}'s crowd, batches ${pattern.join(', ')}, … ; ${rounds} rounds`,
);
console.log(
  'variant                              decision: backend CPU, wall ms/application   read: backend CPU, wall   check',
);
for (let r = 0; r < rounds; r++)
  for (const v of chosen) {
    const m = await measure(v);
    console.log(
      `${v.padEnd(36)} ${(m.cpuMs / m.n).toFixed(3).padStart(10)} ${(m.wallMs / m.n).toFixed(3).padStart(7)}   ` +
        `${(m.readCpuMs / m.n).toFixed(3).padStart(10)} ${(m.readWallMs / m.n).toFixed(3).padStart(7)}   ` +
        `${m.check.enrolled} enrolled, ${m.check.waitlisted} waitlisted, ${m.check.quotas} (${m.n})`,
    );
  }
await admin.end();
