import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { crc32, createDeflateRaw } from 'node:zlib';
import { generateNik } from '../domain/nik.ts';

// Hand-made XLSX files that unpack into far more than their size: what a hostile upload would
// send to the importer. Each part is written as generated text, deflated on the fly, so a file
// that unpacks into a gigabyte is built without holding it. Used by the xlsx-memory bench and
// the xlsx-bombs test.

type Part = { path: string; chunks: () => Iterable<string> };

const header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function* once1(text: string) {
  yield text;
}

function* repeat(times: number, piece: (i: number) => string, batch = 4096) {
  let out = '';
  for (let i = 0; i < times; i++) {
    out += piece(i);
    if ((i + 1) % batch === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

const frame: Part[] = [
  {
    path: '[Content_Types].xml',
    chunks: () =>
      once1(
        `${header}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '</Types>',
      ),
  },
  {
    path: '_rels/.rels',
    chunks: () =>
      once1(
        `${header}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
  },
  {
    path: 'xl/_rels/workbook.xml.rels',
    chunks: () =>
      once1(
        `${header}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
          `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/>` +
          `<Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
      ),
  },
  {
    path: 'xl/workbook.xml',
    chunks: () =>
      once1(
        `${header}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets>` +
          '<sheet name="usaha" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
  },
];

const plainStyles: Part = {
  path: 'xl/styles.xml',
  chunks: () =>
    once1(
      `${header}<styleSheet xmlns="${main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
        '<borders count="1"><border/></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>',
    ),
};

const headerCells = ['nik', 'nama', 'kode_wilayah', 'nama_usaha'];

// The shared strings the sheets below refer to: the header first.
function sharedStrings(extra: () => Iterable<string> = () => []): Part {
  return {
    path: 'xl/sharedStrings.xml',
    chunks: function* () {
      yield `${header}<sst xmlns="${main}">`;
      yield headerCells.map((c) => `<si><t>${c}</t></si>`).join('');
      yield* extra();
      yield '</sst>';
    },
  };
}

function sheet(body: () => Iterable<string> = () => [], before = ''): Part {
  return {
    path: 'xl/worksheets/sheet1.xml',
    chunks: function* () {
      yield `${header}<worksheet xmlns="${main}">${before}<sheetData>`;
      yield `<row r="1">${headerCells.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
      yield* body();
      yield '</sheetData></worksheet>';
    },
  };
}

export type BombKind =
  | 'shared-strings-count'
  | 'shared-string-long'
  | 'inline-string-long'
  | 'styles'
  | 'cols'
  | 'empty-rows'
  | 'wide-row';

// `scale` is the number of repeated units; the defaults make files of about 1.5 MB.
export function bombParts(kind: BombKind, scale?: number): Part[] {
  switch (kind) {
    case 'shared-strings-count': {
      // one short string after another: tens of millions of tiny strings
      const n = scale ?? 36_000_000;
      return [...frame, plainStyles, sharedStrings(() => repeat(n, () => '<si><t>a</t></si>')), sheet()];
    }
    case 'shared-string-long': {
      const n = scale ?? 1_500_000_000;
      return [
        ...frame,
        plainStyles,
        sharedStrings(function* () {
          yield '<si><t>';
          yield* repeat(Math.ceil(n / 1024), () => 'a'.repeat(1024), 64);
          yield '</t></si>';
        }),
        sheet(),
      ];
    }
    case 'inline-string-long': {
      const n = scale ?? 1_500_000_000;
      return [
        ...frame,
        plainStyles,
        sharedStrings(),
        sheet(function* () {
          yield '<row r="2"><c r="A2" t="inlineStr"><is><t>';
          yield* repeat(Math.ceil(n / 1024), () => 'a'.repeat(1024), 64);
          yield '</t></is></c></row>';
        }),
      ];
    }
    case 'styles': {
      const n = scale ?? 10_000_000;
      return [
        ...frame,
        {
          path: 'xl/styles.xml',
          chunks: function* () {
            yield `${header}<styleSheet xmlns="${main}"><fonts count="1"><font><sz val="11"/></font></fonts><cellXfs count="${n}">`;
            yield* repeat(n, () => '<xf numFmtId="14" fontId="0" fillId="0" borderId="0"/>');
            yield '</cellXfs></styleSheet>';
          },
        },
        sharedStrings(),
        sheet(),
      ];
    }
    case 'cols': {
      const n = scale ?? 15_000_000;
      return [
        ...frame,
        plainStyles,
        sharedStrings(),
        {
          path: 'xl/worksheets/sheet1.xml',
          chunks: function* () {
            yield `${header}<worksheet xmlns="${main}"><cols>`;
            yield* repeat(n, () => '<col min="1" max="1" width="9"/>');
            yield `</cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
          },
        },
      ];
    }
    case 'empty-rows': {
      // rows past any registry's size, each empty
      const n = scale ?? 1_000_000;
      return [...frame, plainStyles, sharedStrings(), sheet(() => repeat(n, (i) => `<row r="${i + 2}"/>`))];
    }
    case 'wide-row': {
      // one row of millions of cells (all in column A): the row is built whole before it is seen
      const n = scale ?? 40_000_000;
      return [
        ...frame,
        plainStyles,
        sharedStrings(),
        sheet(function* () {
          yield '<row r="2">';
          yield* repeat(n, () => '<c r="A2"><v>1</v></c>');
          yield '</row>';
        }),
      ];
    }
  }
}

// A registry sheet of `rows` ordinary rows, for comparison.
export function registryParts(rows: number): Part[] {
  return [
    ...frame,
    plainStyles,
    sharedStrings(),
    sheet(() =>
      repeat(rows, (i) => {
        const r = i + 2;
        const nik = generateNik({
          kecamatanCode: '62.71.02',
          birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
          sex: i % 2 ? 'L' : 'P',
          serial: (i % 9000) + 1,
        });
        return (
          `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${nik}</t></is></c>` +
          `<c r="B${r}" t="inlineStr"><is><t>Pemilik ${i}</t></is></c>` +
          `<c r="C${r}" t="inlineStr"><is><t>62.71.02.1004</t></is></c>` +
          `<c r="D${r}" t="inlineStr"><is><t>Usaha ${i}</t></is></c></row>`
        );
      }),
    ),
  ];
}

// Writes the parts as a ZIP (deflate, sizes in a data descriptor as Excel's own writer does).
export async function writeXlsx(path: string, parts: Part[]): Promise<number> {
  const out = createWriteStream(path);
  let offset = 0;
  const write = async (buffer: Buffer) => {
    offset += buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  };
  const central: Buffer[] = [];
  for (const part of parts) {
    const name = Buffer.from(part.path);
    const start = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x08, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    await write(Buffer.concat([local, name]));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const deflate = createDeflateRaw({ level: 9 });
    const pieces: Buffer[] = [];
    deflate.on('data', (b: Buffer) => pieces.push(b));
    const flushPieces = async () => {
      for (const piece of pieces.splice(0)) {
        compressed += piece.length;
        await write(piece);
      }
    };
    for (const text of part.chunks()) {
      const data = Buffer.from(text);
      crc = crc32(data, crc);
      size += data.length;
      if (!deflate.write(data)) await once(deflate, 'drain');
      await flushPieces();
    }
    deflate.end();
    await once(deflate, 'end');
    await flushPieces();
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed >>> 0, 8);
    descriptor.writeUInt32LE(size >>> 0, 12);
    await write(descriptor);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x08, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(compressed >>> 0, 20);
    entry.writeUInt32LE(size >>> 0, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(start, 42);
    central.push(Buffer.concat([entry, name]));
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(Buffer.concat([directory, end]));
  out.end();
  await once(out, 'finish');
  return offset + directory.length + end.length;
}
