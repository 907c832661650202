import { readOnReplica } from '../../db/replica.ts';
import { officeDate } from '../../domain/office-time.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { Actor } from '../../policies.ts';
import { decodePhoto } from '../aid/aid.service.ts';
import { recordChange, recordPersonalDataAccess } from '../audit/audit.service.ts';
import { getOutcomeFigures } from '../outcomes/outcomes.service.ts';
import { getLetterhead } from '../settings/settings.service.ts';
import { type ActivityReportDocument, renderActivityReport } from './activity-report.pdf.ts';
import {
  deleteProgramPhoto,
  getAidRecap,
  getHandoverPhotos,
  getParticipantsByKecamatan,
  getProgramAchievements,
  getProgramPhotoData,
  getReportProgram,
  getReportTexts,
  getSessionRecap,
  insertProgramPhoto,
  listProgramPhotos,
  upsertReportTexts,
} from './activity-report.queries.ts';
import type { ProgramPhotoBody, ReportTextsBody } from './activity-report.schema.ts';

// At most this many photos of each kind go into the report: a page or two of documentation.
const photosPerKind = 6;

const integer = new Intl.NumberFormat('id-ID');
const share = (part: number, whole: number) =>
  whole > 0
    ? `${integer.format(part)} dari ${integer.format(whole)} (${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format((100 * part) / whole)}%)`
    : integer.format(part);

async function requireReportProgram(ctx: AppContext, programId: string) {
  return (await getReportProgram(ctx.db, programId)) ?? fail('not_found');
}

export async function getProgramReportTexts(ctx: AppContext, programId: string) {
  await requireReportProgram(ctx, programId);
  const texts = await getReportTexts(ctx.db, programId);
  return {
    background: texts?.background ?? null,
    legalBasis: texts?.legalBasis ?? null,
    updatedAt: texts?.updatedAt ?? null,
  };
}

export async function updateProgramReportTexts(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: ReportTextsBody,
) {
  await requireReportProgram(ctx, programId);
  const values = { background: body.background || null, legalBasis: body.legalBasis || null };
  return ctx.db.transaction(async (tx) => {
    const before = await getReportTexts(tx, programId);
    const row = await upsertReportTexts(tx, { programId, ...values, updatedBy: actor.userId });
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'program_report',
      entityId: programId,
      before: before ? { background: before.background, legalBasis: before.legalBasis } : null,
      after: values,
    });
    return {
      background: row?.background ?? null,
      legalBasis: row?.legalBasis ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  });
}

export async function listPhotosOfProgram(ctx: AppContext, programId: string) {
  await requireReportProgram(ctx, programId);
  return listProgramPhotos(ctx.db, programId);
}

export async function addProgramPhoto(
  ctx: AppContext,
  actor: Actor,
  programId: string,
  body: ProgramPhotoBody,
) {
  await requireReportProgram(ctx, programId);
  const photo = decodePhoto(body.photo) ?? fail('validation_failed', { path: 'body.photo' });
  return ctx.db.transaction(async (tx) => {
    const row = await insertProgramPhoto(tx, {
      programId,
      photo: photo.data,
      photoType: photo.contentType,
      caption: body.caption || null,
      createdBy: actor.userId,
    });
    if (!row) return fail('internal_error');
    await recordChange(tx, actor, {
      action: 'create',
      entity: 'program_photo',
      entityId: row.id,
      after: { programId, caption: row.caption, photoType: row.photoType },
    });
    return row;
  });
}

export async function removeProgramPhoto(ctx: AppContext, actor: Actor, programId: string, photoId: string) {
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteProgramPhoto(tx, programId, photoId))) fail('not_found');
    await recordChange(tx, actor, { action: 'delete', entity: 'program_photo', entityId: photoId });
  });
}

// The Laporan Kegiatan as a PDF. Its figures are reads that bear a little lag, so they come from
// the replica when there is one; the letterhead is the office's settings.
export async function activityReportPdf(ctx: AppContext, actor: Actor, programId: string) {
  const letterhead = await getLetterhead(ctx);
  const gathered = await readOnReplica(ctx, async (db) => {
    const program = await getReportProgram(db, programId);
    if (!program) return null;
    return {
      program,
      texts: await getReportTexts(db, programId),
      sessions: await getSessionRecap(db, programId),
      byKecamatan: await getParticipantsByKecamatan(db, programId),
      aid: await getAidRecap(db, programId),
      achievements: await getProgramAchievements(db, programId),
      outcomes: (await getOutcomeFigures(db, { programId })).totals,
      eventPhotos: await getProgramPhotoData(db, programId, photosPerKind),
      handoverPhotos: await getHandoverPhotos(db, programId, photosPerKind),
    };
  });
  if (!gathered) return fail('not_found');
  const { program, texts, sessions, byKecamatan, aid, achievements, outcomes, eventPhotos, handoverPhotos } =
    gathered;
  const participants = byKecamatan.reduce((sum, k) => sum + k.participants, 0);
  const aidValue = aid.reduce((sum, a) => sum + a.value, 0);
  const document: ActivityReportDocument = {
    letterhead,
    program,
    background: texts?.background ?? null,
    legalBasis: texts?.legalBasis ?? null,
    sessions,
    participants,
    byKecamatan: byKecamatan.map((k) => ({ ...k, name: ctx.regions.get(k.kecamatan)?.name ?? k.kecamatan })),
    aid,
    outcomes: [
      ['Peserta yang lulus', share(achievements.graduates, participants)],
      ['Lulusan bersertifikat', share(achievements.certified, achievements.graduates)],
      ['Lulusan yang menerima bantuan peralatan', share(achievements.equipped, achievements.graduates)],
      ['Nilai bantuan peralatan yang diserahkan', `Rp${integer.format(aidValue)}`],
      ['Lulusan dengan produk di katalog', share(achievements.listed, achievements.graduates)],
      // DOMAIN.md: every outcome with its denominator (graduates asked, graduates who answered)
      ['Lulusan yang ditindaklanjuti', share(outcomes.asked, outcomes.graduates)],
      ['Lulusan yang menjawab tindak lanjut', share(outcomes.answered, outcomes.asked)],
      ['Wirausaha baru', share(outcomes.newEntrepreneurs, outcomes.answered)],
      ['Aktif setelah tindak lanjut', share(outcomes.activeAfterFollowUp, outcomes.answered)],
      ['Pulih (omzet kembali ke sebelum Covid-19)', share(outcomes.recovered, outcomes.recoveredKnown)],
    ],
    photos: [
      ...eventPhotos.map((p) => ({
        data: Buffer.from(p.data),
        contentType: p.contentType,
        caption: p.caption ?? 'Foto kegiatan',
      })),
      ...handoverPhotos.map((p) => ({ ...p, caption: `Penyerahan bantuan: ${p.caption}` })),
    ],
    signedOn: officeDate(new Date(), letterhead.timeZone),
  };
  const pdf = await renderActivityReport(document);
  // Handover photos show the recipients: the report carrying them leaves the system as
  // personal data does (UU PDP), and is logged like the daftar hadir.
  if (handoverPhotos.length > 0) {
    await recordPersonalDataAccess(ctx.db, actor, {
      kind: 'export',
      subject: 'activity_report',
      filter: { programId },
      rows: handoverPhotos.length,
    });
  }
  const slug = program.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return { pdf, fileName: `laporan-kegiatan-${slug || 'program'}.pdf` };
}
