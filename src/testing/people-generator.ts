// A seeded generator of registry people for measuring duplicate detection: Indonesian names of
// Kalimantan Tengah (Banjar and Javanese Muslim names, Dayak and other Christian names, clan and
// family names), valid NIKs (region, birth date, sex, serial in order of registration), households
// whose members share an address, kelurahan, phone and often a surname (the hard negatives: twins
// and siblings even get NIKs one digit apart), and some people registered twice with the mistakes
// officers make: a NIK digit mistyped or two digits swapped, Muhammad written M./Moh./Muhamad,
// a title or degree added, a surname dropped, a letter wrong, a phone written another way.
// Some people moved to another kecamatan and were registered there with a NEW NIK that shares
// only the birth date and sex with the old one (digits 7–12), their name written in the old
// spelling (Oe/U, Dj/J, Tj/C, Sj/Sy, Ch/Kh, Achmad, Sitti, Moehammad) or the other way round, in
// another order, or with a typo; most kept their phone, some moved with their household.
// Namesakes are other people: the name of someone already registered (sometimes in another
// spelling), in another kecamatan, a few even born on the same day.
// It returns the records and the ground truth: which records are one person.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/sql-rows.ts';
import { generateNik, parseNik, type Sex } from '../domain/nik.ts';
import { normalizePhone } from '../domain/phone.ts';
import { referenceDir } from '../reference/index.ts';

export type GeneratedPerson = {
  nik: string;
  name: string;
  sex: Sex;
  birthDate: string;
  phone: string | null;
  address: string;
  kelurahan: string; // kelurahan code of the person's business
  businessName: string;
  kbli: string;
  // Some owners have a second business (in the same kelurahan).
  secondBusiness: { name: string; kbli: string } | null;
  identity: number; // records with the same identity are one person
  household: number;
};

export type GeneratedPeople = {
  people: GeneratedPerson[];
  // Index pairs [i, j] (i < j) of records that are one person.
  duplicates: [number, number][];
  // Index pairs of different people in one household (not duplicates, though they look alike).
  householdPairs: [number, number][];
  // Index pairs [earlier, namesake] of different people with one name (not duplicates).
  namesakePairs: [number, number][];
  // Index pairs [i, j] of `duplicates` where j moved to another kecamatan with a new NIK.
  movedPairs: [number, number][];
};

export type GeneratorOptions = {
  count: number;
  seed?: number;
  // Share of people registered a second time (a few a third time).
  duplicateRate?: number;
  // Share of people living with others who are also registered.
  householdRate?: number;
  // Share of second registrations made in another kecamatan with a new NIK.
  movedRate?: number;
  // Share of households that are a namesake of someone registered before.
  namesakeRate?: number;
  // "YYYY-MM-DD"; birth dates and NIK centuries are resolved against it.
  today?: string;
};

// Mulberry32: small, fast and good enough for test data.
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof seededRandom>;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const chance = (random: Random, p: number) => random() < p;

// biome-ignore format: word lists
const names = {
  muslimMen: ['Ahmad', 'Abdul', 'Rahmat', 'Hidayat', 'Agus', 'Budi', 'Dedi', 'Eko', 'Hendra', 'Rudi', 'Yanto', 'Slamet', 'Joko', 'Bambang', 'Sugeng', 'Wahyu', 'Arif', 'Fajar', 'Rizki', 'Yusuf', 'Ridwan', 'Syahrul', 'Fauzi', 'Hasan', 'Husin', 'Iwan', 'Taufik', 'Anang', 'Udin', 'Utuh', 'Sahrani', 'Zainal', 'Darmawan', 'Supriadi', 'Aditya', 'Dimas', 'Bayu', 'Andi', 'Irfan', 'Faisal', 'Rahman', 'Kurniawan', 'Firman', 'Ilham', 'Saiful', 'Khairul', 'Syamsul', 'Mulyadi', 'Hadi', 'Sutrisno', 'Suparman', 'Sukardi', 'Suryadi', 'Sugianto', 'Heri', 'Ari', 'Gusti', 'Noor', 'Jumadi', 'Aliansyah', 'Rusdi', 'Mahfud', 'Ardiansyah', 'Hamdani', 'Fahmi', 'Gazali', 'Junaidi', 'Masrani', 'Rahmadi', 'Fathurrahman', 'Riduan', 'Hairil', 'Basuki', 'Sholeh', 'Iskandar', 'Yudi', 'Teguh', 'Sapri', 'Yadi', 'Imam'],
  muslimWomen: ['Siti', 'Nurhayati', 'Rahmawati', 'Sri', 'Dewi', 'Ratna', 'Yuliana', 'Erna', 'Misnah', 'Indah', 'Herlina', 'Fitri', 'Wahyuni', 'Rina', 'Lina', 'Yanti', 'Aminah', 'Aisyah', 'Fatimah', 'Khadijah', 'Mariana', 'Halimah', 'Salmah', 'Rusmini', 'Sumiati', 'Jumiati', 'Ernawati', 'Kartini', 'Puspita', 'Anisa', 'Putri', 'Dian', 'Eka', 'Novi', 'Ayu', 'Lestari', 'Mulyani', 'Susanti', 'Hartini', 'Masitah', 'Sarimah', 'Rabiah', 'Jamilah', 'Mahmudah', 'Normah', 'Hamidah', 'Raudah', 'Syarifah', 'Nurjanah', 'Rosmawati', 'Mardiana', 'Ida', 'Yuni', 'Wulan', 'Mega', 'Rini', 'Tuti', 'Endang', 'Suryani', 'Zubaidah', 'Laila'],
  christianMen: ['Yohanes', 'Simon', 'Markus', 'Petrus', 'Paulus', 'Yosua', 'Daniel', 'Samuel', 'Stefanus', 'Agustinus', 'Antonius', 'Fransiskus', 'Yakobus', 'Nikolas', 'Elias', 'Lukas', 'Matius', 'Tommy', 'Hengki', 'Rinto', 'Jhon', 'Rony', 'Hardi', 'Sabran', 'Kristian', 'Yulius', 'Robertus', 'Aldo', 'Frengky', 'Gerson', 'Natanael', 'Rikardo', 'Alpius', 'Setia', 'Darius', 'Hanye', 'Herman', 'Yosef', 'Benny', 'Viktor'],
  christianWomen: ['Maria', 'Magdalena', 'Lidia', 'Elisabet', 'Agustina', 'Ester', 'Debora', 'Rut', 'Kristina', 'Natalia', 'Veronika', 'Yohana', 'Rosalina', 'Theresia', 'Susana', 'Martha', 'Yunita', 'Evi', 'Meri', 'Sinta', 'Fransiska', 'Imelda', 'Yuliani', 'Noviana', 'Desi', 'Herlin', 'Ria', 'Lusiana', 'Oktaviani', 'Selvi', 'Erika', 'Delfi', 'Nensi', 'Marlina', 'Santi'],
  // Second given names (Javanese and Banjar), often combined with a first one.
  muslimMiddle: ['Nur', 'Dwi', 'Tri', 'Eka', 'Sri', 'Adi', 'Hadi', 'Budi', 'Rahmat', 'Agus', 'Aji', 'Indra', 'Dian', 'Putra', 'Wira'],
  // Family, clan and patronymic-like names that households share.
  dayakFamilies: ['Ngabe', 'Antang', 'Lambung', 'Sahay', 'Rangkap', 'Tingang', 'Nyahu', 'Usup', 'Nahan', 'Kuhu', 'Bungai', 'Tundan', 'Rambang', 'Garu', 'Singa', 'Dandan', 'Anyang', 'Luhing', 'Mihing', 'Jaya', 'Toendan', 'Djaman', 'Ranying', 'Asang', 'Bangas', 'Nyangkal'],
  javaneseFamilies: ['Saputra', 'Hidayat', 'Santoso', 'Susanto', 'Wijaya', 'Kusuma', 'Pratama', 'Setiawan', 'Nugroho', 'Purnomo', 'Wibowo', 'Hartono', 'Gunawan', 'Prasetyo', 'Permana', 'Sulistyo', 'Wahyudi', 'Firmansyah', 'Ramadhan', 'Hakim', 'Syahputra', 'Maulana', 'Utomo', 'Kurniawan', 'Rahman'],
  batakFamilies: ['Siregar', 'Simanjuntak', 'Nainggolan', 'Hutapea', 'Sitorus', 'Manurung', 'Sinaga', 'Simatupang', 'Pardede', 'Tambunan'],
  streets: ['Jl. RTA Milono', 'Jl. G. Obos', 'Jl. Tjilik Riwut', 'Jl. Yos Sudarso', 'Jl. Diponegoro', 'Jl. Ahmad Yani', 'Jl. Rajawali', 'Jl. Temanggung Tilung', 'Jl. Mahir Mahar', 'Jl. Beliang', 'Jl. Sisingamangaraja', 'Jl. Kinibalu', 'Jl. Halmahera', 'Jl. Badak', 'Jl. Pierre Tendean', 'Jl. Kalimantan', 'Jl. Seth Adji', 'Jl. Galaxy', 'Jl. Hiu Putih', 'Jl. Bukit Keminting'],
  businesses: [
    { kbli: '16291', names: ['Anyaman Rotan', 'Kerajinan Rotan', 'Tikar Rotan', 'Lampit Rotan', 'Bakul Rotan'] },
    { kbli: '10792', names: ['Kue Basah', 'Roti dan Kue', 'Kue Kering', 'Amplang'] },
    { kbli: '56102', names: ['Warung Makan', 'Rumah Makan', 'Warung Soto Banjar', 'Warung Nasi Kuning'] },
    { kbli: '47111', names: ['Toko Kelontong', 'Warung Sembako', 'Kios'] },
    { kbli: '14111', names: ['Jahit', 'Konveksi', 'Penjahit'] },
    { kbli: '13134', names: ['Batik Benang Bintik', 'Sasirangan'] },
  ],
} as const;

// "Muhammad" as Indonesians write it, for duplicates of a Muhammad.
const muhammadForms = [
  'Muhammad',
  'Muhamad',
  'M.',
  'M',
  'Moh.',
  'Muh.',
  'Mohammad',
  'Mohamad',
  'Mhd.',
  'MUHAMMAD',
];
const prefixTitles = {
  L: ['H.', 'Bapak', 'Bpk.', 'Pak', 'Sdr.', 'Dr.', 'Ir.', 'Drs.', 'H'],
  P: ['Hj.', 'Ibu', 'Bu', 'Sdri.', 'Dra.', 'Dr.', 'Ny.', 'Hj'],
};
const suffixDegrees = [
  ', S.Pd',
  ', S.E.',
  ', S.Kom',
  ', A.Md',
  ', M.M.',
  ' S.Pd',
  ' S.E.',
  ', S.H.',
  ' A.Md.Keb',
  ', S.Sos',
  ' S.Pd.I',
];

type Kecamatan = { code: string; weight: number };

function loadKecamatan(): Kecamatan[] {
  const text = readFileSync(resolve(referenceDir, 'wilayah_kecamatan.csv'), 'utf8');
  const codes = text
    .split('\n')
    .map((line) => line.split(',')[0] ?? '')
    .filter((code) => /^62\.\d{2}\.\d{2}$/.test(code));
  // Most owners in the city's registry were first registered in the city, the rest elsewhere in
  // Kalimantan Tengah.
  return codes.map((code) => ({ code, weight: code.startsWith('62.71.') ? 40 : 1 }));
}

function loadKelurahan(): string[] {
  const text = readFileSync(resolve(referenceDir, 'wilayah_palangka_raya.csv'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(',')[0] ?? '')
    .filter((code) => /^62\.71\.\d{2}\.\d{4}$/.test(code));
}

function weightedPicker<T extends { weight: number }>(items: T[]) {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += item.weight;
    cumulative.push(total);
  }
  return (random: Random): T => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

function randomDate(random: Random, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 11, 31);
  return iso(new Date(from + Math.floor(random() * ((to - from) / 86_400_000 + 1)) * 86_400_000));
}

function addYears(date: string, years: number, random: Random): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() + Math.floor(random() * 330));
  return iso(d);
}

type Culture = 'muslim' | 'christian' | 'batak';

function givenName(random: Random, culture: Culture, sex: Sex): string {
  if (culture === 'muslim') {
    const list = sex === 'L' ? names.muslimMen : names.muslimWomen;
    const first = pick(random, list);
    if (sex === 'L' && chance(random, 0.16)) {
      return chance(random, 0.5) ? `Muhammad ${first}` : `Muhammad ${first} ${pick(random, list)}`;
    }
    if (sex === 'P' && chance(random, 0.15)) return `Siti ${first}`;
    const shape = random();
    if (shape < 0.35) return first;
    if (shape < 0.8) {
      const other = chance(random, 0.4) ? pick(random, names.muslimMiddle) : pick(random, list);
      return chance(random, 0.5) ? `${other} ${first}` : `${first} ${other}`;
    }
    return `${pick(random, names.muslimMiddle)} ${first} ${pick(random, list)}`;
  }
  const list = sex === 'L' ? names.christianMen : names.christianWomen;
  return chance(random, 0.35) ? `${pick(random, list)} ${pick(random, list)}` : pick(random, list);
}

function familyName(random: Random, culture: Culture): string | null {
  if (culture === 'batak') return pick(random, names.batakFamilies);
  if (culture === 'christian') return chance(random, 0.8) ? pick(random, names.dayakFamilies) : null;
  return chance(random, 0.45) ? pick(random, names.javaneseFamilies) : null;
}

function phoneNumber(random: Random): string {
  const prefixes = [
    '811',
    '812',
    '813',
    '821',
    '822',
    '823',
    '852',
    '853',
    '857',
    '858',
    '877',
    '878',
    '895',
    '896',
  ];
  const length = 7 + Math.floor(random() * 3);
  let digits = '';
  for (let i = 0; i < length; i++) digits += Math.floor(random() * 10);
  return `+62${pick(random, prefixes)}${digits}`;
}

// How a phone gets written on a form; the application stores E.164, an import may not.
function rewritePhone(random: Random, e164: string): string {
  const national = e164.slice(3);
  switch (Math.floor(random() * 4)) {
    case 0:
      return `0${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;
    case 1:
      return `+62 ${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    case 2:
      return `62${national}`;
    default:
      return `0${national}`;
  }
}

// One mistyped digit or two neighbours swapped, still a valid NIK that nobody else has.
function mistypeNik(random: Random, nik: string, used: Set<string>, today: Date): string | null {
  for (let attempt = 0; attempt < 50; attempt++) {
    const digits = nik.split('');
    if (chance(random, 0.65)) {
      const i = Math.floor(random() * 16);
      let d = digits[i];
      while (d === digits[i]) d = String(Math.floor(random() * 10));
      digits[i] = d as string;
    } else {
      const i = Math.floor(random() * 15);
      if (digits[i] === digits[i + 1]) continue;
      [digits[i], digits[i + 1]] = [digits[i + 1] as string, digits[i] as string];
    }
    const typo = digits.join('');
    if (!used.has(typo) && parseNik(typo, undefined, today).ok) return typo;
  }
  return null;
}

function mistypeLetter(random: Random, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  const letters = word.split('');
  switch (Math.floor(random() * 3)) {
    case 0:
      letters.splice(i, 1);
      break;
    case 1:
      [letters[i], letters[i + 1]] = [letters[i + 1] as string, letters[i] as string];
      break;
    default:
      letters[i] = pick(random, 'aiueonrst'.split(''));
  }
  return letters.join('');
}

// The name as written on the second registration: one or two changes to the name itself (a
// dropped last name, Muhammad abbreviated, a wrong letter, old spelling) and/or to how it is
// written (a title, a degree, capitals, spacing).
function rewriteName(random: Random, name: string, sex: Sex): string {
  let words = name.split(' ');
  const changes = chance(random, 0.3) ? 2 : 1;
  let title: string | null = null;
  let degree: string | null = null;
  let casing: 'upper' | 'lower' | 'mixed' | null = null;
  for (let n = 0; n < changes; n++) {
    switch (Math.floor(random() * 8)) {
      case 0:
        if (words.length >= 2) words = words.slice(0, -1);
        else title = pick(random, prefixTitles[sex]);
        break;
      case 1:
        title = pick(random, prefixTitles[sex]);
        break;
      case 2:
        degree = pick(random, suffixDegrees);
        break;
      case 3: {
        const i = Math.floor(random() * words.length);
        words[i] = mistypeLetter(random, words[i] as string);
        break;
      }
      case 4:
        casing = pick(random, ['upper', 'lower', 'mixed'] as const);
        break;
      case 5:
      case 6:
        if (words[0] === 'Muhammad') words = [pick(random, muhammadForms), ...words.slice(1)];
        else casing = 'upper';
        break;
      default:
        words = words.map((w) => w.replace(/u/g, 'oe').replace(/j/g, 'dj'));
    }
  }
  if (casing === 'upper') words = words.map((w) => w.toUpperCase());
  if (casing === 'lower') words = words.map((w) => w.toLowerCase());
  const joined = casing === 'mixed' ? words.join('  ') : words.join(' ');
  return `${title ? `${title} ` : ''}${joined}${degree ?? ''}`;
}

// Old (pre-1972) spelling and the current one, per word: a name in one is written in the other.
const oldSpellingWords: [string, string][] = [
  ['ahmad', 'achmad'],
  ['siti', 'sitti'],
  ['muhammad', 'moehammad'],
];
const oldSpellingLetters: [string, string][] = [
  ['sy', 'sj'],
  ['kh', 'ch'],
  ['c', 'tj'],
  ['j', 'dj'],
  ['u', 'oe'],
];

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// "Syamsul Jumadi" → "Sjamsoel Djoemadi", "Djaman Toendan" → "Jaman Tundan".
export function respell(name: string): string {
  return name
    .split(' ')
    .map((word) => {
      const lower = word.toLowerCase();
      const known = oldSpellingWords.find(([now, old]) => lower === now || lower === old);
      if (known) return capitalise(lower === known[0] ? known[1] : known[0]);
      const isOld = oldSpellingLetters.some(([, old]) => lower.includes(old));
      let out = lower;
      if (isOld) {
        for (const [now, old] of [...oldSpellingLetters].reverse()) out = out.split(old).join(now);
      } else {
        // One pass per letter group, old forms written with a placeholder so that "dj" is not
        // read again as "j" (nor "oe" as "e").
        const placeholders = oldSpellingLetters.map((_, i) => String.fromCharCode(0xe000 + i));
        oldSpellingLetters.forEach(([now], i) => {
          out = out.split(now).join(placeholders[i] as string);
        });
        oldSpellingLetters.forEach(([, old], i) => {
          out = out.split(placeholders[i] as string).join(old);
        });
      }
      return capitalise(out);
    })
    .join(' ');
}

// The first word moved to the end: "Siti Aminah" → "Aminah Siti".
export function swapOrder(name: string): string {
  const words = name.split(' ');
  return words.length < 2 ? name : [...words.slice(1), words[0]].join(' ');
}

// The name as written in the new kecamatan.
function movedName(random: Random, name: string): string {
  const x = random();
  if (x < 0.2) return name;
  if (x < 0.55) return respell(name);
  if (x < 0.75) return swapOrder(name);
  if (x < 0.87) return swapOrder(respell(name));
  const words = name.split(' ');
  const i = Math.floor(random() * words.length);
  words[i] = mistypeLetter(random, words[i] as string);
  return words.join(' ');
}

function randomAddress(random: Random): string {
  return `${pick(random, names.streets)} No. ${1 + Math.floor(random() * 120)} RT ${String(1 + Math.floor(random() * 12)).padStart(3, '0')}/RW ${String(1 + Math.floor(random() * 6)).padStart(3, '0')}`;
}

const kecamatanOfNik = (nik: string) => `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`;

export function generatePeople(options: GeneratorOptions): GeneratedPeople {
  const random = seededRandom(options.seed ?? 20200824);
  const duplicateRate = options.duplicateRate ?? 0.05;
  const householdRate = options.householdRate ?? 0.4;
  const movedRate = options.movedRate ?? 0.15;
  const namesakeRate = options.namesakeRate ?? 0.03;
  const today = new Date(`${options.today ?? '2025-06-30'}T00:00:00Z`);
  const pickKecamatan = weightedPicker(loadKecamatan());
  const kelurahan = loadKelurahan();
  const serials = new Map<string, number>();
  const usedNiks = new Set<string>();
  const people: GeneratedPerson[] = [];
  const duplicates: [number, number][] = [];
  const householdPairs: [number, number][] = [];
  const namesakePairs: [number, number][] = [];
  const movedPairs: [number, number][] = [];
  const membersOf = new Map<number, number[]>();

  const nikFor = (kecamatanCode: string, birthDate: string, sex: Sex) => {
    const group = `${kecamatanCode}|${birthDate}|${sex}`;
    const serial = (serials.get(group) ?? 0) + 1;
    serials.set(group, serial);
    return generateNik({ kecamatanCode, birthDate, sex, serial: Math.min(serial, 9999) });
  };

  let identity = 0;
  let household = 0;
  const originals: number[] = [];
  // Originals first (households), then their second registrations.
  const target = Math.max(1, Math.round(options.count / (1 + duplicateRate * 1.1)));
  while (originals.length < target) {
    household++;
    if (originals.length > 0 && chance(random, namesakeRate)) {
      addNamesake();
      continue;
    }
    const culture: Culture = chance(random, 0.62) ? 'muslim' : chance(random, 0.85) ? 'christian' : 'batak';
    const surname = familyName(random, culture);
    const village = pick(random, kelurahan);
    const address = randomAddress(random);
    const sharedPhone = phoneNumber(random);
    const homeKecamatan = village.slice(0, 8);
    const size = chance(random, householdRate) ? 2 + Math.floor(random() * 4) : 1;
    const parentSex: Sex = chance(random, 0.5) ? 'L' : 'P';
    const parentBirth = randomDate(random, 1955, 1990);
    const members: { sex: Sex; birthDate: string; kecamatan: string }[] = [];
    members.push({
      sex: parentSex,
      birthDate: parentBirth,
      kecamatan: chance(random, 0.6) ? homeKecamatan : pickKecamatan(random).code,
    });
    if (size >= 2) {
      members.push({
        sex: parentSex === 'L' ? 'P' : 'L',
        birthDate: addYears(parentBirth, Math.floor(random() * 7) - 3, random),
        kecamatan: chance(random, 0.6) ? homeKecamatan : pickKecamatan(random).code,
      });
    }
    for (let c = 2; c < size; c++) {
      const previous = members.at(-1) as { sex: Sex; birthDate: string };
      // Twins: same birth date, one kecamatan, consecutive serials.
      const twin = c >= 3 && chance(random, 0.15);
      const birthDate = twin
        ? previous.birthDate
        : addYears(parentBirth, 20 + Math.floor(random() * 12), random);
      // Owners are adults.
      if (birthDate > `${today.getUTCFullYear() - 17}${iso(today).slice(4)}`) continue;
      members.push({
        sex: twin && chance(random, 0.6) ? previous.sex : chance(random, 0.5) ? 'L' : 'P',
        birthDate,
        kecamatan: homeKecamatan,
      });
    }
    const start = people.length;
    const usedGiven = new Set<string>();
    for (const [m, member] of members.entries()) {
      identity++;
      const nik = nikFor(member.kecamatan, member.birthDate, member.sex);
      usedNiks.add(nik);
      // Spouses in Muslim households rarely share a surname; children take the father's.
      const withSurname = surname && (culture !== 'muslim' || m !== 1 || parentSex === 'P') ? surname : null;
      // Parents do not give two children one name.
      let given = givenName(random, culture, member.sex);
      const own = (g: string) => g.split(' ').filter((w) => w !== 'Muhammad' && w !== 'Siti');
      for (let tries = 0; tries < 30 && own(given).some((w) => usedGiven.has(w)); tries++) {
        given = givenName(random, culture, member.sex);
      }
      for (const w of own(given)) usedGiven.add(w);
      const business = pick(random, names.businesses);
      const ownName = withSurname ? `${given} ${withSurname}` : given;
      people.push({
        nik,
        name: ownName,
        sex: member.sex,
        birthDate: member.birthDate,
        phone:
          size > 1 && chance(random, 0.6) ? sharedPhone : chance(random, 0.9) ? phoneNumber(random) : null,
        address,
        kelurahan: village,
        businessName: `${pick(random, business.names)} ${given.split(' ')[0]}`,
        kbli: business.kbli,
        secondBusiness: chance(random, 0.08) ? secondBusiness(random, given) : null,
        identity,
        household,
      });
      originals.push(people.length - 1);
      membersOf.set(household, [...(membersOf.get(household) ?? []), people.length - 1]);
    }
    for (let i = start; i < people.length; i++) {
      for (let j = i + 1; j < people.length; j++) householdPairs.push([i, j]);
    }
  }

  // Second (and a few third) registrations of the same person.
  const duplicateCount = Math.min(options.count - people.length, originals.length);
  const recordsOf = new Map<number, number[]>();
  const addDuplicate = (index: number, added: number) => {
    const identityOf = (people[index] as GeneratedPerson).identity;
    const records = recordsOf.get(identityOf) ?? [index];
    for (const i of records) duplicates.push([i, added]);
    recordsOf.set(identityOf, [...records, added]);
  };
  // Registered again in another kecamatan with a new NIK (same birth date and sex), a new address
  // there; most keep their phone. Some move with the household members registered with them.
  const addMoved = (index: number, n: number): number => {
    const original = people[index] as GeneratedPerson;
    let kecamatan = pickKecamatan(random).code;
    for (let tries = 0; tries < 20 && kecamatan === kecamatanOfNik(original.nik); tries++) {
      kecamatan = pickKecamatan(random).code;
    }
    if (kecamatan === kecamatanOfNik(original.nik)) return 0;
    const villages = kelurahan.filter((k) => k.startsWith(`${kecamatan}.`));
    const village = villages.length > 0 ? pick(random, villages) : pick(random, kelurahan);
    const address = randomAddress(random);
    const movers = [index];
    const household = (membersOf.get(original.household) ?? []).filter((i) => i !== index);
    if (household.length > 0 && chance(random, 0.5))
      movers.push(...household.slice(0, 1 + Math.floor(random() * 2)));
    const phoneOfHousehold = original.phone;
    for (const [m, i] of movers.entries()) {
      const person = people[i] as GeneratedPerson;
      const nik = nikFor(kecamatan, person.birthDate, person.sex);
      if (usedNiks.has(nik)) continue;
      usedNiks.add(nik);
      const keepsPhone = chance(random, 0.9);
      const phone =
        person.phone === null || !keepsPhone
          ? m > 0 && phoneOfHousehold && chance(random, 0.5)
            ? phoneOfHousehold
            : chance(random, 0.5)
              ? phoneNumber(random)
              : null
          : chance(random, 0.5)
            ? rewritePhone(random, person.phone)
            : person.phone;
      // Most take their business along (its name and KBLI), some start another one there.
      const business: { names: readonly string[]; kbli: string } = chance(random, 0.6)
        ? { names: [person.businessName], kbli: person.kbli }
        : pick(random, names.businesses);
      people.push({
        ...person,
        nik,
        name: movedName(random, person.name),
        phone,
        kelurahan: village,
        address,
        businessName: business.names.includes(person.businessName)
          ? person.businessName
          : `${pick(random, business.names)} ${person.name.split(' ')[0]} ${n % 5 === 0 ? 'Baru' : ''}`.trim(),
        kbli: business.kbli,
        secondBusiness: null,
      });
      const added = people.length - 1;
      addDuplicate(i, added);
      movedPairs.push([i, added]);
    }
    return movers.length;
  };
  for (let n = 0; n < duplicateCount; n++) {
    const index = originals[Math.floor(random() * originals.length)] as number;
    const original = people[index] as GeneratedPerson;
    if (chance(random, movedRate)) {
      n += Math.max(0, addMoved(index, n) - 1);
      continue;
    }
    const nik = mistypeNik(random, original.nik, usedNiks, today);
    if (!nik) continue;
    usedNiks.add(nik);
    const parsed = parseNik(nik, undefined, today);
    // Without a birth date column the import takes it from the (mistyped) NIK.
    const birthDate = chance(random, 0.15) && parsed.ok ? parsed.value.birthDate : original.birthDate;
    const phone =
      original.phone === null
        ? null
        : chance(random, 0.5)
          ? rewritePhone(random, original.phone)
          : chance(random, 0.6)
            ? original.phone
            : chance(random, 0.5)
              ? null
              : phoneNumber(random);
    const business = pick(random, names.businesses);
    people.push({
      ...original,
      nik,
      name: rewriteName(random, original.name, original.sex),
      birthDate,
      phone,
      kelurahan: chance(random, 0.85) ? original.kelurahan : pick(random, kelurahan),
      address: chance(random, 0.7) ? original.address : original.address.replace('Jl.', 'Jalan'),
      businessName:
        `${pick(random, business.names)} ${original.name.split(' ')[0]} ${n % 7 === 0 ? 'II' : ''}`.trim(),
      kbli: business.kbli,
      secondBusiness: null,
    });
    addDuplicate(index, people.length - 1);
  }
  return {
    people,
    duplicates: dedupePairs(duplicates.map(([i, j]) => (i < j ? [i, j] : [j, i]))),
    householdPairs,
    namesakePairs,
    movedPairs,
  };

  // Another person with the name of someone registered before (a third of them in the other
  // spelling), of the same sex, registered in another kecamatan; four in ten born the same day.
  function addNamesake() {
    const earlierIndex = originals[Math.floor(random() * originals.length)] as number;
    const earlier = people[earlierIndex] as GeneratedPerson;
    const birthDate = chance(random, 0.4) ? earlier.birthDate : randomDate(random, 1955, 2000);
    let kecamatan = pickKecamatan(random).code;
    for (let tries = 0; tries < 20 && kecamatan === kecamatanOfNik(earlier.nik); tries++) {
      kecamatan = pickKecamatan(random).code;
    }
    identity++;
    const nik = nikFor(kecamatan, birthDate, earlier.sex);
    usedNiks.add(nik);
    const business = pick(random, names.businesses);
    people.push({
      nik,
      name: chance(random, 0.3) ? respell(earlier.name) : earlier.name,
      sex: earlier.sex,
      birthDate,
      phone: chance(random, 0.9) ? phoneNumber(random) : null,
      address: randomAddress(random),
      kelurahan: pick(random, kelurahan),
      businessName: `${pick(random, business.names)} ${earlier.name.split(' ')[0]}`,
      kbli: business.kbli,
      secondBusiness: null,
      identity,
      household,
    });
    originals.push(people.length - 1);
    membersOf.set(household, [people.length - 1]);
    namesakePairs.push([earlierIndex, people.length - 1]);
  }
}

function secondBusiness(random: Random, given: string) {
  const business = pick(random, names.businesses);
  return { name: `${pick(random, business.names)} ${given.split(' ')[0]} Dua`, kbli: business.kbli };
}

function dedupePairs(pairs: [number, number][]): [number, number][] {
  const seen = new Set<string>();
  return pairs.filter(([a, b]) => {
    const key = `${a}:${b}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Stores the records as the registry would (people with E.164 phones, one business each), fast:
// one multi-row insert per batch. Returns the person id of every record, in order.
export async function insertGeneratedPeople(
  db: DbOrTx,
  generated: GeneratedPeople,
  options: { batch?: number; refPrefix?: string; onProgress?: (done: number) => void } = {},
): Promise<string[]> {
  const batch = options.batch ?? 5000;
  const prefix = options.refPrefix ?? 'GEN';
  const ids: string[] = [];
  const { people } = generated;
  for (let start = 0; start < people.length; start += batch) {
    const slice = people.slice(start, start + batch);
    const phones = slice.map((p) => {
      if (!p.phone) return null;
      const normalized = normalizePhone(p.phone);
      return normalized.ok ? normalized.value : null;
    });
    const inserted = await queryRows<{ id: string; nik: string }>(
      db,
      sql`
      insert into people (nik, name, sex, birth_date, phone, address)
      select nik, name, sex::sex, birth_date::date, phone, address from unnest(
        ${pgArray(slice.map((p) => p.nik))}::text[], ${pgArray(slice.map((p) => p.name))}::text[],
        ${pgArray(slice.map((p) => p.sex))}::text[], ${pgArray(slice.map((p) => p.birthDate))}::text[],
        ${pgArray(phones)}::text[], ${pgArray(slice.map((p) => p.address))}::text[]
      ) with ordinality as t(nik, name, sex, birth_date, phone, address, n)
      order by n
      returning id, nik`,
    );
    const byNik = new Map(inserted.map((r) => [r.nik, r.id]));
    const owners = slice.map((p) => byNik.get(p.nik) as string);
    ids.push(...owners);
    await db.execute(sql`
      insert into businesses (ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code)
      select ref, owner_id::uuid, name, kbli, 2020, region_code, left(region_code, 8) from unnest(
        ${pgArray(slice.map((_, i) => `${prefix}-${start + i + 1}`))}::text[], ${pgArray(owners)}::text[],
        ${pgArray(slice.map((p) => p.businessName))}::text[], ${pgArray(slice.map((p) => p.kbli))}::text[],
        ${pgArray(slice.map((p) => p.kelurahan))}::text[]
      ) as t(ref, owner_id, name, kbli, region_code)`);
    const extra = slice.flatMap((p, i) => (p.secondBusiness ? [{ ...p.secondBusiness, i, p }] : []));
    if (extra.length > 0) {
      await db.execute(sql`
        insert into businesses (ref, owner_id, name, kbli, kbli_version, region_code, kecamatan_code)
        select ref, owner_id::uuid, name, kbli, 2020, region_code, left(region_code, 8) from unnest(
          ${pgArray(extra.map((e) => `${prefix}-${start + e.i + 1}-2`))}::text[],
          ${pgArray(extra.map((e) => owners[e.i] as string))}::text[], ${pgArray(extra.map((e) => e.name))}::text[],
          ${pgArray(extra.map((e) => e.kbli))}::text[], ${pgArray(extra.map((e) => e.p.kelurahan))}::text[]
        ) as t(ref, owner_id, name, kbli, region_code)`);
    }
    options.onProgress?.(start + slice.length);
  }
  return ids;
}

// A text[] literal: both drivers pass it as one parameter, which keeps a batch to six parameters.
function pgArray(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
}
