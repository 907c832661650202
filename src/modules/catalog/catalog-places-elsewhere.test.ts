import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { businessBody, createTestApp, createUser, type TestApp } from '../../testing/harness.ts';

// A word that is also the name of a desa somewhere in Indonesia (`kopi` names desa in Sulawesi
// and Papua) is a place only where a business is. The first time, the first statement, with the
// version and the corrections, says which of the places the words may name have one, so `kopi`
// is searched as a word at once instead of after a search filtered by a desa no product can be
// in. After that the server guesses from what it was told last, and one statement searches as
// the guess says and checks it: when the guess no longer holds (a business opened in the place,
// or left it), the answer is the one the steps without a guess give. The answer cache is off:
// every request takes these paths.
let t: TestApp;
const savedCache = process.env.PULIH_CATALOG_CACHE;

type Page = {
  items: { name: string }[];
  suggestion: string | null;
  facets?: Record<'kecamatan' | 'category' | 'price', { value: string; count: number }[]>;
};

// The statements the database is asked, as drizzle prepares them (raw SQL and builders alike).
function countStatements() {
  const session = (t.ctx.db as unknown as { session: { prepareQuery: (...args: never[]) => unknown } })
    .session;
  return vi.spyOn(session, 'prepareQuery');
}

async function search(query: string) {
  const statements = countStatements();
  try {
    const res = await t.app.inject({ url: `/api/v1/catalog/products?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return { page: res.json() as Page, statements: statements.mock.calls.length };
  } finally {
    statements.mockRestore();
  }
}
const q = (words: string) => `q=${encodeURIComponent(words)}`;
const names = (page: Page) => page.items.map((i) => i.name).sort();

beforeAll(async () => {
  process.env.PULIH_CATALOG_CACHE = '0';
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const call = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { cookie: officer.cookie }, payload });
  // Kalampangan: a kelurahan of Sabangau, in the city.
  const business = await call(
    '/businesses',
    businessBody({ name: 'Kebun Kalampangan', regionCode: '62.71.04.1002' }),
  );
  expect(business.statusCode, business.body).toBe(201);
  for (const [name, category, price] of [
    ['Kopi Liberika', 'minuman', 60_000],
    ['Kopi Jahe', 'minuman', 30_000],
    ['Tas Rotan', 'kerajinan', 150_000],
  ] as const) {
    const res = await call('/products', { name, category, price, businessId: business.json().id });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  if (savedCache === undefined) delete process.env.PULIH_CATALOG_CACHE;
  else process.env.PULIH_CATALOG_CACHE = savedCache;
  await t?.close();
});

describe('a word that names a desa where no business is', () => {
  it('is one: the reference data has desa named Kopi outside the city', () => {
    const elsewhere = t.ctx.regions.findAllByName('kopi', ['kecamatan', 'kelurahan', 'desa']);
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.every((r) => !r.code.startsWith('62.71'))).toBe(true);
  });

  it('is searched as a word: two statements the first time, one once the place is known', async () => {
    const first = await search(q('kopi'));
    expect(names(first.page)).toEqual(['Kopi Jahe', 'Kopi Liberika']);
    expect(first.statements).toBe(2);
    const again = await search(q('kopi'));
    expect(names(again.page)).toEqual(['Kopi Jahe', 'Kopi Liberika']);
    expect(again.statements).toBe(1);

    // With another word, facets or filters (each query once to learn its places, then once).
    const queries = [
      `${q('kopi jahe')}&facets=true`,
      `${q('kopi')}&category=minuman&price=50k-100k`,
      q('kopi jahee '),
    ];
    const searched: { page: Page; statements: number }[] = [];
    for (const query of queries) {
      await search(query);
      searched.push(await search(query));
    }
    const [two, filtered, typo] = searched;
    expect(searched.map((s) => s.statements)).toEqual([1, 1, 1]);
    expect(names(two?.page ?? { items: [], suggestion: null })).toEqual(['Kopi Jahe']);
    expect(two?.page.facets?.category).toEqual([{ value: 'minuman', label: null, count: 1 }]);
    expect(names(filtered?.page ?? { items: [], suggestion: null })).toEqual(['Kopi Liberika']);
    // A typo beside it is corrected in the same statement.
    expect(typo?.page.suggestion).toBe('kopi jahe');
    expect(names(typo?.page ?? { items: [], suggestion: null })).toEqual(['Kopi Jahe']);
  });

  it('leaves a place where a business is to the search, as before', async () => {
    const there = await search(q('kopi kalampangan'));
    expect(names(there.page)).toEqual(['Kopi Jahe', 'Kopi Liberika']);
    const thereAgain = await search(q('kopi kalampangan'));
    expect(names(thereAgain.page)).toEqual(['Kopi Jahe', 'Kopi Liberika']);
    expect(thereAgain.statements).toBe(1);
    // `madu` names desa elsewhere too; Kalampangan, where a business is, is the place.
    await search(q('jahe kalampangan'));
    const jahe = await search(q('jahe kalampangan'));
    expect(names(jahe.page)).toEqual(['Kopi Jahe']);
    expect(jahe.statements).toBe(1);
    // A place named alone: its products by name.
    await search(q('kalampangan'));
    const alone = await search(q('kalampangan'));
    expect(names(alone.page)).toEqual(['Kopi Jahe', 'Kopi Liberika', 'Tas Rotan']);
    expect(alone.statements).toBe(1);
    // Nothing matches there: the words are searched as words, one statement more.
    const none = await search(q('madu kalampangan'));
    expect(none.page.items).toEqual([]);
    expect(none.statements).toBe(3);
    const noneAgain = await search(q('madu kalampangan'));
    expect(noneAgain.page.items).toEqual([]);
    expect(noneAgain.statements).toBe(2);
  });
});

describe('a place guess that no longer holds', () => {
  it('gives the answer of the checked places when a business opens in the place and when it leaves', async () => {
    // Sabaru: a kelurahan of Sabangau with no business yet, and two desa in Sulawesi.
    const call = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
      const officer = await createUser(t, 'program_officer');
      return t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: officer.cookie }, payload });
    };
    await search(q('tas sabaru'));
    const before = await search(q('tas sabaru'));
    expect(before.page.items).toEqual([]);
    expect(before.statements).toBe(1);

    const business = await call(
      'POST',
      '/businesses',
      businessBody({ name: 'Anyaman Purun', regionCode: '62.71.04.1006' }),
    );
    expect(business.statusCode, business.body).toBe(201);
    const product = await call('POST', '/products', {
      name: 'Tas Purun',
      category: 'kerajinan',
      price: 80_000,
      businessId: business.json().id,
    });
    expect(product.statusCode, product.body).toBe(201);
    // The guess (no business in Sabaru) is checked and found wrong: the steps without it.
    const opened = await search(q('tas sabaru'));
    expect(names(opened.page)).toEqual(['Tas Purun']);
    expect(opened.statements).toBe(3);
    const openedAgain = await search(q('tas sabaru'));
    expect(names(openedAgain.page)).toEqual(['Tas Purun']);
    expect(openedAgain.statements).toBe(1);

    await search(q('sabaru'));
    const placeAlone = await search(q('sabaru'));
    expect(names(placeAlone.page)).toEqual(['Tas Purun']);
    expect(placeAlone.statements).toBe(1);

    // The business moves to Kalampangan: Sabaru has none again.
    const moved = await call('PATCH', `/businesses/${business.json().id}`, { regionCode: '62.71.04.1002' });
    expect(moved.statusCode, moved.body).toBe(200);
    const left = await search(q('tas sabaru'));
    expect(left.page.items).toEqual([]);
    expect(left.statements).toBe(3);
    const leftAgain = await search(q('tas sabaru'));
    expect(leftAgain.page.items).toEqual([]);
    expect(leftAgain.statements).toBe(1);
    const placeLeft = await search(q('sabaru'));
    expect(placeLeft.page.items).toEqual([]);
    expect(placeLeft.statements).toBe(1);
  });
});

describe('words that name no place', () => {
  it('are searched in one statement: version, corrections and page, with facets and on the next page', async () => {
    const word = await search(q('rotan'));
    expect(names(word.page)).toEqual(['Tas Rotan']);
    expect(word.statements).toBe(1);

    // The typo is corrected in the statement that searches with the correction.
    const typo = await search(`${q('liberka ')}&facets=true`);
    expect(typo.page.suggestion).toBe('liberika');
    expect(names(typo.page)).toEqual(['Kopi Liberika']);
    expect(typo.page.facets?.price).toEqual([{ value: '50k-100k', label: null, count: 1 }]);
    expect(typo.statements).toBe(1);

    // Both drinks match by their category; the next page is one statement too.
    const first = await search(`${q('minuman ')}&limit=1`);
    expect(first.page.items).toHaveLength(1);
    expect(first.statements).toBe(1);
    const cursor = (first.page as Page & { nextCursor: string }).nextCursor;
    const second = await search(`${q('minuman ')}&limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect([...names(first.page), ...names(second.page)].sort()).toEqual(['Kopi Jahe', 'Kopi Liberika']);
    expect(second.statements).toBe(1);
  });
});
