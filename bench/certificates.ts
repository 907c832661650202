// One PDF of a whole class's certificates (issue #10, point 7): time and peak memory (RSS) at
// a tenth of --count and at --count pages, to show memory stays flat in the number of pages
// (pdfkit writes each page out when the next one starts; nothing holds the document). The
// anchor, measured in the same run: pdfkit writing a plain PDF of as many blank pages (one
// line of text each) to the same discarding stream. Each case runs in a fresh child process so
// that its peak RSS (the kernel's) is its own.
//
//   npm run bench -- certificates [--count 1000]
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import PDFDocument from 'pdfkit';
import { type CertificateDocument, streamCertificatesPdf } from '../src/modules/training/training.pdf.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    child: { type: 'string' },
    pages: { type: 'string' },
  },
});

// Counts the bytes and drops them, as a slow client's socket would after sending them.
function sink() {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
}

async function* certificates(pages: number): AsyncGenerator<CertificateDocument> {
  for (let i = 0; i < pages; i++) {
    const code = `PLH-2020-${String(i).padStart(8, '0')}`;
    yield {
      code,
      status: 'valid',
      revokedReason: null,
      participantName: `Peserta Pelatihan Nomor ${i + 1}`,
      businessName: `Anyaman Rotan ${i + 1}`,
      programName: 'Pelatihan Proses Produksi Berbahan Dasar Rotan',
      organisation: 'Dinas Perdagangan, Koperasi dan UKM Kota Palangka Raya',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      hours: 40,
      issuedAt: new Date('2020-08-28T09:00:00Z'),
      verificationUrl: `https://pulih.example.go.id/sertifikat/${code}`,
    };
  }
}

async function blank(pages: number, out: Writable) {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0, autoFirstPage: false });
  const ended = new Promise<void>((resolve) => out.on('finish', () => resolve()));
  doc.pipe(out);
  for (let i = 0; i < pages; i++) {
    doc.addPage();
    doc
      .font('Helvetica')
      .fontSize(12)
      .text(`Halaman ${i + 1}`, 70, 80);
  }
  doc.end();
  await ended;
}

if (args.child) {
  const pages = Number(args.pages);
  const out = sink();
  const started = performance.now();
  if (args.child === 'certificates') {
    const finished = new Promise<void>((resolve) => out.stream.on('finish', () => resolve()));
    await streamCertificatesPdf({ title: 'Sertifikat', author: 'Dinas' }, certificates(pages), out.stream);
    await finished;
  } else {
    await blank(pages, out.stream);
  }
  const ms = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({ ms: Math.round(ms), bytes: out.bytes(), maxRssKb: process.resourceUsage().maxRSS })}\n`,
  );
  process.exit(0);
}

type Result = { ms: number; bytes: number; maxRssKb: number };

function measure(kind: 'certificates' | 'blank', pages: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/certificates.ts', '--child', kind, '--pages', String(pages)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${code}`))));
  });
}

const count = Number(args.count);
const sizes = [Math.max(1, Math.round(count / 10)), count];
const mb = (kb: number) => (kb / 1024).toFixed(0);
const rows: Record<string, Result> = {};
for (const pages of sizes) {
  rows[`certificates ${pages}`] = await measure('certificates', pages);
  rows[`blank ${pages}`] = await measure('blank', pages);
}
console.log('case                 pages   time (s)   pages/s   peak RSS (MB)   PDF (MB)');
for (const [name, r] of Object.entries(rows)) {
  const [kind, pages] = name.split(' ') as [string, string];
  console.log(
    `${kind.padEnd(20)} ${pages.padStart(5)} ${(r.ms / 1000).toFixed(2).padStart(10)} ${(
      Number(pages) /
      (r.ms / 1000)
    )
      .toFixed(0)
      .padStart(9)} ${mb(r.maxRssKb).padStart(15)} ${(r.bytes / 1048576).toFixed(1).padStart(10)}`,
  );
}
const big = rows[`certificates ${count}`]!;
const small = rows[`certificates ${sizes[0]}`]!;
const anchor = rows[`blank ${count}`]!;
console.log(
  JSON.stringify({
    count,
    certificatesMs: big.ms,
    blankPagesMs: anchor.ms,
    ratioToBlank: Number((big.ms / anchor.ms).toFixed(1)),
    peakRssMbSmall: Number(mb(small.maxRssKb)),
    peakRssMbLarge: Number(mb(big.maxRssKb)),
    rssGrowthMbPer1000Pages: Number(
      (((big.maxRssKb - small.maxRssKb) / 1024 / (count - sizes[0]!)) * 1000).toFixed(1),
    ),
  }),
);
