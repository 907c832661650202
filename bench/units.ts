// Speed of pure units that the app calls on a hot path, kept out of the test suite so that no
// test depends on how busy the machine is. Fails (exit code 1) when a unit is slower than its
// bound on this machine; the load average is printed so a slow figure can be read in context.
//
//   npm run bench -- units [--rounds 5]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { createRegionIndex, type RegionRow } from '../src/domain/region.ts';
import { weavePhoto } from '../src/modules/catalog/catalog.photo.ts';
import { loadAverage, median, printTable } from './lib/report.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new Error('--rounds 1..100');

const readCsv = (file: string): RegionRow[] =>
  parse(readFileSync(new URL(`../data-ref/${file}`, import.meta.url)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  });
const regionRows = [
  ...readCsv('wilayah_kabkota.csv'),
  ...readCsv('wilayah_kecamatan.csv'),
  ...readCsv('wilayah_palangka_raya.csv'),
];

type Unit = { name: string; boundMs: number; run: () => void };
const units: Unit[] = [
  {
    // The demo draws one product photo per listed product.
    name: 'weavePhoto 640×480, one photo',
    boundMs: 150,
    run: () => {
      for (let seed = 10; seed < 20; seed++) weavePhoto(seed);
    },
  },
  {
    // Every import builds the index once and looks up each row's kecamatan by name.
    name: 'region index of every kecamatan + 1,000 lookups',
    boundMs: 1000,
    run: () => {
      const index = createRegionIndex(regionRows);
      for (let i = 0; i < 1000; i++) index.findByName('Bukit Batu', 'kecamatan', '62.71');
    },
  },
];
// weavePhoto's figure is per photo: its run draws ten.
const perRun = (unit: Unit) => (unit.name.startsWith('weavePhoto') ? 10 : 1);

console.log(`load average ${loadAverage()}, ${rounds} rounds, median`);
let slow = false;
const rows = units.map((unit) => {
  unit.run(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    unit.run();
    times.push((performance.now() - started) / perRun(unit));
  }
  const ms = median(times);
  if (ms > unit.boundMs) slow = true;
  return [unit.name, ms.toFixed(1), String(unit.boundMs), ms > unit.boundMs ? 'SLOW' : 'ok'];
});
printTable(['unit', 'ms', 'bound ms', ''], rows);
if (slow) process.exitCode = 1;
