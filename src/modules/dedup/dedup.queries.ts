import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { businesses, dedupCandidates, dedupDecisions, jobs, people, users } from '../../db/schema.ts';
import { queryRows } from '../../db/sql-rows.ts';
import { dedupModel, nameKeySql, type PairFeatures, sameAddressSimilarity } from '../../domain/dedup.ts';
import { forgetSessions } from '../../lib/session-cache.ts';

// Duplicate candidates are found and scored inside the database, in one statement, in steps that
// each stay linear in the number of people:
//  1. p: every person not merged away with the name key (people.name_key, stored by the database
//     on every write: the domain's steps in SQL) and the phone key;
//  2. keys, groups, blocked: equality keys that two records of one person share despite one
//     mistyped digit or two swapped neighbours anywhere in the NIK, a birth date and first word,
//     a phone, or the NIK's birth date and sex with any word of the name (a new NIK in another
//     kecamatan; see blockKeys and tokenKey). Blocks bigger than `blockCap` are dropped, so no
//     block is quadratic;
//  3. named: the name relation of every blocked pair; only pairs whose name evidence alone reaches
//     the threshold go on (the score is name evidence × identity evidence ≤ name evidence);
//  4. measured, households, scored: NIK digits (the NIKs as 64 bits, one hex digit per NIK digit),
//     a new NIK from another kecamatan, birth date, sex, phone, address, kelurahan, business, name
//     frequency, households that moved together (among the moved pairs), and the score of src/domain/dedup.ts in
//     float8 arithmetic in the same order as the domain's, so both give the same number
//     (dedup.test.ts checks it); pairs already decided (dedup_decisions) are left out.

export const blockCap = 100;
// People of one household who moved together (see households below).
const householdCap = 8;

const float = (n: number) => `${n}::float8`;

// The domain's phoneKey() in SQL (keys shorter than 8 digits are ignored where it is used). Phones
// stored by the application are E.164 already and skip the regular expressions.
const phoneKeySql = (column: string) =>
  `case when ${column} ~ '^[+]62[1-9][0-9]*$' then substr(${column}, 4)
    else regexp_replace(regexp_replace(${column}, '[^0-9]', '', 'g'), '^(62)?0?', '') end`;

// The domain's addressKey() in SQL.
const addressKeySql = (column: string) =>
  `nullif(btrim(replace(replace(regexp_replace(' ' || lower(${column}) || ' ', '[^a-z0-9]+', ' ', 'g'),
    ' jalan ', ' jl '), ' gang ', ' gg ')), '')`;

// The domain's businessKey() over the businesses table.
const businessKeySql = `coalesce(kbli, '') || ' ' || btrim(regexp_replace(lower(name), '[^a-z0-9]+', ' ', 'g'))`;

// agreement() of the domain: does a record's birth date (or sex) say what its own NIK says?
const birthAgreesSql = (side: 'a' | 'b') => `(birth_${side} is null
  or (substr(nik_${side}, 7, 2)::int % 40 = extract(day from birth_${side})
    and substr(nik_${side}, 9, 4) = to_char(birth_${side}, 'MMYY')))`;
const sexAgreesSql = (side: 'a' | 'b') =>
  `(sex_${side} is null or (substr(nik_${side}, 7, 2)::int > 40) = (sex_${side} = 'P'))`;

// Each block is an equality key; together they catch one wrong digit or one swap of neighbours
// at any of the 16 positions, with or without a birth date column: serial (digits 13–16) → a;
// region (1–6) → b; a swap across 6|7 → c; across 12|13 → d; day/month (7–10) → e; month/year
// (9–12) → f. Each carries a little of the name (its first letter, first word or key) so that
// people born on one day in one kecamatan do not all pair up. g finds records whose NIKs are
// unrelated by birth date and first word, h by phone, and i (tokenKey, one key per word of the
// name) people who moved to another kecamatan and got a new NIK there: the birth date and sex
// that NIK carries (digits 7–12) and any one word of the name key, so that a name written in
// another order, or with a typo in one word, still meets the record it duplicates.
const firstWord = `split_part(k, ' ', 1)`;
const blockKeys = [
  `'a' || left(nik, 12) || left(k, 1)`,
  `'b' || substr(nik, 7) || left(k, 1)`,
  `'c' || left(nik, 5) || substr(nik, 8) || ' ' || ${firstWord}`,
  `'d' || left(nik, 11) || substr(nik, 14) || ' ' || ${firstWord}`,
  `'e' || left(nik, 6) || substr(nik, 11) || ' ' || k`,
  `'f' || left(nik, 8) || substr(nik, 13) || ' ' || k`,
  `'g' || birth_date::text || ' ' || ${firstWord}`,
  `case when length(ph) >= 8 then 'h' || ph end`,
];
const tokenKey = `select id, hashtextextended('i' || substr(nik, 7, 6) || ' ' || w, 0) as key
        from p cross join lateral unnest(string_to_array(k, ' ')) w where length(w) >= 3`;

const n = dedupModel.name;
const i = dedupModel.identity;

export type CandidateRow = PairFeatures & { a: string; b: string; score: number };

// Detection proposes pairs from `threshold` (the model's; tests ask for lower ones too). Pages are
// read from the stored queue (listStoredCandidates), not from detection.
export type CandidateQuery = { threshold?: number };

// nameEvidence() of the domain over the columns name, similarity, distance, length, shorter.
const nameEvidenceSql = `case name
    when 'same' then ${float(n.same)}
    when 'reordered' then ${float(n.reordered)}
    when 'subset' then case when shorter >= 2 then ${float(n.subset)} else ${float(n.subsetOfOneWord)} end
    else greatest(
      least(1::float8, greatest(0::float8,
        (similarity - ${float(n.similarityFloor)}) / (${float(n.similarityFull)} - ${float(n.similarityFloor)}))),
      case when distance <= 3 and length > 0 then least(1::float8, greatest(0::float8,
        (1::float8 - distance::float8 / length::float8 - ${float(n.editFloor)})
          / (${float(n.editFull)} - ${float(n.editFloor)}))) else 0::float8 end)
  end`;

// identityEvidence() of the domain; terms in the same order (an absent term adds 0, which changes
// no float).
const identityEvidenceSql = `least(1::float8, greatest(0::float8,
    0::float8
    + case when nik_distance = 1 then ${float(i.nikOneDigit)}
           when transposed then ${float(i.nikTransposed)}
           when nik_moved then ${float(i.nikMoved)}
           when nik_distance = 2 then ${float(i.nikTwoDigits)} else 0::float8 end
    + case birth when 'same' then ${float(i.sameBirthDate)}
           when 'different' then ${float(i.differentBirthDate)} else 0::float8 end
    + case when sex = 'different' then ${float(i.differentSex)} else 0::float8 end
    + case when same_phone then ${float(i.samePhone)} else 0::float8 end
    + case when same_address then ${float(i.sameAddress)} else 0::float8 end
    + case when same_kelurahan then ${float(i.sameKelurahan)} else 0::float8 end
    + case when same_business then ${float(i.sameBusiness)} else 0::float8 end
    + case when household_moved then ${float(i.householdMoved)} else 0::float8 end
    + case when name_frequency <= ${dedupModel.rareNameCount} and not other_kecamatan
        then ${float(i.rareName)} else 0::float8 end))`;

const residualLength = (from: string, other: string) =>
  `length(array_to_string(array(select w from unnest(${from}) with ordinality u(w, i)
     where not w = any(${other}) order by i), ' '))`;

const sortedLetters = (key: string) => `array(select c from regexp_split_to_table(${key}, '') c order by c)`;

export function candidatePairsSql(query: CandidateQuery = {}): SQL {
  const threshold = query.threshold ?? dedupModel.threshold;

  return sql`
    with p as materialized (
      select id, nik, birth_date, sex, address, name_key as k, ${sql.raw(phoneKeySql('phone'))} as ph
      from people
      where merged_into is null and nik ~ '^[0-9]{16}$'
    ),
    frequency as (select k, count(*) as n from p group by k),
    keys as (
      ${sql.raw(blockKeys.map((key) => `select id, hashtextextended(${key}, 0) as key from p`).join('\n      union all '))}
      union all ${sql.raw(tokenKey)}
    ),
    groups as (
      select array_agg(id) as ids from keys where key is not null
      group by key having count(*) between 2 and ${sql.raw(String(blockCap))}
    ),
    blocked as materialized (
      select distinct least(ids[x], ids[y]) as a, greatest(ids[x], ids[y]) as b
      from groups, generate_series(1, cardinality(ids) - 1) x, generate_series(x + 1, cardinality(ids)) y
      -- a name with one word twice ("Sri Dewi Sri") puts its person twice in a tokenKey block
      where ids[x] <> ids[y]
    ),
    named as materialized (
      select * from (
        select *, case when distance <= 3 then greatest(${sql.raw(residualLength('ta', 'tb'))},
          ${sql.raw(residualLength('tb', 'ta'))}) else 0 end as length
        from (
          select a, b, nik_a, nik_b, birth_a, birth_b, sex_a, sex_b, address_a, address_b,
            coalesce(length(ph_a) >= 8 and ph_a = ph_b, false) as same_phone,
            case when replace(ka, ' ', '') = replace(kb, ' ', '') then 'same'
                 when ta @> tb and tb @> ta then 'reordered'
                 when ta <@ tb or tb <@ ta then 'subset'
                 else 'similar' end as name,
            similarity(ka, kb)::float8 as similarity,
            case when lev = 2 and length(ka) = length(kb)
                   and ${sql.raw(sortedLetters('ka'))} = ${sql.raw(sortedLetters('kb'))} then 1
                 else lev end as distance,
            least(cardinality(ta), cardinality(tb)) as shorter,
            ta, tb, ka, kb
          from (
            -- offset 0: join the pairs to both people first (hash joins), then compute per pair.
            select blocked.a, blocked.b, pa.nik as nik_a, pb.nik as nik_b, pa.birth_date as birth_a,
              pb.birth_date as birth_b, pa.sex as sex_a, pb.sex as sex_b, pa.address as address_a,
              pb.address as address_b, pa.ph as ph_a, pb.ph as ph_b, pa.k as ka, pb.k as kb
            from blocked
            join p pa on pa.id = blocked.a
            join p pb on pb.id = blocked.b
            offset 0
          ) j
          cross join lateral (select string_to_array(ka, ' ') as ta, string_to_array(kb, ' ') as tb,
            least(levenshtein_less_equal(ka, kb, 3), 4) as lev) t
        ) w
      ) y
      where ${sql.raw(nameEvidenceSql)} >= ${threshold}::float8
    ),
    kelurahan as (
      select owner_id, array_agg(region_code) filter (where length(region_code) > 8) as regions,
        array_agg(${sql.raw(businessKeySql)}) as trades
      from businesses
      where owner_id in (select a from named union select b from named)
      group by owner_id
    ),
    measured as materialized (
      select a, b, name, similarity, distance, length, shorter, nik_distance, transposed, same_phone,
        left(nik_a, 6) <> left(nik_b, 6) as other_kecamatan,
        nik_distance >= 2 and not transposed and left(nik_a, 6) <> left(nik_b, 6)
          and substr(nik_a, 7, 6) = substr(nik_b, 7, 6) as nik_moved,
        ${sql.raw(addressKeySql('address_a'))} as address_key_a, ${sql.raw(addressKeySql('address_b'))} as address_key_b,
        z2.ka as name_key_a, z2.kb as name_key_b,
        coalesce(similarity(${sql.raw(addressKeySql('address_a'))}, ${sql.raw(addressKeySql('address_b'))})::float8
          >= ${sql.raw(float(sameAddressSimilarity))}, false) as same_address,
        coalesce(ka.regions && kb.regions, false) as same_kelurahan,
        coalesce(ka.trades && kb.trades, false) as same_business,
        least(fa.n, fb.n)::int as name_frequency,
        case when birth_a is null or birth_b is null then 'unknown'
             when birth_a = birth_b then 'same'
             when not typo and ${sql.raw(birthAgreesSql('a'))} and ${sql.raw(birthAgreesSql('b'))} then 'different'
             else 'unknown' end as birth,
        case when sex_a is null or sex_b is null then 'unknown'
             when sex_a = sex_b then 'same'
             when not typo and ${sql.raw(sexAgreesSql('a'))} and ${sql.raw(sexAgreesSql('b'))} then 'different'
             else 'unknown' end as sex
      from (
        select *, nik_distance = 1 or transposed as typo from (
          select named.*, bit_count(m)::int as nik_distance,
            bit_count(m) = 2 and substr(nik_b, first / 4, 2)
              = substr(nik_a, first / 4 + 1, 1) || substr(nik_a, first / 4, 1) as transposed
          from named
          cross join lateral (select ('x' || nik_a)::bit(64) # ('x' || nik_b)::bit(64) as x) d
          cross join lateral (select (x | (x >> 1) | (x >> 2) | (x >> 3)) & x'1111111111111111' as m) e
          cross join lateral (select position('1' in m::text) as first) f
        ) z
      ) z2
      join frequency fa on fa.k = z2.ka
      join frequency fb on fb.k = z2.kb
      left join kelurahan ka on ka.owner_id = z2.a
      left join kelurahan kb on kb.owner_id = z2.b
    ),
    -- Households registered again together elsewhere: moved pairs between the same two addresses
    -- with two differently named people on each side (not one person and a second registration of
    -- theirs at the same address). Pairs are ordered by id, so each is turned to face lo → hi first.
    households as (
      select lo, hi from (
        select least(address_key_a, address_key_b) as lo, greatest(address_key_a, address_key_b) as hi,
          case when address_key_a < address_key_b then name_key_a else name_key_b end as lo_name,
          case when address_key_a < address_key_b then name_key_b else name_key_a end as hi_name
        from measured
        where nik_moved and address_key_a <> address_key_b
      ) sides
      group by lo, hi
      -- a household, not the address of a market, an office or a boarding house
      having count(distinct lo_name) between 2 and ${sql.raw(String(householdCap))}
        and count(distinct hi_name) between 2 and ${sql.raw(String(householdCap))}
    ),
    household_measured as (
      select measured.*, h.lo is not null as household_moved
      from measured
      left join households h on measured.nik_moved
        and h.lo = least(address_key_a, address_key_b) and h.hi = greatest(address_key_a, address_key_b)
    ),
    scored as (
      select household_measured.*,
        floor(${sql.raw(nameEvidenceSql)} * ${sql.raw(identityEvidenceSql)} * 10000::float8 + 0.5::float8)
          / 10000::float8 as score
      from household_measured
      where not exists (select 1 from dedup_decisions d
        where d.person_a = household_measured.a and d.person_b = household_measured.b)
    )
    select a, b, score, nik_distance as "nikDistance", transposed as "nikTransposed", other_kecamatan as "nikOtherKecamatan",
      nik_moved as "nikMoved", name,
      similarity as "nameSimilarity", distance as "nameDistance", length as "nameLength",
      shorter as "shorterNameTokens", name_frequency as "nameFrequency", birth as "birthDate", sex,
      same_phone as "samePhone", same_address as "sameAddress", same_kelurahan as "sameKelurahan",
      same_business as "sameBusiness", household_moved as "householdMoved"
    from scored
    where score >= ${threshold}::float8
    order by score desc, a, b`;
}

// One text[] parameter (drizzle would spread a JS array into a list of parameters).
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
}

// The statement is a batch of hash joins over whole tables. Row estimates of CTEs are guesses (and
// right after a bulk import the table statistics are stale), and a nested loop over p × p would be
// quadratic, so the planner is told not to use one; the sorts and hashes get room to stay in memory.
export const candidateSettings = [
  sql`set local enable_nestloop = off`,
  sql`set local work_mem = '256MB'`,
  // Compiling this long statement costs more than it saves.
  sql`set local jit = off`,
];

export async function findCandidatePairs(db: DbOrTx, query: CandidateQuery = {}): Promise<CandidateRow[]> {
  const rows = await db.transaction(async (tx) => {
    for (const setting of candidateSettings) await tx.execute(setting);
    return queryRows<CandidateRow>(tx, candidatePairsSql(query));
  });
  return rows.map((row) => ({
    ...row,
    score: Number(row.score),
    nikDistance: Number(row.nikDistance),
    nameSimilarity: Number(row.nameSimilarity),
    shorterNameTokens: Number(row.shorterNameTokens),
    nameDistance: Number(row.nameDistance),
    nameLength: Number(row.nameLength),
    nameFrequency: Number(row.nameFrequency),
  }));
}

// ---------------------------------------------------------------------------------------------
// The stored review queue (dedup_candidates)

// Serialises runs that replace the queue (a server's worker and `pulih dedup` may run at once):
// the second deletes what the first inserted instead of colliding with it.
const replaceLockKey = 727102;

// Replaces the review queue with a fresh detection, set-based inside the database. The caller's
// transaction makes the swap atomic: readers see the old queue until it commits.
export async function replaceCandidates(tx: Tx): Promise<{ pairs: number; computedAt: Date }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${replaceLockKey})`);
  for (const setting of candidateSettings) await tx.execute(setting);
  await tx.execute(sql`delete from dedup_candidates`);
  const [row] = await queryRows<{ pairs: number; computed_at: Date | string }>(
    tx,
    sql`
    with inserted as (
      insert into dedup_candidates (person_a, person_b, score, nik_distance, nik_transposed, nik_other_kecamatan, nik_moved,
        name_relation,
        name_similarity, name_distance, name_length, shorter_name_tokens, name_frequency, birth_date_agreement,
        sex_agreement, same_phone, same_address, same_kelurahan, same_business, household_moved,
        computed_at)
      select a, b, score, "nikDistance", "nikTransposed", "nikOtherKecamatan", "nikMoved", name, "nameSimilarity", "nameDistance",
        "nameLength", "shorterNameTokens", "nameFrequency", "birthDate", sex, "samePhone", "sameAddress",
        "sameKelurahan", "sameBusiness", "householdMoved", now()
      from (${candidatePairsSql()}) found
      returning 1
    )
    select (select count(*) from inserted)::int as pairs, now() as computed_at`,
  );
  if (!row) throw new Error('the count of stored candidates gave no row');
  return { pairs: row.pairs, computedAt: new Date(row.computed_at) };
}

export type StoredCandidateQuery = {
  // Only pairs where both people have a business in this kecamatan (an officer who sees both).
  kecamatan?: string | null;
  after?: { score: number; a: string; b: string } | null;
  limit?: number | null;
};

// Score descending, then the ids: the expression of dedup_candidates_page_idx (all ascending, so
// that a cursor is one row comparison where the index scan starts).
const pageOrder = sql`-${dedupCandidates.score}, ${dedupCandidates.personA}, ${dedupCandidates.personB}`;

// A page of the stored queue, by score. Pairs decided or merged since the run that stored them
// are left out here (a run that started before a decision may store its pair again).
export async function listStoredCandidates(
  db: DbOrTx,
  query: StoredCandidateQuery = {},
): Promise<CandidateRow[]> {
  const c = dedupCandidates;
  const after = query.after;
  const rows = db
    .select({
      a: c.personA,
      b: c.personB,
      score: c.score,
      nikDistance: c.nikDistance,
      nikTransposed: c.nikTransposed,
      nikOtherKecamatan: c.nikOtherKecamatan,
      nikMoved: c.nikMoved,
      name: c.name,
      nameSimilarity: c.nameSimilarity,
      nameDistance: c.nameDistance,
      nameLength: c.nameLength,
      shorterNameTokens: c.shorterNameTokens,
      nameFrequency: c.nameFrequency,
      birthDate: c.birthDate,
      sex: c.sex,
      samePhone: c.samePhone,
      sameAddress: c.sameAddress,
      sameKelurahan: c.sameKelurahan,
      sameBusiness: c.sameBusiness,
      householdMoved: c.householdMoved,
    })
    .from(c)
    .where(
      and(
        after
          ? sql`(${pageOrder}) > (${-after.score}::float8, ${after.a}::uuid, ${after.b}::uuid)`
          : undefined,
        sql`not exists (select 1 from ${dedupDecisions} d where d.person_a = ${c.personA} and d.person_b = ${c.personB})`,
        // One look-up per person, by id (merged people are few, a scan for them is not).
        sql`not exists (select 1 from ${people} m where m.id = ${c.personA} and m.merged_into is not null)`,
        sql`not exists (select 1 from ${people} m where m.id = ${c.personB} and m.merged_into is not null)`,
        query.kecamatan
          ? sql`exists (select 1 from ${businesses} s where s.owner_id = ${c.personA}
              and s.kecamatan_code = ${query.kecamatan})`
          : undefined,
        query.kecamatan
          ? sql`exists (select 1 from ${businesses} s where s.owner_id = ${c.personB}
              and s.kecamatan_code = ${query.kecamatan})`
          : undefined,
      ),
    )
    .orderBy(pageOrder);
  return query.limit ? rows.limit(query.limit) : rows;
}

// Row locks held by a run that is replacing the queue are skipped rather than waited for (that
// run may take many seconds): the pairs it stores again are left out when a page is read.
export async function deleteCandidatePair(db: DbOrTx, personA: string, personB: string) {
  await db.execute(sql`
    delete from dedup_candidates where (person_a, person_b) in (
      select person_a, person_b from dedup_candidates
      where person_a = ${personA}::uuid and person_b = ${personB}::uuid
      for update skip locked)`);
}

export async function deleteCandidatesOfPerson(db: DbOrTx, personId: string) {
  await db.execute(sql`
    delete from dedup_candidates where (person_a, person_b) in (
      select person_a, person_b from dedup_candidates
      where person_a = ${personId}::uuid or person_b = ${personId}::uuid
      for update skip locked)`);
}

// People a detection run compares: its progress is counted in them.
export async function countComparablePeople(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(people)
    .where(sql`${people.mergedInto} is null`);
  return Number(row?.n ?? 0);
}

// Detection runs are jobs of kind 'dedup'. Read here directly, like the jobs module's own list,
// because the review page shows every run whoever queued it (the jobs service scopes runs to
// their creator).
export async function findDedupRuns(db: DbOrTx, kind: string) {
  const first = (statuses: (typeof jobs.$inferSelect)['status'][], order: SQL) =>
    db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, kind), inArray(jobs.status, statuses)))
      .orderBy(order)
      .limit(1);
  const finishedLast = sql`${jobs.finishedAt} desc nulls last`;
  const [[active], [newest], [succeeded], [ended]] = await Promise.all([
    first(['queued', 'running'], sql`${jobs.createdAt} asc`),
    first(['queued', 'running'], sql`${jobs.createdAt} desc`),
    first(['succeeded'], finishedLast),
    first(['succeeded', 'failed'], finishedLast),
  ]);
  return {
    // the run in progress, or else the next one
    active: active ?? null,
    // the run queued last (it may have started since)
    newest: newest ?? null,
    succeeded: succeeded ?? null,
    ended: ended ?? null,
  };
}

// Owner logins (users.person_id) of the duplicate follow its businesses to the survivor.
export async function repointOwnerLogins(db: DbOrTx, fromId: string, toId: string) {
  forgetSessions();
  return db
    .update(users)
    .set({ personId: toId })
    .where(eq(users.personId, fromId))
    .returning({ id: users.id, username: users.username });
}

// The name keys the database computes (the expression of people.name_key), for checking them
// against the domain's nameKey().
export async function computeNameKeys(db: DbOrTx, names: string[]): Promise<string[]> {
  const rows = await queryRows<{ k: string }>(
    db,
    sql`select ${sql.raw(nameKeySql('n'))} as k from unnest(${textArray(names)}::text[]) with ordinality as u(n, i)
      order by i`,
  );
  return rows.map((r) => r.k);
}

export async function getPeople(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(people).where(inArray(people.id, ids));
}

// NO KEY UPDATE: a merge or a dismissal never changes a person's id, and a stronger lock would
// conflict with the KEY SHARE locks that a detection run's inserts into dedup_candidates take on
// both people of every pair (their foreign keys): the review would wait for the whole run, or
// deadlock with it.
export async function getPersonForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('no key update');
  return row ?? null;
}

export async function listBusinessesOfPeople(db: DbOrTx, ownerIds: string[]) {
  if (ownerIds.length === 0) return [];
  return db
    .select()
    .from(businesses)
    .where(inArray(businesses.ownerId, ownerIds))
    .orderBy(asc(businesses.createdAt), asc(businesses.id));
}

export async function listBusinessesOfPersonForUpdate(db: DbOrTx, ownerId: string) {
  return db
    .select()
    .from(businesses)
    .where(eq(businesses.ownerId, ownerId))
    .orderBy(asc(businesses.createdAt), asc(businesses.id))
    .for('update');
}

export async function insertDecision(db: DbOrTx, values: typeof dedupDecisions.$inferInsert) {
  const [row] = await db
    .insert(dedupDecisions)
    .values(values)
    .onConflictDoUpdate({
      target: [dedupDecisions.personA, dedupDecisions.personB],
      set: {
        decision: values.decision,
        score: values.score,
        reasons: values.reasons,
        decidedBy: values.decidedBy,
        decidedAt: new Date(),
        undo: values.undo ?? null,
      },
    })
    .returning();
  if (!row) throw new Error('insert … returning gave no row');
  return row;
}

export async function getDecision(db: DbOrTx, personA: string, personB: string) {
  const [row] = await db
    .select()
    .from(dedupDecisions)
    .where(and(eq(dedupDecisions.personA, personA), eq(dedupDecisions.personB, personB)));
  return row ?? null;
}

// Does either person have a business in the kecamatan (a kecamatan officer's scope)?
export async function touchesKecamatan(db: DbOrTx, personIds: string[], kecamatan: string) {
  const [row] = await db
    .select({ id: businesses.id })
    .from(businesses)
    .where(and(inArray(businesses.ownerId, personIds), eq(businesses.kecamatanCode, kecamatan)))
    .limit(1);
  return row !== undefined;
}

export async function getDecisionForUpdate(db: DbOrTx, personA: string, personB: string) {
  const [row] = await db
    .select()
    .from(dedupDecisions)
    .where(and(eq(dedupDecisions.personA, personA), eq(dedupDecisions.personB, personB)))
    .for('update');
  return row ?? null;
}

export async function deleteDecision(db: DbOrTx, personA: string, personB: string) {
  await db
    .delete(dedupDecisions)
    .where(and(eq(dedupDecisions.personA, personA), eq(dedupDecisions.personB, personB)));
}

export async function restoreDecision(db: DbOrTx, values: typeof dedupDecisions.$inferInsert) {
  await db.insert(dedupDecisions).values(values);
}

export async function repointLoginsOf(db: DbOrTx, ids: string[], fromId: string, toId: string) {
  forgetSessions();
  if (ids.length === 0) return [];
  return db
    .update(users)
    .set({ personId: toId })
    .where(and(inArray(users.id, ids), eq(users.personId, fromId)))
    .returning({ id: users.id });
}

export async function getBusinessesForUpdate(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(businesses).where(inArray(businesses.id, ids)).for('update');
}

// Merges still within their undo period, newest first, for GET /dedup/merges; with a
// kecamatan, those a kecamatan officer may undo (the survivor and every moved business there).
// The cursor carries decided_at as text, exact to the microsecond.
export async function listRecentMerges(
  db: DbOrTx,
  query: {
    since: Date;
    kecamatan: string | null;
    after: [string, string, string] | null;
    limit: number;
  },
) {
  const survivorId = sql`(${dedupDecisions.undo}->>'survivorId')::uuid`;
  return db
    .select({
      personA: dedupDecisions.personA,
      personB: dedupDecisions.personB,
      decidedAt: dedupDecisions.decidedAt,
      cursorAt: sql<string>`${dedupDecisions.decidedAt}::text`,
      undo: dedupDecisions.undo,
      decidedBy: users.username,
    })
    .from(dedupDecisions)
    .leftJoin(users, eq(users.id, dedupDecisions.decidedBy))
    .where(
      and(
        eq(dedupDecisions.decision, 'merged'),
        sql`${dedupDecisions.undo} is not null`,
        sql`${dedupDecisions.decidedAt} > ${query.since.toISOString()}::timestamptz`,
        query.kecamatan
          ? sql`exists (select 1 from ${businesses} where ${businesses.ownerId} = ${survivorId} and ${businesses.kecamatanCode} = ${query.kecamatan})
              and not exists (select 1 from jsonb_array_elements(${dedupDecisions.undo}->'businesses') as moved
                join ${businesses} on ${businesses.id} = (moved->>'id')::uuid
                where ${businesses.kecamatanCode} <> ${query.kecamatan})`
          : undefined,
        query.after
          ? sql`(${dedupDecisions.decidedAt}, ${dedupDecisions.personA}, ${dedupDecisions.personB}) < (${query.after[0]}::timestamptz, ${query.after[1]}::uuid, ${query.after[2]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(
      sql`${dedupDecisions.decidedAt} desc, ${dedupDecisions.personA} desc, ${dedupDecisions.personB} desc`,
    )
    .limit(query.limit);
}
