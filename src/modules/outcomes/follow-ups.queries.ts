import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { followUpAnswers } from '../../db/schema.ts';
import { queryRow, queryRows } from '../../db/sql-rows.ts';

// Follow-ups of a program's graduates (completed applications) and their answers. The graduates
// are read here in SQL so that opening a follow-up for a whole class is one statement, and the
// unique key (program, due day, application) makes opening twice open nothing new.

export type OpenedFollowUp = { id: string; applicationId: string; token: string };

export async function insertFollowUps(
  db: DbOrTx,
  programId: string,
  dueAt: string,
  createdBy: string,
  token: () => string,
): Promise<{ graduates: number; opened: OpenedFollowUp[] }> {
  const graduates = await queryRows<{ application_id: string; business_id: string }>(
    db,
    sql`select a.id as application_id, a.business_id from applications a
      where a.program_id = ${programId} and a.status = 'completed' order by a.created_at, a.id`,
  );
  if (graduates.length === 0) return { graduates: 0, opened: [] };
  const opened: OpenedFollowUp[] = [];
  for (let from = 0; from < graduates.length; from += 1000) {
    const slice = graduates.slice(from, from + 1000);
    const values = sql.join(
      slice.map(
        (g) =>
          sql`(${programId}::uuid, ${g.application_id}::uuid, ${g.business_id}::uuid, ${dueAt}::date, ${token()}, ${createdBy}::uuid)`,
      ),
      sql`, `,
    );
    const rows = await queryRows<{ id: string; application_id: string; token: string }>(
      db,
      sql`insert into follow_ups (program_id, application_id, business_id, due_at, token, created_by)
        values ${values}
        on conflict (program_id, due_at, application_id) do nothing
        returning id, application_id, token`,
    );
    opened.push(...rows.map((r) => ({ id: r.id, applicationId: r.application_id, token: r.token })));
  }
  return { graduates: graduates.length, opened };
}

export type FollowUpRow = {
  id: string;
  applicationId: string;
  businessId: string;
  businessName: string;
  ownerName: string;
  phone: string | null;
  kecamatan: string;
  dueAt: string;
  token: string;
  programName: string;
  answerCount: number;
  answer: {
    id: string;
    salesLastMonth: number;
    workers: number;
    stillProducing: boolean;
    channels: string[];
    aidInUse: boolean | null;
    aidNotUsedReason: string | null;
    remark: string | null;
    source: 'self' | 'phone' | 'visit';
    answeredAt: string;
  } | null;
};

type RawRow = Record<string, unknown>;

const selectFollowUps = sql`
  select f.id, f.application_id, f.business_id, b.name as business_name, o.name as owner_name, o.phone,
    b.kecamatan_code, f.due_at::text as due_at, f.token, p.name as program_name,
    (select count(*) from follow_up_answers c where c.follow_up_id = f.id)::int as answer_count,
    x.id as answer_id, x.sales_last_month, x.workers, x.still_producing, x.channels, x.aid_in_use,
    x.aid_not_used_reason, x.remark, x.source,
    to_char(x.answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as answered_at
  from follow_ups f
  join businesses b on b.id = f.business_id
  join people o on o.id = b.owner_id
  join programs p on p.id = f.program_id
  left join lateral (
    select * from follow_up_answers y where y.follow_up_id = f.id
    order by y.answered_at desc, y.id desc limit 1
  ) x on true`;

function readRow(r: RawRow): FollowUpRow {
  return {
    id: String(r.id),
    applicationId: String(r.application_id),
    businessId: String(r.business_id),
    businessName: String(r.business_name),
    ownerName: String(r.owner_name),
    phone: r.phone === null || r.phone === undefined ? null : String(r.phone),
    kecamatan: String(r.kecamatan_code),
    dueAt: String(r.due_at),
    token: String(r.token),
    programName: String(r.program_name),
    answerCount: Number(r.answer_count ?? 0),
    answer:
      r.answer_id === null || r.answer_id === undefined
        ? null
        : {
            id: String(r.answer_id),
            salesLastMonth: Number(r.sales_last_month),
            workers: Number(r.workers),
            stillProducing: Boolean(r.still_producing),
            channels: Array.isArray(r.channels) ? (r.channels as string[]) : [],
            aidInUse: r.aid_in_use === null ? null : Boolean(r.aid_in_use),
            aidNotUsedReason: (r.aid_not_used_reason as string | null) ?? null,
            remark: (r.remark as string | null) ?? null,
            source: r.source as 'self' | 'phone' | 'visit',
            answeredAt: String(r.answered_at),
          },
  };
}

export async function listFollowUpRows(db: DbOrTx, programId: string, kecamatan: string | null) {
  const scope = kecamatan ? sql`and b.kecamatan_code = ${kecamatan}` : sql``;
  const rows = await queryRows<RawRow>(
    db,
    sql`${selectFollowUps} where f.program_id = ${programId} ${scope}
      order by f.due_at desc, b.name, f.id`,
  );
  return rows.map(readRow);
}

export async function getFollowUpRow(db: DbOrTx, id: string) {
  const row = await queryRow<RawRow>(db, sql`${selectFollowUps} where f.id = ${id}`);
  return row ? readRow(row) : null;
}

export async function getFollowUpByToken(db: DbOrTx, token: string) {
  const row = await queryRow<RawRow>(db, sql`${selectFollowUps} where f.token = ${token}`);
  return row ? readRow(row) : null;
}

// What the plausibility check compares an answer with: the business's recorded turnover.
export async function getRecordedTurnover(db: DbOrTx, followUpId: string) {
  const row = await queryRow<{ annual_turnover: string | number | null }>(
    db,
    sql`select b.annual_turnover from follow_ups f join businesses b on b.id = f.business_id where f.id = ${followUpId}`,
  );
  return row?.annual_turnover === null || row?.annual_turnover === undefined
    ? null
    : Number(row.annual_turnover);
}

export async function insertFollowUpAnswer(db: DbOrTx, values: typeof followUpAnswers.$inferInsert) {
  const [row] = await db.insert(followUpAnswers).values(values).returning({ id: followUpAnswers.id });
  return row?.id ?? null;
}
