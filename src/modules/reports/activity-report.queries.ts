import { asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { programPhotos, programReports } from '../../db/schema.ts';
import { queryRow, queryRows } from '../../db/sql-rows.ts';

// The Laporan Kegiatan of one program: a read model over the program, its sessions, attendance
// and handovers (aggregated here, as the other reports are), plus the report's own texts and
// the event's photos, which this module owns.

const num = (v: unknown) => Number(v ?? 0);

export async function getReportProgram(db: DbOrTx, programId: string) {
  const row = await queryRow<Record<string, unknown>>(
    db,
    sql`select p.id, p.name, p.type, p.description, p.venue, p.hours, p.capacity,
      p.start_date::text as start_date, p.end_date::text as end_date, o.name as organisation
    from programs p join organisations o on o.id = p.organisation_id where p.id = ${programId}`,
  );
  if (!row) return null;
  return {
    id: String(row.id),
    name: String(row.name),
    type: String(row.type),
    description: (row.description as string | null) ?? null,
    venue: (row.venue as string | null) ?? null,
    hours: row.hours === null ? null : num(row.hours),
    capacity: num(row.capacity),
    startDate: String(row.start_date),
    endDate: String(row.end_date),
    organisation: String(row.organisation),
  };
}

export async function getReportTexts(db: DbOrTx, programId: string) {
  const [row] = await db
    .select({
      background: programReports.background,
      legalBasis: programReports.legalBasis,
      updatedAt: programReports.updatedAt,
    })
    .from(programReports)
    .where(eq(programReports.programId, programId));
  return row ?? null;
}

export async function upsertReportTexts(
  db: DbOrTx,
  values: { programId: string; background: string | null; legalBasis: string | null; updatedBy: string },
) {
  const [row] = await db
    .insert(programReports)
    .values(values)
    .onConflictDoUpdate({
      target: programReports.programId,
      set: {
        background: values.background,
        legalBasis: values.legalBasis,
        updatedBy: values.updatedBy,
        updatedAt: sql`now()`,
      },
    })
    .returning({
      background: programReports.background,
      legalBasis: programReports.legalBasis,
      updatedAt: programReports.updatedAt,
    });
  return row;
}

// Days of the program with how many participants were present: participants are the
// applications holding or having held a seat (enrolled, completed, dropped).
export async function getSessionRecap(db: DbOrTx, programId: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select s.day, s.date::text as date, s.starts_at, s.ends_at, s.topic, s.venue,
      s.cancelled_at is not null as cancelled,
      (select count(*) from attendance a where a.session_id = s.id) as present
    from training_sessions s where s.program_id = ${programId} order by s.day`,
  );
  return rows.map((r) => ({
    day: num(r.day),
    date: String(r.date),
    startsAt: String(r.starts_at),
    endsAt: String(r.ends_at),
    topic: (r.topic as string | null) ?? null,
    venue: (r.venue as string | null) ?? null,
    cancelled: Boolean(r.cancelled),
    present: num(r.present),
  }));
}

// Participants by the kecamatan of their business: seats taken, graduates, dropped, and those
// who received equipment aid in this program.
export async function getParticipantsByKecamatan(db: DbOrTx, programId: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select b.kecamatan_code,
      count(*) filter (where a.status in ('enrolled', 'completed', 'dropped')) as participants,
      count(*) filter (where a.status = 'completed') as completed,
      count(*) filter (where a.status = 'dropped') as dropped,
      count(*) filter (where exists (select 1 from aid_allocations x where x.business_id = a.business_id
        and x.program_id = a.program_id and x.status in ('handed_over', 'received'))) as equipped
    from applications a join businesses b on b.id = a.business_id
    where a.program_id = ${programId} and a.status in ('enrolled', 'completed', 'dropped')
    group by b.kecamatan_code order by b.kecamatan_code`,
  );
  return rows.map((r) => ({
    kecamatan: String(r.kecamatan_code),
    participants: num(r.participants),
    completed: num(r.completed),
    dropped: num(r.dropped),
    equipped: num(r.equipped),
  }));
}

// Equipment handed over in this program, per SOPD and item.
export async function getAidRecap(db: DbOrTx, programId: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select o.name as sopd, s.item, s.unit, sum(x.quantity) as quantity,
      sum(x.quantity * s.unit_value) as value, count(distinct x.business_id) as recipients
    from aid_allocations x join aid_stock s on s.id = x.stock_id join organisations o on o.id = s.organisation_id
    where x.program_id = ${programId} and x.status in ('handed_over', 'received')
    group by o.name, s.item, s.unit order by o.name, s.item`,
  );
  return rows.map((r) => ({
    sopd: String(r.sopd),
    item: String(r.item),
    unit: String(r.unit),
    quantity: num(r.quantity),
    value: num(r.value),
    recipients: num(r.recipients),
  }));
}

// Photos of the program's handovers, newest first: the item and the day as a caption (the
// recipient's name stays on the BAST).
export async function getHandoverPhotos(db: DbOrTx, programId: string, limit: number) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select h.photo, h.photo_type, h.handed_over_at::text as day, min(s.item) as item
    from aid_handovers h
    join aid_allocations x on x.id = h.allocation_id
      or x.id in (select i.allocation_id from aid_handover_items i where i.handover_id = h.id)
    join aid_stock s on s.id = x.stock_id
    where x.program_id = ${programId} and h.photo is not null
    group by h.id order by h.handed_over_at desc, h.number limit ${limit}`,
  );
  return rows.map((r) => ({
    data: Buffer.from(r.photo as Uint8Array),
    contentType: String(r.photo_type ?? ''),
    caption: `${String(r.item)}, ${String(r.day)}`,
  }));
}

export async function insertProgramPhoto(db: DbOrTx, values: typeof programPhotos.$inferInsert) {
  const [row] = await db.insert(programPhotos).values(values).returning({
    id: programPhotos.id,
    caption: programPhotos.caption,
    photoType: programPhotos.photoType,
    createdAt: programPhotos.createdAt,
  });
  return row;
}

export async function listProgramPhotos(db: DbOrTx, programId: string) {
  return db
    .select({
      id: programPhotos.id,
      caption: programPhotos.caption,
      photoType: programPhotos.photoType,
      createdAt: programPhotos.createdAt,
    })
    .from(programPhotos)
    .where(eq(programPhotos.programId, programId))
    .orderBy(asc(programPhotos.createdAt), asc(programPhotos.id));
}

export async function getProgramPhotoData(db: DbOrTx, programId: string, limit: number) {
  return db
    .select({
      data: programPhotos.photo,
      contentType: programPhotos.photoType,
      caption: programPhotos.caption,
    })
    .from(programPhotos)
    .where(eq(programPhotos.programId, programId))
    .orderBy(desc(programPhotos.createdAt))
    .limit(limit);
}

export async function deleteProgramPhoto(db: DbOrTx, programId: string, photoId: string) {
  const rows = await db
    .delete(programPhotos)
    .where(sql`${programPhotos.id} = ${photoId} and ${programPhotos.programId} = ${programId}`)
    .returning({ id: programPhotos.id });
  return rows.length > 0;
}

// What the program achieved so far, over its graduates (completed applications).
export async function getProgramAchievements(db: DbOrTx, programId: string) {
  const row = await queryRow<Record<string, unknown>>(
    db,
    sql`select count(*) as graduates,
      count(*) filter (where exists (select 1 from certificates c where c.application_id = a.id
        and c.revoked_at is null)) as certified,
      count(*) filter (where exists (select 1 from aid_allocations x where x.business_id = a.business_id
        and x.program_id = a.program_id and x.status in ('handed_over', 'received'))) as equipped,
      count(*) filter (where exists (select 1 from products p where p.business_id = a.business_id
        and p.published)) as listed
    from applications a where a.program_id = ${programId} and a.status = 'completed'`,
  );
  return {
    graduates: num(row?.graduates),
    certified: num(row?.certified),
    equipped: num(row?.equipped),
    listed: num(row?.listed),
  };
}
