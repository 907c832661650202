import { describe, expect, it } from 'vitest';
import {
  businessKey,
  compareRecords,
  nameKey,
  nameRelation,
  nikMoved,
  nikOtherKecamatan,
  type PersonRecord,
  scorePair,
} from './dedup.ts';
import { generateNik } from './nik.ts';

describe('old and current spellings give one name key', () => {
  it.each([
    ['Oe/U', 'Soekarno Djoewita', 'Sukarno Juwita'],
    ['Dj/J', 'Djumadi', 'Jumadi'],
    ['Tj/C', 'Tjahyadi', 'Cahyadi'],
    ['Tj/C in a street-like name', 'Tjilik Riwut', 'Cilik Riwut'],
    ['Sj/Sy', 'Sjamsul Arifin', 'Syamsul Arifin'],
    ['Ch/Kh', 'Chairul Anwar', 'Khairul Anwar'],
    ['Ch/Kh/H', 'Chadijah', 'Hadijah'],
    ['Achmad/Ahmad', 'Achmad Yani', 'Ahmad Yani'],
    ['Sitti/Siti', 'Sitti Nurbaya', 'Siti Nurbaya'],
    ['Moehammad/Muhammad', 'Moehammad Hatta', 'Muhammad Hatta'],
    ['Mochammad/Muhammad', 'Mochammad Hatta', 'M. Hatta'],
  ])('%s: %s = %s', (_label, old, current) => {
    expect(nameKey(old)).toBe(nameKey(current));
    expect(nameRelation(nameKey(old), nameKey(current))).toBe('same');
  });

  it('keeps names apart that only look alike', () => {
    expect(nameKey('Sutiah')).not.toBe(nameKey('Sutinah'));
    expect(nameKey('Jaya')).not.toBe(nameKey('Raya'));
  });

  it('reads another order as the same words', () => {
    expect(nameRelation(nameKey('Siti Aminah'), nameKey('Aminah Sitti'))).toBe('reordered');
    expect(nameRelation(nameKey('Moehammad Rizki Saputra'), nameKey('Saputra M. Rizki'))).toBe('reordered');
  });
});

describe('NIKs from two kecamatan', () => {
  const here = generateNik({ kecamatanCode: '62.71.02', birthDate: '1980-02-10', sex: 'P', serial: 1 });
  const there = generateNik({ kecamatanCode: '62.11.03', birthDate: '1980-02-10', sex: 'P', serial: 7 });
  const neighbour = generateNik({ kecamatanCode: '62.71.03', birthDate: '1980-02-10', sex: 'P', serial: 1 });
  const otherDay = generateNik({ kecamatanCode: '62.11.03', birthDate: '1980-02-11', sex: 'P', serial: 7 });
  const man = generateNik({ kecamatanCode: '62.11.03', birthDate: '1980-02-10', sex: 'L', serial: 7 });

  it('says a new NIK elsewhere with the same birth date and sex may be the same person', () => {
    expect(nikOtherKecamatan(here, there)).toBe(true);
    expect(nikMoved(here, there)).toBe(true);
    expect(nikMoved(here, otherDay)).toBe(false);
    expect(nikMoved(here, man)).toBe(false);
    // One digit apart is a typo, whichever kecamatan it names.
    expect(nikMoved(here, neighbour)).toBe(false);
    expect(nikOtherKecamatan(here, neighbour)).toBe(true);
    // One kecamatan, another serial: not moved (twins, siblings born the same day).
    const sibling = generateNik({ kecamatanCode: '62.71.02', birthDate: '1980-02-10', sex: 'P', serial: 22 });
    expect(nikMoved(here, sibling)).toBe(false);
  });

  const person = (nik: string, extra: Partial<PersonRecord> = {}): PersonRecord => ({
    nik,
    name: 'Siti Raudah',
    sex: 'P',
    birthDate: '1980-02-10',
    ...extra,
  });

  it('needs a phone, a business or a household beside the name, birth date and NIK', () => {
    const alone = scorePair(
      compareRecords(person(here), person(there, { name: 'Sitti Raudah' }), { nameFrequency: 2 }),
    );
    expect(alone.proposed).toBe(false);
    // A rare name does not count between two kecamatan: a namesake born that day looks the same.
    expect(alone.reasons).toEqual(['nik_moved', 'name_variant', 'same_birth_date']);
    expect(alone.score).toBe(0.45);

    const phone = scorePair(
      compareRecords(person(here, { phone: '081348000001' }), person(there, { phone: '+62 813-4800-0001' })),
    );
    expect(phone).toMatchObject({ proposed: true, score: 0.75 });
    const trade = businessKey('16291', 'Lampit Rotan Siti');
    const business = scorePair(
      compareRecords(
        person(here, { businesses: [trade] }),
        person(there, { businesses: [businessKey('16291', 'LAMPIT  ROTAN SITI')] }),
      ),
    );
    expect(business).toMatchObject({ proposed: true, score: 0.7 });
    const household = scorePair(compareRecords(person(here), person(there), { householdMoved: true }));
    expect(household.signals).toContainEqual({ reason: 'household_moved', weight: 0.3 });
    expect(household.proposed).toBe(true);
  });

  it('still counts a rare name within one kecamatan', () => {
    const typo = `${here.slice(0, 15)}9`;
    const result = scorePair(compareRecords(person(here), person(typo), { nameFrequency: 2 }));
    expect(result.reasons).toEqual(['nik_one_digit', 'name_variant', 'rare_name', 'same_birth_date']);
    expect(result.score).toBe(0.75);
  });

  it('names every signal with its weight, the name as a factor', () => {
    const { signals, score } = scorePair(
      compareRecords(
        person(here, { phone: '081348000001' }),
        person(there, { name: 'Raudah Siti', phone: '081348000001' }),
      ),
    );
    expect(signals).toEqual([
      { reason: 'nik_moved', weight: 0.2 },
      { reason: 'name_reordered', weight: 0.95 },
      { reason: 'same_birth_date', weight: 0.25 },
      { reason: 'same_phone', weight: 0.3 },
    ]);
    expect(score).toBe(0.7125);
  });
});
