import type { DbOrTx } from '../../db/client.ts';
import { normalizeRegionCode } from '../../domain/region.ts';
import type { AppContext } from '../../lib/context.ts';
import { fail } from '../../lib/errors.ts';
import type { OfficeLetterhead } from '../../lib/pdf.ts';
import type { Actor } from '../../policies.ts';
import { recordChange } from '../audit/audit.service.ts';
import { readSetting, writeSetting } from './settings.queries.ts';
import {
  type LogoBody,
  maxLogoBytes,
  type Settings,
  type SettingsBody,
  settingsBody,
  timeZones,
} from './settings.schema.ts';

const officeKey = 'office';
const logoKey = 'office_logo';

// Before an office fills in its settings: the city Pulih was first built for, in WIB.
export const defaultSettings: SettingsBody = {
  regionCode: '62.71',
  officeName: '',
  officeAddress: '',
  headName: '',
  headNip: '',
  headPosition: 'Kepala Dinas',
  placeName: '',
  timeZone: timeZones[0],
  publicUrl: null,
};

async function readOffice(db: DbOrTx): Promise<SettingsBody> {
  const stored = await readSetting(db, officeKey);
  const parsed = settingsBody.partial().safeParse(stored ?? {});
  return { ...defaultSettings, ...(parsed.success ? parsed.data : {}) };
}

// Every application reads the office's time zone and public address (the form's closing day,
// the messages' quiet hours and links), and they change rarely: read at most once per
// `officeTtlMs` per database handle. This process forgets at once when it changes them
// (updateSettings); another process serving the same database follows within the interval.
const officeTtlMs = 5_000;
let officeCache = new WeakMap<object, { until: number; value: Promise<SettingsBody> }>();

function cachedOffice(db: DbOrTx): Promise<SettingsBody> {
  const hit = officeCache.get(db);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = readOffice(db);
  officeCache.set(db, { until: Date.now() + officeTtlMs, value });
  // A failed read is not kept.
  value.catch(() => officeCache.delete(db));
  return value;
}

// The office's time zone and public address, through the cache above (outside transactions).
export async function getOfficeBasics(db: DbOrTx): Promise<{ timeZone: string; publicUrl: string | null }> {
  const office = await cachedOffice(db);
  return { timeZone: office.timeZone, publicUrl: office.publicUrl };
}

// The clock the public pages show instants on (when an application, a complaint or an answer
// was made): the office's, through the cache above.
export async function getOfficeTimeZone(ctx: AppContext): Promise<string> {
  return (await getOfficeBasics(ctx.db)).timeZone;
}

// "Kota Palangkaraya" → "Palangkaraya"; the office may write it as it is spoken (placeName).
function placeOf(ctx: AppContext, body: SettingsBody) {
  if (body.placeName) return body.placeName;
  const name = ctx.regions.get(body.regionCode)?.name ?? '';
  return name.replace(/^(kota|kabupaten|kab\.|provinsi)\s+/i, '');
}

function governmentOf(ctx: AppContext, body: SettingsBody, place: string) {
  const region = ctx.regions.get(body.regionCode);
  const kind =
    region?.level === 'provinsi' ? 'PROVINSI' : region?.level === 'kabupaten' ? 'KABUPATEN' : 'KOTA';
  return `PEMERINTAH ${kind} ${place}`.toUpperCase();
}

export async function getSettings(ctx: AppContext): Promise<Settings> {
  const body = await readOffice(ctx.db);
  const place = placeOf(ctx, body);
  return {
    ...body,
    regionName: ctx.regions.get(body.regionCode)?.name ?? null,
    government: governmentOf(ctx, body, place),
    place,
    hasLogo: (await readSetting(ctx.db, logoKey)) !== null,
  };
}

export async function updateSettings(ctx: AppContext, actor: Actor, body: SettingsBody) {
  const regionCode = normalizeRegionCode(body.regionCode);
  const level = regionCode ? ctx.regions.get(regionCode)?.level : undefined;
  if (!regionCode || !level || !['provinsi', 'kabupaten', 'kota'].includes(level))
    fail('invalid_region', { path: 'body.regionCode' });
  const next = { ...body, regionCode: regionCode! };
  await ctx.db.transaction(async (tx) => {
    const before = await readOffice(tx);
    await writeSetting(tx, officeKey, next);
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'settings',
      entityId: officeKey,
      before,
      after: next,
    });
  });
  officeCache = new WeakMap();
  // This process's public links follow at once; PULIH_PUBLIC_URL stays the fallback.
  ctx.publicUrl = next.publicUrl ?? process.env.PULIH_PUBLIC_URL ?? null;
  return getSettings(ctx);
}

export async function setLogo(ctx: AppContext, actor: Actor, body: LogoBody) {
  const bytes = Buffer.from(body.dataBase64, 'base64');
  if (bytes.length === 0) fail('validation_failed', { path: 'body.dataBase64' });
  if (bytes.length > maxLogoBytes) fail('photo_too_large');
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if ((body.contentType === 'image/png' && !png) || (body.contentType === 'image/jpeg' && !jpeg))
    fail('unsupported_media');
  await ctx.db.transaction(async (tx) => {
    await writeSetting(tx, logoKey, { contentType: body.contentType, dataBase64: bytes.toString('base64') });
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'settings',
      entityId: logoKey,
      after: { bytes: bytes.length },
    });
  });
  return getSettings(ctx);
}

export async function getLogo(ctx: AppContext): Promise<{ contentType: string; bytes: Buffer } | null> {
  const stored = (await readSetting(ctx.db, logoKey)) as { contentType?: string; dataBase64?: string } | null;
  if (!stored?.contentType || !stored.dataBase64) return null;
  return { contentType: stored.contentType, bytes: Buffer.from(stored.dataBase64, 'base64') };
}

// What every printed document carries: the letterhead, the signatory, and the place and date.
export async function getLetterhead(ctx: AppContext): Promise<OfficeLetterhead> {
  const s = await getSettings(ctx);
  const logo = await getLogo(ctx);
  return {
    government: s.government,
    officeName: s.officeName,
    officeAddress: s.officeAddress,
    logo: logo?.bytes ?? null,
    headName: s.headName,
    headNip: s.headNip,
    headPosition: s.headPosition,
    place: s.place,
    timeZone: s.timeZone,
  };
}

// The public address stored in the settings, read when a process starts.
export async function storedPublicUrl(db: DbOrTx): Promise<string | null> {
  return (await readOffice(db)).publicUrl;
}

export async function settingsRegionCode(ctx: AppContext): Promise<string> {
  return (await readOffice(ctx.db)).regionCode;
}

// For the demo loader: fills the settings once, never over an office's own.
export async function ensureSettings(
  ctx: AppContext,
  actor: Actor,
  body: SettingsBody,
  logo: LogoBody | null,
) {
  if ((await readSetting(ctx.db, officeKey)) !== null) return false;
  await updateSettings(ctx, actor, body);
  if (logo) await setLogo(ctx, actor, logo);
  return true;
}

// The office's time zone (quiet hours and reminders of the notifications), read in a transaction.
export async function officeTimeZone(db: DbOrTx): Promise<string> {
  return (await readOffice(db)).timeZone;
}
