import { describe, expect, it } from 'vitest';
import {
  addressKey,
  compareRecords,
  dedupModel,
  identityEvidence,
  levenshtein,
  nameDistance,
  nameEvidence,
  nameExactlyEqual,
  nameKey,
  nameKeyBySteps,
  nameRelation,
  nameSynonyms,
  nikDifferences,
  nikRelation,
  type PairFeatures,
  phoneKey,
  samePhone,
  scorePair,
  trigramSimilarity,
} from './dedup.ts';

describe('nameKey', () => {
  it('gives, word by word, what the steps give over the whole name', () => {
    // words that each step acts on: titles, dotless degrees, folds, doubled letters, every
    // synonym, the lone "m" (and "mm", which becomes one), and plain words
    const pool = [
      ...['h', 'hj', 'haji', 'ibu', 'bapak', 'dr', 'drs', 'ir', 'prof', 'ny', 'kh', 'ust', 'alm', 'ns', 'tn'],
      ...['spd', 'spdi', 'skom', 'sei', 'amd', 'amdkeb', 'mba', 'apt', 'mpd', 'msi', 'bsc', 'phd', 'sag'],
      ...[
        'soekarno',
        'djoko',
        'tjahjo',
        'sjahrir',
        'achmad',
        'khairul',
        'syarif',
        'thoha',
        'dhani',
        'philip',
      ],
      ...['qomar', 'yuly', 'dony', 'anna', 'hassan', 'muhammad', 'mm', 'm', 'md', 'moh', 'y', 'yy'],
      ...Object.entries(nameSynonyms).flatMap(([canonical, variants]) => [canonical, ...variants]),
      ...['siti', 'aminah', 'budi', 'rizki', 'dayang', 'ngaju', 'a', 'b'],
    ];
    // mulberry32, seeded: the same names on every run
    let seed = 17;
    const next = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const cased = (word: string) => [...word].map((c) => (next(3) === 0 ? c.toUpperCase() : c)).join('');
    for (let i = 0; i < 20_000; i++) {
      const words = Array.from({ length: 1 + next(5) }, () => cased(pool[next(pool.length)] as string));
      const name = words.join(' ');
      expect(nameKey(name), name).toBe(nameKeyBySteps(name));
    }
  });

  it('gives every way of writing Muhammad one key', () => {
    const forms = [
      'Muhammad',
      'Muhamad',
      'Mohammad',
      'Mohamad',
      'Moh.',
      'Muh.',
      'M.',
      'M',
      'Mhd.',
      'Mochammad',
      'MUHAMMAD',
    ];
    for (const form of forms) expect(nameKey(`${form} Rizki Saputra`), form).toBe('muhamad rizki saputra');
    expect(nameKey('M.Rizki')).toBe('muhamad rizki');
    // A trailing initial is not Muhammad.
    expect(nameKey('Rizki M.')).toBe('rizki m');
  });

  it('drops titles before the name and degrees after it', () => {
    const cases: [string, string][] = [
      ['H. Ahmad Sahrani', 'ahmad sahrani'],
      ['Hj. Siti Aminah', 'siti aminah'],
      ['Hj Siti Aminah', 'siti aminah'],
      ['Ibu Yuliana Ngabe', 'yuliana ngabe'],
      ['Bapak Yohanes Antang', 'yohanes antang'],
      ['Bpk. Yohanes Antang', 'yohanes antang'],
      ['Sdr. Agus Salim', 'agus salim'],
      ['Sdri. Rina', 'rina'],
      ['Dr. Ir. H. Budi Santoso', 'budi santoso'],
      ['Siti Aminah, S.Pd', 'siti aminah'],
      ['Siti Aminah S.Pd', 'siti aminah'],
      ['Siti Aminah S.Pd.I', 'siti aminah'],
      ['Budi Santoso, S.E., M.M.', 'budi santoso'],
      ['Budi Santoso S.E. M.M.', 'budi santoso'],
      ['Rudi Hartono S.Kom', 'rudi hartono'],
      ['Nurhayati A.Md', 'nurhayati'],
      ['Nurhayati, A.Md.Keb', 'nurhayati'],
      ['Agus SPd', 'agus'],
    ];
    for (const [name, key] of cases) expect(nameKey(name), name).toBe(key);
  });

  it('ignores case, spacing and punctuation, and folds old spellings', () => {
    expect(nameKey('  SITI   aminah ')).toBe('siti aminah');
    expect(nameKey("Ma'ruf Amin")).toBe('maruf amin');
    expect(nameKey('Siti-Aminah')).toBe('siti aminah');
    expect(nameKey('Soekarno')).toBe(nameKey('Sukarno'));
    expect(nameKey('Achmad Djunaedi')).toBe(nameKey('Ahmad Junaedi'));
    expect(nameKey('Rahmawaty')).toBe(nameKey('Rahmawati'));
    expect(nameKey('Syamsul')).toBe(nameKey('Samsul'));
  });

  it('keeps letters that are a name, not a title or degree', () => {
    // "SE" without dots could be a name; a name that is only a title keeps its letters.
    expect(nameKey('Agus Se')).toBe('agus se');
    expect(nameKey('Ibu')).toBe('ibu');
    expect(nameKey('Hj.')).toBe('hj');
  });
});

describe('name relations', () => {
  it('tells same, reordered, partial and similar names apart', () => {
    expect(nameRelation(nameKey('Nurhayati'), nameKey('Nur Hayati'))).toBe('same');
    expect(nameRelation('siti aminah', 'aminah siti')).toBe('reordered');
    expect(nameRelation('siti aminah', 'siti aminah saputra')).toBe('subset');
    expect(nameRelation('hasan saputra', 'husin saputra')).toBe('similar');
    expect(nameExactlyEqual('SITI  Aminah', 'siti aminah')).toBe(true);
    expect(nameExactlyEqual('M. Rizki', 'Muhammad Rizki')).toBe(false);
  });

  it('measures like pg_trgm and fuzzystrmatch', () => {
    // Values PostgreSQL gives for similarity() (a float4) and levenshtein().
    expect(trigramSimilarity('hasan saputra', 'husin saputra')).toBe(Math.fround(9 / 19));
    expect(trigramSimilarity('siti aminah', 'siti aminah saputra')).toBe(Math.fround(12 / 19));
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(nameDistance('mariana', 'mraiana')).toBe(1);
    expect(nameDistance('ari', 'andi')).toBe(2);
    expect(nameDistance('ahmad', 'budiman santoso')).toBe(4);
  });
});

describe('NIK, phone and address', () => {
  it('relates NIKs: equal, one digit, two neighbours swapped, two digits, different', () => {
    const nik = '6271021203800001';
    expect(nikRelation(nik, nik)).toBe('equal');
    expect(nikRelation(nik, '6271021203800002')).toBe('one_digit');
    expect(nikRelation(nik, '6271021203800010')).toBe('transposed');
    expect(nikRelation(nik, '6217021203800001')).toBe('transposed');
    expect(nikRelation(nik, '6271021203800022')).toBe('two_digits');
    expect(nikRelation(nik, '6271025507820002')).toBe('different');
    expect(nikRelation('6271 0212 0380 0001', nik)).toBe('equal');
    expect(nikDifferences(nik, '6271021203800010')).toEqual([14, 15]);
  });

  it('compares phones however they were written', () => {
    expect(phoneKey('0812-3456-7890')).toBe('81234567890');
    expect(phoneKey('+62 812 3456 7890')).toBe('81234567890');
    expect(phoneKey('6281234567890')).toBe('81234567890');
    expect(phoneKey('12345')).toBeNull();
    expect(samePhone('0812-3456-7890', '+6281234567890')).toBe(true);
    expect(samePhone('081234567890', '081234567891')).toBe(false);
    expect(samePhone(null, null)).toBe(false);
  });

  it('compares addresses without Jalan/Jl. and punctuation', () => {
    expect(addressKey('Jalan RTA Milono No. 5')).toBe(addressKey('JL. RTA MILONO NO 5'));
    expect(addressKey('')).toBeNull();
  });
});

const base: PairFeatures = {
  nikDistance: 1,
  nikTransposed: false,
  nikOtherKecamatan: false,
  nikMoved: false,
  name: 'same',
  nameSimilarity: 1,
  nameDistance: 0,
  nameLength: 0,
  shorterNameTokens: 2,
  nameFrequency: 50,
  birthDate: 'same',
  sex: 'same',
  samePhone: false,
  sameAddress: false,
  sameKelurahan: false,
  sameBusiness: false,
  householdMoved: false,
};

describe('scorePair', () => {
  it('proposes a NIK typo of the same name, birth date and phone, with its reasons', () => {
    const result = scorePair({ ...base, samePhone: true, sameKelurahan: true }, { nameExact: false });
    expect(result.proposed).toBe(true);
    expect(result.score).toBe(0.95);
    expect(result.reasons).toEqual([
      'nik_one_digit',
      'name_variant',
      'same_birth_date',
      'same_phone',
      'same_kelurahan',
    ]);
    expect(scorePair({ ...base, nikDistance: 2, nikTransposed: true, samePhone: true }).reasons[0]).toBe(
      'nik_transposed',
    );
  });

  it('needs more than a common name, a birth date and a NIK one digit away', () => {
    // Two women called Siti born on one day in neighbouring kecamatan have such NIKs.
    expect(scorePair(base).proposed).toBe(false);
    expect(scorePair({ ...base, sameAddress: true }).proposed).toBe(true);
    expect(scorePair({ ...base, nameFrequency: 2 }).reasons).toContain('rare_name');
    expect(scorePair({ ...base, nameFrequency: 2 }).proposed).toBe(true);
  });

  it('does not propose family members: other names, other birth dates', () => {
    const sibling = {
      ...base,
      name: 'similar' as const,
      nameSimilarity: 0.4,
      nameDistance: 4,
      birthDate: 'different' as const,
      samePhone: true,
      sameAddress: true,
      sameKelurahan: true,
    };
    expect(scorePair(sibling).proposed).toBe(false);
    // Twins: one birth date, NIKs one digit apart, one address and phone, but another name.
    expect(scorePair({ ...sibling, birthDate: 'same' }).proposed).toBe(false);
    // A father and son of one name are born years apart.
    expect(scorePair({ ...base, birthDate: 'different', samePhone: true, sameAddress: true }).proposed).toBe(
      false,
    );
  });

  it('combines name evidence and identity evidence by multiplication, clamped to [0, 1]', () => {
    const f = { ...base, name: 'subset' as const, samePhone: true };
    expect(nameEvidence(f)).toBe(dedupModel.name.subset);
    expect(identityEvidence(f)).toBe(
      Math.min(
        1,
        dedupModel.identity.nikOneDigit + dedupModel.identity.sameBirthDate + dedupModel.identity.samePhone,
      ),
    );
    expect(scorePair(f).score).toBeCloseTo(nameEvidence(f) * identityEvidence(f), 4);
    expect(identityEvidence({ ...base, nikDistance: 9, birthDate: 'different', sex: 'different' })).toBe(0);
  });

  it('reads similar names by trigrams or by one mistyped letter', () => {
    const typo = {
      name: 'similar' as const,
      nameSimilarity: 0.5,
      nameDistance: 1,
      nameLength: 8,
      shorterNameTokens: 1,
    };
    expect(nameEvidence(typo)).toBe(1);
    // "Ari" and "Andi": two edits in four letters.
    expect(nameEvidence({ ...typo, nameSimilarity: 0.56, nameDistance: 2, nameLength: 4 })).toBeLessThan(0.6);
  });
});

describe('compareRecords', () => {
  const a = {
    nik: '6271024304630001',
    name: 'Siti Aisyah',
    sex: 'P' as const,
    birthDate: '1963-04-03',
    phone: '+6281234567890',
    address: 'Jl. Beliang No. 5',
    kelurahan: ['62.71.02.1004'],
  };

  it('measures a second registration with a NIK typo and a title', () => {
    const f = compareRecords(a, {
      ...a,
      nik: '6271024304630010',
      name: 'Hj. SITI AISYAH',
      phone: '0812-3456-7890',
      address: 'Jalan Beliang No 5',
    });
    expect(f).toMatchObject({
      nikDistance: 2,
      nikTransposed: true,
      name: 'same',
      birthDate: 'same',
      samePhone: true,
      sameAddress: true,
      sameKelurahan: true,
    });
    expect(scorePair(f).proposed).toBe(true);
  });

  it('forgives a birth date taken from the mistyped NIK', () => {
    // The day digits 43 → 44: the second record's birth date came from its NIK.
    const f = compareRecords(a, { ...a, nik: '6271024404630001', birthDate: '1963-04-04' });
    expect(f.birthDate).toBe('unknown');
    // A birth date that contradicts its own NIK is a typo of its own: no evidence either way.
    expect(compareRecords(a, { ...a, nik: '6271024404630001', birthDate: '1970-01-01' }).birthDate).toBe(
      'unknown',
    );
    // Two birth dates that each agree with their NIK, which are not one typo apart, do differ.
    expect(compareRecords(a, { ...a, nik: '6271024101700001', birthDate: '1970-01-01' }).birthDate).toBe(
      'different',
    );
  });
});
