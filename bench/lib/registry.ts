// A synthetic registry written in SQL (generate_series), so that a million owners and businesses
// take seconds: the word lists of src/lib/synthetic.ts as SQL arrays and the expressions the
// benchmarks draw their rows with. A row depends on its number i and on random() after
// setseed(), so the same seed and the same SQL give the same rows on every run: keep these
// expressions as they are (and random() called in the same order), or figures measured before
// no longer compare.
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/lib/context.ts';
import { menNames, mobilePrefixes, trades, womenNames } from '../../src/lib/synthetic.ts';
import { log } from './database.ts';

export const textArray = (list: readonly string[]) =>
  `ARRAY[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

// One element of `list`, drawn with random().
export const randomOf = (list: readonly string[]) =>
  `(${textArray(list)})[1 + floor(random() * ${list.length})::int]`;

// Kelurahan codes: the city's (Palangka Raya, 62.71) and those of the province's other kabupaten.
export function regionCodes(ctx: AppContext) {
  const city = ctx.regions
    .children('62.71')
    .flatMap((k) => ctx.regions.children(k.code))
    .map((r) => r.code);
  const province = ctx.regions
    .children('62')
    .filter((k) => k.code !== '62.71')
    .flatMap((k) => ctx.regions.children(k.code))
    .map((r) => r.code);
  return { city, province };
}

// Rows i from..to with an owner's sex (five women, then five men) and birth date (ten people a
// day, `daysApart` days apart from `firstBirthDate` on): `from ${ownerSeries(…)}`, as `s`.
export const ownerSeries = (from: number, to: number, firstBirthDate: string, daysApart: number) =>
  `(select i, case when (i / 5) % 2 = 0 then 'P' else 'L' end as sex,
                   date '${firstBirthDate}' + ((i % 50000) / 10) * ${daysApart} as bd
            from generate_series(${from}, ${to}) as g(i)) s`;

// NIK = kecamatan 6271[01-05] + DDMMYY (+40 for women) + serial, over ownerSeries; (kec, sex,
// date, serial) is a bijection of i, so every NIK is unique and valid.
export const ownerNik = `'6271' || lpad((1 + i % 5)::text, 2, '0')
          || lpad((extract(day from bd)::int + case when sex = 'P' then 40 else 0 end)::text, 2, '0')
          || to_char(bd, 'MMYY') || lpad((1 + i / 50000)::text, 4, '0')`;

// A given name that goes with ownerSeries' sex.
export const ownerGivenName = `case when sex = 'P' then ${randomOf(womenNames)}
             else ${randomOf(menNames)} end`;

// E.164, unique per i; one owner in ten has none.
export const ownerPhone = `case when i % 10 = 9 then null
             else '+628' || (${textArray(mobilePrefixes)})[1 + i % 10]
               || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0') end`;

export const businessColumns = `id, ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code,
                              capital, annual_turnover, workers, covid_impacted, status`;

// A trade's position in `trades`, drawn with a skew towards the common ones.
export const tradeIndex = `1 + floor(${trades.length} * power(random(), 2.2))::int`;

// 40% in the city's kelurahan, 60% across the province's other kecamatan.
export const businessRegion = (city: readonly string[], province: readonly string[]) =>
  `case when random() < 0.4 then ${randomOf(city)}
                        else ${randomOf(province)} end`;

export const businessCapital = `case when random() < 0.3 then null else (1 + floor(random() * 900)::bigint) * 1000000 end`;

// Turnover by the size classes' shares of Indonesian businesses (micro 98.7%, small 1.2%,
// medium 0.09%), from r_size = random(); 5% unknown.
export const businessTurnover = `case when r_size < 0.05 then null
             when r_size < 0.05 + 0.95 * 0.987 then (12 + floor(random() * 1980)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.999 then (2001 + floor(random() * 13000)::bigint) * 1000000
             when r_size < 0.05 + 0.95 * 0.9999 then (15001 + floor(random() * 35000)::bigint) * 1000000
             else (50001 + floor(random() * 150000)::bigint) * 1000000 end`;

// From r_covid and r_status = random(): 60% hit by Covid, 10% unknown; 85% active.
export const businessCovidAndStatus = `case when r_covid < 0.6 then true when r_covid < 0.9 then false else null end,
        (case when r_status < 0.85 then 'aktif' when r_status < 0.95 then 'tidak_aktif' else 'tutup' end)::business_status`;

// Seeds random(), then calls `fillChunk` for rows 0..n-1 in chunks of 100,000, logging progress.
export async function fillInChunks(
  ctx: AppContext,
  n: number,
  fillChunk: (from: number, to: number) => Promise<void>,
) {
  const chunk = 100_000;
  const started = performance.now();
  await ctx.db.execute(sql.raw('select setseed(0.2020)'));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1;
    await fillChunk(from, to);
    log(`  filled ${to + 1} / ${n} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}
