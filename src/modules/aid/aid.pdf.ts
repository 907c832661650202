import {
  collectPdf,
  drawOfficeLetterhead,
  loadPdfKit,
  type OfficeLetterhead,
  placeAndDate,
} from '../../lib/pdf.ts';

// The BAST is an official document: like every document a program must produce, it is printed
// in Indonesian whatever the reader's language.
export type BastDocument = {
  number: string;
  handedOverAt: string;
  place: string | null;
  legalBasis: string | null;
  condition: string;
  programName: string | null;
  sopd: { name: string };
  giver: { name: string; nip: string | null; position: string | null };
  recipient: {
    name: string;
    nik: string;
    address: string | null;
    business: string;
    phone: string | null;
  };
  items: Array<{
    name: string;
    spec: string | null;
    quantity: number;
    unit: string;
    unitValue: number;
    // SOPD, budget year, APBD/APBN/DAK and DPA code, where known
    source: string;
  }>;
  // PNG images drawn on the screen at the handover
  signatures?: { recipient: Buffer | null; officer: Buffer | null };
  location?: { latitude: number; longitude: number } | null;
  photo: { data: Buffer; contentType: string } | null;
  // the office's settings: the government line, its emblem and place
  letterhead?: OfficeLetterhead;
};

const margin = 56;
const marginY = 42;
const fontSize = 10;
const blank = '........................................';

const rupiah = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

export function indonesianDateParts(isoDate: string) {
  const [year = 1970, month = 1, day = 1] = isoDate.split('-').map(Number);
  const at = new Date(Date.UTC(year, month - 1, day));
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('id-ID', { ...options, timeZone: 'UTC' }).format(at);
  return { weekday: format({ weekday: 'long' }), day, month: format({ month: 'long' }), year };
}

// Official papers write Indonesian numbers nationally (0812…) rather than in E.164.
function nationalPhone(phone: string | null) {
  if (!phone) return '-';
  return phone.startsWith('+62') ? `0${phone.slice(3)}` : phone;
}

export async function renderBast(bast: BastDocument): Promise<Buffer> {
  const doc = new (await loadPdfKit())({
    size: 'A4',
    margins: { top: marginY, bottom: marginY, left: margin, right: margin },
    info: { Title: `Berita Acara Serah Terima Barang ${bast.number}`, Author: bast.sopd.name },
  });
  const done = collectPdf(doc);

  const width = doc.page.width - margin * 2;
  const left = margin;

  // Letterhead: the government and the SOPD that hands over (its own address is not known).
  if (bast.letterhead) {
    doc.y = drawOfficeLetterhead(
      doc,
      { ...bast.letterhead, officeName: bast.sopd.name, officeAddress: '' },
      left,
      marginY,
      width,
    );
    doc.fontSize(fontSize).moveDown(0.6);
  } else {
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(bast.sopd.name.toUpperCase(), left, marginY, { width, align: 'center' });
    const ruleY = doc.y + 4;
    doc
      .moveTo(left, ruleY)
      .lineTo(left + width, ruleY)
      .lineWidth(1.5)
      .stroke();
    doc.moveDown(1.2);
  }

  doc.font('Helvetica-Bold').fontSize(12);
  doc.text('BERITA ACARA SERAH TERIMA BARANG', left, doc.y, { width, align: 'center', underline: true });
  doc.font('Helvetica').fontSize(fontSize).text(`Nomor: ${bast.number}`, { width, align: 'center' });
  doc.moveDown(1);

  const date = indonesianDateParts(bast.handedOverAt);
  const place = bast.place ? `, bertempat di ${bast.place}` : '';
  doc.text(
    `Pada hari ini ${date.weekday}, tanggal ${date.day} bulan ${date.month} tahun ${date.year}${place}, ` +
      'kami yang bertanda tangan di bawah ini:',
    left,
    doc.y,
    { width, align: 'justify' },
  );
  doc.moveDown(0.5);

  const fields = (rows: Array<[string, string]>) => {
    const labelX = left + 18;
    const colonX = labelX + 90;
    const valueX = colonX + 10;
    for (const [label, value] of rows) {
      const y = doc.y;
      doc.text(label, labelX, y, { width: colonX - labelX });
      doc.text(':', colonX, y);
      doc.text(value, valueX, y, { width: left + width - valueX });
      doc.y = Math.max(doc.y, y + doc.currentLineHeight(true));
    }
  };

  doc.text('1.', left, doc.y);
  doc.moveUp();
  fields([
    ['Nama', bast.giver.name],
    ['NIP', bast.giver.nip ?? '-'],
    ['Jabatan', bast.giver.position ?? '-'],
    ['Instansi', bast.sopd.name],
  ]);
  doc.text('Selanjutnya disebut PIHAK PERTAMA.', left + 18, doc.y, { width: width - 18 });
  doc.moveDown(0.5);

  doc.text('2.', left, doc.y);
  doc.moveUp();
  fields([
    ['Nama', bast.recipient.name],
    ['NIK', bast.recipient.nik],
    ['Alamat', bast.recipient.address ?? '-'],
    ['Nama usaha', bast.recipient.business],
    ['Nomor HP', nationalPhone(bast.recipient.phone)],
  ]);
  doc.text('Selanjutnya disebut PIHAK KEDUA.', left + 18, doc.y, { width: width - 18 });
  doc.moveDown(0.7);

  const basis = bast.legalBasis ? `Berdasarkan ${bast.legalBasis}, ` : '';
  const program = bast.programName ? ` dalam rangka ${bast.programName}` : '';
  doc.text(
    `${basis}PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA menyatakan telah menerima dari ` +
      `PIHAK PERTAMA, barang bantuan${program} dengan rincian sebagai berikut:`,
    left,
    doc.y,
    { width, align: 'justify' },
  );
  doc.moveDown(0.5);

  const cell = (text: string, x: 'left' | 'center' | 'right') => ({
    text,
    align: { x, y: 'center' as const },
  });
  const header = (text: string) => ({ text, font: { family: 'Helvetica-Bold' }, align: 'center' as const });
  const total = bast.items.reduce((sum, item) => sum + item.quantity * item.unitValue, 0);
  doc.fontSize(9).table({
    position: { x: left, y: doc.y },
    maxWidth: width,
    columnStyles: [22, '*', '*', 38, 38, 62, 68, '*'],
    defaultStyle: { padding: [3, 3, 3, 3] },
    data: [
      [
        header('No'),
        header('Jenis barang'),
        header('Merk/Spesifikasi'),
        header('Jumlah'),
        header('Satuan'),
        header('Nilai satuan (Rp)'),
        header('Jumlah nilai (Rp)'),
        header('Sumber'),
      ],
      ...bast.items.map((item, i) => [
        cell(String(i + 1), 'center'),
        cell(item.name, 'left'),
        cell(item.spec ?? '-', 'left'),
        cell(String(item.quantity), 'center'),
        cell(item.unit, 'center'),
        cell(rupiah.format(item.unitValue), 'right'),
        cell(rupiah.format(item.quantity * item.unitValue), 'right'),
        cell(item.source, 'left'),
      ]),
      [
        cell('', 'center'),
        {
          text: 'JUMLAH',
          font: { family: 'Helvetica-Bold' },
          colSpan: 5,
          align: { x: 'right' as const, y: 'center' as const },
        },
        {
          text: rupiah.format(total),
          font: { family: 'Helvetica-Bold' },
          align: { x: 'right' as const, y: 'center' as const },
        },
        cell('', 'center'),
      ],
    ],
  });
  doc.fontSize(fontSize);
  doc.moveDown(0.7);

  const at = bast.location
    ? ` Lokasi serah terima (dengan persetujuan penerima): ${bast.location.latitude.toFixed(6)}, ${bast.location.longitude.toFixed(6)}.`
    : '';
  const paragraphs = [
    `Barang diserahkan dalam keadaan ${bast.condition}, sebanyak ${bast.items.length} jenis barang dengan jumlah nilai Rp ${rupiah.format(total)}.${at}`,
    'Sejak penandatanganan berita acara ini, barang tersebut menjadi tanggung jawab PIHAK KEDUA untuk ' +
      'dimanfaatkan sebaik-baiknya bagi pengembangan usahanya, dan tidak untuk diperjualbelikan atau ' +
      'dipindahtangankan kepada pihak lain.',
    'Demikian berita acara serah terima ini dibuat dengan sebenarnya dalam rangkap 2 (dua) untuk dipergunakan ' +
      'sebagaimana mestinya.',
  ];
  for (const paragraph of paragraphs) {
    doc.text(paragraph, left, doc.y, { width, align: 'justify' });
    doc.moveDown(0.4);
  }

  // The signature blocks and the acknowledgement need about 265pt; keep them together on one page.
  if (doc.y + 265 > doc.page.height - marginY) doc.addPage();
  doc.moveDown(0.8);
  doc
    .font('Helvetica')
    .text(placeAndDate(bast.letterhead, bast.handedOverAt), left, doc.y, { width, align: 'right' });
  doc.moveDown(0.4);
  const columnWidth = width / 2;
  const top = doc.y;
  // `nip` null: the signer is not a civil servant, so no NIP line is printed.
  const signature = (x: number, lines: string[], name: string, nip: string | null, drawn: Buffer | null) => {
    doc.font('Helvetica').text(lines.join('\n'), x, top, { width: columnWidth, align: 'center' });
    const imageTop = doc.y + 2;
    doc.moveDown(3.5);
    if (drawn) {
      try {
        doc.image(drawn, x + columnWidth / 2 - 60, imageTop, {
          fit: [120, 44],
          align: 'center',
          valign: 'center',
        });
      } catch {
        // A signature that cannot be read is left as a blank to sign on paper.
      }
    }
    doc.font('Helvetica-Bold').text(name, x, doc.y, { width: columnWidth, align: 'center', underline: true });
    doc.font('Helvetica');
    if (nip !== null) doc.text(`NIP. ${nip}`, x, doc.y, { width: columnWidth, align: 'center' });
    return doc.y;
  };
  const leftBottom = signature(
    left,
    ['PIHAK KEDUA', 'Yang Menerima,'],
    bast.recipient.name,
    null,
    bast.signatures?.recipient ?? null,
  );
  const rightBottom = signature(
    left + columnWidth,
    ['PIHAK PERTAMA', 'Yang Menyerahkan,'],
    bast.giver.name,
    bast.giver.nip ?? blank,
    bast.signatures?.officer ?? null,
  );
  if (bast.signatures?.recipient || bast.signatures?.officer) {
    doc.y = Math.max(doc.y, leftBottom);
  }

  doc.y = Math.max(leftBottom, rightBottom) + 12;
  doc.text('Mengetahui,', left, doc.y, { width, align: 'center' });
  doc.text(`Kepala ${bast.sopd.name}`, { width, align: 'center' });
  doc.moveDown(3.5);
  doc.text(`( ${blank} )`, { width, align: 'center' });
  doc.text(`NIP. ${blank}`, { width, align: 'center' });

  if (bast.photo) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12);
    doc.text('LAMPIRAN BERITA ACARA SERAH TERIMA BARANG', left, marginY, { width, align: 'center' });
    doc.font('Helvetica').fontSize(fontSize).text(`Nomor: ${bast.number}`, { width, align: 'center' });
    doc.moveDown(0.5);
    doc.text('Dokumentasi serah terima', { width, align: 'center' });
    doc.moveDown(1);
    const photoNote = drawPhoto(doc, bast.photo, left, doc.y, width, doc.page.height - marginY - doc.y);
    if (photoNote) doc.text(photoNote, left, doc.y, { width, align: 'center' });
  }

  doc.end();
  return done;
}

// pdfkit embeds JPEG and PNG only; anything else is noted rather than printed.
function drawPhoto(
  doc: PDFKit.PDFDocument,
  photo: { data: Buffer; contentType: string },
  x: number,
  y: number,
  width: number,
  height: number,
): string | null {
  if (photo.contentType !== 'image/jpeg' && photo.contentType !== 'image/png') {
    return 'Foto serah terima tersimpan dalam format WebP dan tidak dapat dicetak di dokumen ini; foto dapat dilihat dan diunduh melalui aplikasi Pulih.';
  }
  try {
    doc.image(photo.data, x, y, { fit: [width, height], align: 'center' });
    return null;
  } catch {
    return 'Foto serah terima tidak dapat dicetak; foto dapat dilihat melalui aplikasi Pulih.';
  }
}
