// Word lists and a seeded generator for synthetic registries: the demo scenario (src/cli/demo.ts)
// and the benchmarks (bench/) draw their businesses and owners from here. Changing a list or
// its order changes the generated rows, and so the demo and every benchmark figure measured
// so far: add to the end, if anything.

// Indonesian-looking names; Dayak family names are common in Kalimantan Tengah.
// biome-ignore format: word lists
export const womenNames = [
  'Siti', 'Nurhayati', 'Rahmawati', 'Yuliana', 'Erna', 'Misnah', 'Indah', 'Sri', 'Lidia', 'Ratna',
  'Herlina', 'Juliana', 'Dewi', 'Fitri', 'Wulan', 'Maria', 'Kartini', 'Ani', 'Rina', 'Yanti',
];
// biome-ignore format: word lists
export const menNames = [
  'Ahmad', 'Muhammad', 'Yanto', 'Agus', 'Rudi', 'Dedi', 'Eko', 'Hendra', 'Simon', 'Yohanes',
  'Rahmat', 'Budi', 'Bambang', 'Joko', 'Slamet', 'Hadi', 'Fransiskus', 'Andi', 'Wahyu', 'Arif',
];
// biome-ignore format: word lists
export const familyNames = [
  'Saputra', 'Lambung', 'Ngabe', 'Antang', 'Sahay', 'Rangkap', 'Tingang', 'Hidayat', 'Nyahu', 'Usup',
  'Nahan', 'Kuhu', 'Santoso', 'Wijaya', 'Lestari', 'Pratama', 'Gunawan', 'Kusuma', 'Setiawan', 'Nugroho',
];
// Words businesses put in their names ("Berkah Jaya", "Sumber Rezeki").
// biome-ignore format: word lists
export const brandWords = [
  'Berkah', 'Jaya', 'Makmur', 'Sejahtera', 'Mandiri', 'Barokah', 'Sumber', 'Rezeki', 'Abadi', 'Lestari',
  'Harapan', 'Bersama', 'Karya', 'Indah', 'Baru', 'Putri', 'Bintang', 'Mulia', 'Sentosa', 'Kenanga',
];
// Streets of Palangka Raya.
// biome-ignore format: word lists
export const streetNames = [
  'Tjilik Riwut', 'G. Obos', 'Rajawali', 'Mahir Mahar', 'Temanggung Tilung', 'RTA Milono', 'Yos Sudarso',
  'Diponegoro', 'A. Yani', 'Kinibalu',
];
// The two digits after 08 of Indonesian mobile numbers (Telkomsel, Indosat, XL, Smartfren…).
export const mobilePrefixes = ['11', '12', '13', '21', '22', '52', '53', '57', '77', '78'];

// KBLI codes (data-ref/kbli_umkm_reference.csv) with the words a business of that kind puts in
// its name, listed from common to rare (generators draw them with a skew, so that rattan
// weaving, 16291, is a few percent of a registry).
export const trades: readonly (readonly [kbli: string, word: string])[] = [
  ['56102', 'Warung Makan'],
  ['47111', 'Toko Kelontong'],
  ['10792', 'Kue Basah'],
  ['14120', 'Penjahit'],
  ['16291', 'Anyaman Rotan'],
  ['10794', 'Keripik'],
  ['56303', 'Kafe'],
  ['10710', 'Roti'],
  ['56104', 'Pedagang Keliling'],
  ['10750', 'Masakan Olahan'],
  ['47242', 'Toko Kue'],
  ['56304', 'Kedai Minuman'],
  ['14111', 'Konveksi'],
  ['10212', 'Ikan Salai'],
  ['10211', 'Ikan Asin'],
  ['16292', 'Anyaman Purun'],
  ['47781', 'Kerajinan'],
  ['13134', 'Batik Benang Bintik'],
  ['10796', 'Dodol'],
  ['31002', 'Mebel Rotan'],
  ['16294', 'Alat Dapur Kayu'],
  ['32903', 'Kriya'],
  ['10799', 'Makanan Ringan'],
  ['47911', 'Toko Online'],
  ['16293', 'Ukiran Kayu'],
  ['13122', 'Tenun Ikat'],
  ['16104', 'Pengolahan Rotan'],
  ['10762', 'Jamu Herbal'],
];

// A small deterministic generator (a linear congruential one), so that the same seed gives the
// same data on every machine.
export function lcgRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// One element of a list, drawn with `random`.
export const picker =
  (random: () => number) =>
  <T>(list: readonly T[]): T =>
    list[Math.floor(random() * list.length)] as T;
