import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/sql-rows.ts';
import {
  businessBody,
  createTestApp,
  createUser,
  type TestApp,
  type TestUser,
} from '../../testing/harness.ts';
import {
  type PublicFilter,
  prefixExpansionLimit,
  rankPublicProducts,
  readVersionAndCorrections,
  type SearchTerm,
  searchPublicPage,
} from './catalog.queries.ts';

// A word being typed is searched as a prefix, matched as the exact OR of the catalogue's
// lexemes that start with it (catalog_lexemes, kept by the products trigger): the same
// products as the prefix, whatever was added, renamed or removed.
let t: TestApp;
let officer: TestUser;
let businessId: string;
const savedCache = process.env.PULIH_CATALOG_CACHE;

// More words starting with `zqa` than an expansion takes.
const manyWords = Array.from(
  { length: prefixExpansionLimit + 1 },
  (_, i) => `zqa${String.fromCharCode(97 + i)}`,
);

const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: officer.cookie }, payload });

async function addProduct(name: string, description: string | null = null) {
  const res = await call('POST', '/products', {
    businessId,
    name,
    description,
    price: 60_000,
    category: 'kerajinan',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function hasLexeme(lexeme: string) {
  const rows = await queryRows<{ found: boolean }>(
    t.ctx.db,
    sql`select exists (select 1 from catalog_lexemes where lexeme = ${lexeme}) as found`,
  );
  return Boolean(rows[0]?.found);
}

async function expansionOf(word: string) {
  const read = await readVersionAndCorrections(t.ctx.db, [word]);
  return read.corrections.find((c) => c.word === word)?.expansion ?? null;
}

async function searchNames(query: string) {
  const res = await t.app.inject({ url: `/api/v1/catalog/products?q=${encodeURIComponent(query)}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { name: string }[] }).items.map((i) => i.name).sort();
}

beforeAll(async () => {
  process.env.PULIH_CATALOG_CACHE = '0';
  t = await createTestApp();
  officer = await createUser(t, 'program_officer');
  const res = await call(
    'POST',
    '/businesses',
    businessBody({ name: 'Anyaman Kereng', regionCode: '62.71.04.1002' }),
  );
  expect(res.statusCode, res.body).toBe(201);
  businessId = res.json().id;
  await addProduct('Tas Rotan', 'dianyam dari rotan-rotanan pilihan');
  await addProduct('Gelang Manik', 'manik manik manis');
  await addProduct('Rotanu Besar', 'rotan manis');
  await addProduct('Kain Zqa', manyWords.join(' '));
});
afterAll(async () => {
  if (savedCache === undefined) delete process.env.PULIH_CATALOG_CACHE;
  else process.env.PULIH_CATALOG_CACHE = savedCache;
  await t?.close();
});

describe('the lexemes of the documents', () => {
  it('holds every lexeme of a new product’s document, a hyphenated word’s own too, and no filter mark', async () => {
    await addProduct('Bakul Purun-purunan', 'tikar kelulut');
    // `kelulut` is the stem `lulut`; the category `kerajinan` is `rajin`.
    for (const lexeme of ['bakul', 'purun-purun', 'purun', 'tikar', 'lulut', 'rajin'])
      expect(await hasLexeme(lexeme), lexeme).toBe(true);
    const marks = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from catalog_lexemes where lexeme like '@%'`,
    );
    expect(marks[0]?.n).toBe(0);
  });

  it('takes a renamed product’s new words, and a prefix that only a removed word had finds nothing', async () => {
    const id = await addProduct('Gerabah Liat');
    expect(await searchNames('lia')).toEqual(['Gerabah Liat']);
    expect(await hasLexeme('tanah')).toBe(false);
    const res = await call('PATCH', `/products/${id}`, { name: 'Gerabah Tanah' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await hasLexeme('tanah')).toBe(true);
    expect(await searchNames('tana')).toEqual(['Gerabah Tanah']);
    // The old lexeme stays in the table; its branch of the OR matches nothing.
    expect(await expansionOf('lia')).toBe("'liat'");
    expect(await searchNames('lia')).toEqual([]);
  });
});

describe('a prefix as an exact OR of lexemes', () => {
  it('reads the lexemes that start with a word’s stem with its correction', async () => {
    expect(await expansionOf('rotan')).toBe("'rotan' | 'rotan-rotan' | 'rotanu'");
    // The stem: `menganyam:*` is `anyam:*`.
    expect(await expansionOf('menganyam')).toBe("'anyam'");
    expect(await expansionOf('zqab')).toBe("'zqab'");
    // No lexeme starts with it: a lexeme no document has.
    expect(await expansionOf('gerabahx')).toBe("'@none'");
    // Too many lexemes, a word too short to be typed as a prefix: the prefix itself.
    expect(await expansionOf('zqa')).toBeNull();
    expect(await expansionOf('ro')).toBeNull();
  });

  it('finds what the prefix finds, as typed and with a typo, through the API', async () => {
    expect(await searchNames('rota')).toEqual(['Rotanu Besar', 'Tas Rotan']);
    expect(await searchNames('rotan')).toEqual(['Rotanu Besar', 'Tas Rotan']);
    // Ended by a space: the word alone.
    expect(await searchNames('rotan ')).toEqual(['Rotanu Besar', 'Tas Rotan']);
    expect(await searchNames('rotanu ')).toEqual(['Rotanu Besar']);
    expect(await searchNames('manis rota')).toEqual(['Rotanu Besar']);
    expect(await searchNames('zqa')).toEqual(['Kain Zqa']);
    expect(await searchNames('zqaq')).toEqual(['Kain Zqa']);
    expect(await searchNames('rottan man')).toEqual(['Rotanu Besar']);
    // Beside a place: the words' expansion is read with the place's probe, then searched.
    expect(await searchNames('rota kalampangan')).toEqual(['Rotanu Besar', 'Tas Rotan']);
    expect(await searchNames('kalampangan rota')).toEqual(['Rotanu Besar', 'Tas Rotan']);
  });

  it('ranks and pages as the prefix does, in every tier', async () => {
    const filterOf = (words: string[], expansion: string | null | undefined): PublicFilter => ({
      terms: words.map(
        (word, i): SearchTerm => ({
          word,
          correction: null,
          prefix: i === words.length - 1,
          ...(i === words.length - 1 ? { expansion } : {}),
        }),
      ),
      phrase: words.join(' '),
      places: [],
    });
    for (const words of [['man'], ['rota'], ['manik', 'man'], ['rotan', 'man']]) {
      const last = words[words.length - 1] ?? '';
      const expansion = await expansionOf(last);
      expect(expansion, last).not.toBeNull();
      for (const page of [
        { limit: 24, offset: 0 },
        { limit: 1, offset: 0 },
        { limit: 2, offset: 1 },
      ]) {
        const asPrefix = await rankPublicProducts(t.ctx.db, filterOf(words, null), page);
        if (page.limit === 24) expect(asPrefix.length, words.join(' ')).toBeGreaterThan(0);
        expect(await rankPublicProducts(t.ctx.db, filterOf(words, expansion), page)).toEqual(asPrefix);
        for (const walk of [undefined, () => 1]) {
          const read = await searchPublicPage(t.ctx.db, filterOf(words, null), page, {
            facets: true,
            correct: true,
            walk,
          });
          expect(read.ids).toEqual(asPrefix);
          const literal = await searchPublicPage(t.ctx.db, filterOf(words, null), page, {
            facets: true,
            walk,
          });
          expect(read.facets).toEqual(literal.facets);
        }
      }
    }
  });
});
