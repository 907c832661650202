import QRCode from 'qrcode';
import {
  calendarDay,
  cellPadding,
  collectPdf,
  drawLetterhead,
  drawOfficeLetterhead,
  drawPageFooters,
  drawParticulars,
  drawSignatory,
  drawSignatureBlock,
  drawTable,
  loadPdfKit,
  longDate,
  type OfficeLetterhead,
  placeAndDate,
  startListDocument,
  type TableColumn,
} from '../../lib/pdf.ts';

// Official documents are printed in Indonesian, whatever the reader's language.

// Times of day are printed on the office's clock (its settings, carried by the letterhead), with
// the name Indonesians write after them. Without a letterhead: Western Indonesian Time, as
// placeAndDate does.
const defaultTimeZone = 'Asia/Jakarta';
const timeZoneLabels: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const dayAndDate = new Intl.DateTimeFormat('id-ID', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

export function formatDate(isoDate: string): string {
  return longDate.format(calendarDay(isoDate));
}

// "Senin, 24 Agustus 2020"
export function formatDayAndDate(isoDate: string): string {
  return dayAndDate.format(calendarDay(isoDate));
}

// "24–28 Agustus 2020", "30 Agustus – 2 September 2020", "28 Desember 2020 – 3 Januari 2021"
export function formatDateRange(start: string, end: string): string {
  if (start === end) return formatDate(start);
  const [sy, sm] = start.split('-');
  const [ey, em] = end.split('-');
  const startDay = Number(start.slice(8, 10));
  if (sy === ey && sm === em) return `${startDay}–${formatDate(end)}`;
  if (sy === ey) return `${formatDate(start).replace(/\s\d{4}$/, '')} – ${formatDate(end)}`;
  return `${formatDate(start)} – ${formatDate(end)}`;
}

// '08:00' → '08.00', the Indonesian way of writing the time of day.
const clockText = (hhmm: string) => hhmm.replace(':', '.');
// Printed in Indonesian, as every official document is.
const trainerLabel = { narasumber: 'Narasumber', instruktur: 'Instruktur' } as const;

// "08.12" on the office's clock; made once per document, used for every row.
export function clockOf(timeZone: string): (at: Date) => string {
  const clock = new Intl.DateTimeFormat('id-ID', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  });
  return (at) => clock.format(at).replace(':', '.');
}

// "Kepala Dinas Perdagangan, …" when the organisation is an office with a head; the generic
// title otherwise. The head's name and NIP are left blank to be written in by hand.
function headTitle(organisation: string): string {
  return /^(dinas|badan|kantor|kecamatan|bagian)\b/i.test(organisation.trim())
    ? `Kepala ${organisation.trim()}`
    : 'Kepala Dinas';
}

// The settings' signatory position with the office ("Kepala Dinas Perdagangan, …"), else the
// generic title of the organisation's head.
function signatoryTitle(letterhead: OfficeLetterhead | undefined, organisation: string): string {
  if (!letterhead?.headName) return headTitle(organisation);
  const office = letterhead.officeName.replace(/^dinas\s+/i, '');
  return letterhead.headPosition === 'Kepala Dinas' && office
    ? `Kepala Dinas ${office}`
    : letterhead.headPosition;
}

// ---- certificate ----

export type CertificateDocument = {
  code: string;
  status: 'valid' | 'revoked';
  revokedReason: string | null;
  participantName: string;
  businessName: string;
  programName: string;
  organisation: string;
  startDate: string;
  endDate: string;
  venue: string | null;
  hours: number | null;
  issuedAt: Date;
  verificationUrl: string;
  letterhead?: OfficeLetterhead;
};

const certificatePage = { size: 'A4', layout: 'landscape', margin: 0 } as const;

// The verification QR drawn as vector squares: sharp at any print size, and no PNG to encode,
// decode and embed per page (a class of 1,000 prints several times faster).
function certificateQr(c: CertificateDocument) {
  return QRCode.create(c.verificationUrl, { errorCorrectionLevel: 'M' }).modules;
}

type QrModules = ReturnType<typeof certificateQr>;

function drawQr(doc: PDFKit.PDFDocument, modules: QrModules, x: number, y: number, size: number) {
  const quiet = 1;
  const cell = size / (modules.size + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill('#000000');
  doc.restore();
}

export async function renderCertificatePdf(c: CertificateDocument): Promise<Buffer> {
  const qr = certificateQr(c);
  const doc = new (await loadPdfKit())({
    ...certificatePage,
    info: { Title: `Sertifikat Pelatihan ${c.code}`, Author: c.organisation, Subject: c.programName },
  });
  const done = collectPdf(doc);
  drawCertificate(doc, c, qr);
  doc.end();
  return done;
}

// The certificates of a class, one page each, written to `out` as they are drawn: pdfkit
// flushes a page when the next one starts, so memory stays flat in the number of pages.
// `certificates` is read lazily (an async iterable over pages of the database).
export async function streamCertificatesPdf(
  info: { title: string; author: string },
  certificates: AsyncIterable<CertificateDocument>,
  out: NodeJS.WritableStream,
): Promise<number> {
  const doc = new (await loadPdfKit())({
    ...certificatePage,
    autoFirstPage: false,
    info: { Title: info.title, Author: info.author },
  });
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.pipe(out);
  let pages = 0;
  for await (const c of certificates) {
    doc.addPage(certificatePage);
    drawCertificate(doc, c, certificateQr(c));
    pages++;
    // Let the piped bytes flow out before the next page: a caller whose pages come without
    // I/O in between would otherwise keep the whole document in the stream's buffer.
    if (doc.readableLength > 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (pages === 0) {
    doc.addPage(certificatePage);
    doc.font('Helvetica').fontSize(14).text('Belum ada sertifikat yang diterbitkan.', 70, 80);
  }
  doc.end();
  await finished;
  return pages;
}

function drawCertificate(doc: PDFKit.PDFDocument, c: CertificateDocument, qr: QrModules) {
  const { width, height } = doc.page;
  const ink = '#1f2d3d';
  const accent = '#8a5a14';

  doc
    .lineWidth(3)
    .strokeColor(accent)
    .rect(24, 24, width - 48, height - 48)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(32, 32, width - 64, height - 64)
    .stroke();

  const left = 70;
  const textWidth = width - 2 * left;
  const centred = (text: string, font: string, size: number, options: PDFKit.Mixins.TextOptions = {}) => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(ink)
      .text(text, left, doc.y, { width: textWidth, align: 'center', ...options });
  };

  if (c.letterhead) {
    doc.y = drawOfficeLetterhead(doc, c.letterhead, left, 44, textWidth);
    doc.strokeColor(accent).moveDown(0.2);
  } else {
    doc.y = 58;
    centred(c.organisation.toUpperCase(), 'Helvetica-Bold', 14);
    doc.moveDown(0.3);
    doc
      .lineWidth(1)
      .strokeColor(accent)
      .moveTo(width / 2 - 160, doc.y)
      .lineTo(width / 2 + 160, doc.y)
      .stroke();
    doc.moveDown(0.9);
  }
  centred('SERTIFIKAT PELATIHAN', 'Helvetica-Bold', 30, { characterSpacing: 2 });
  doc.moveDown(0.2);
  centred(`Nomor: ${c.code}`, 'Helvetica', 12);
  doc.moveDown(1.1);
  centred('diberikan kepada', 'Helvetica-Oblique', 13);
  doc.moveDown(0.4);
  centred(c.participantName, 'Helvetica-Bold', 24);
  doc.moveDown(0.2);
  centred(`pemilik usaha ${c.businessName}`, 'Helvetica', 13);
  doc.moveDown(0.9);
  centred('yang telah mengikuti dan menyelesaikan', 'Helvetica', 13);
  doc.moveDown(0.3);
  centred(c.programName, 'Helvetica-Bold', 16);
  doc.moveDown(0.4);
  const place = c.venue ? ` bertempat di ${c.venue}` : '';
  const hours = c.hours ? ` selama ${c.hours} jam pelajaran (JP)` : '';
  // One line per clause, so the date range starts a line and is never split at its dash.
  const statement = [
    `yang diselenggarakan oleh ${c.organisation}`,
    `pada tanggal ${formatDateRange(c.startDate, c.endDate)}${place}${hours},`,
    'dan telah memenuhi ketentuan kehadiran sehingga dinyatakan telah menyelesaikan pelatihan.',
  ].join('\n');
  // Bottom band: QR on the left, signatory on the right. Long names and venues shrink the
  // statement rather than run into it.
  const bandTop = height - 175;
  let statementSize = 12;
  while (statementSize > 8) {
    doc.font('Helvetica').fontSize(statementSize);
    if (doc.y + doc.heightOfString(statement, { width: textWidth, lineGap: 2 }) <= bandTop - 6) break;
    statementSize -= 0.5;
  }
  centred(statement, 'Helvetica', statementSize, { lineGap: 2 });

  const qrSize = 92;
  drawQr(doc, qr, left, bandTop + 10, qrSize);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(ink)
    .text('Pindai kode QR untuk memeriksa keaslian sertifikat ini:', left + qrSize + 10, bandTop + 30, {
      width: 220,
    })
    .text(c.verificationUrl, { width: 220 });

  const signX = width - left - 260;
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(placeAndDate(c.letterhead, c.endDate), signX, bandTop, { width: 260, align: 'center' })
    .text(signatoryTitle(c.letterhead, c.organisation), { width: 260, align: 'center' });
  drawSignatory(doc, c.letterhead, signX, bandTop + 96, 260);

  if (c.status === 'revoked') {
    doc.save();
    doc.rotate(-20, { origin: [width / 2, height / 2] });
    doc
      .font('Helvetica-Bold')
      .fontSize(110)
      .fillColor('#c0392b')
      .fillOpacity(0.28)
      .text('DICABUT', 0, height / 2 - 60, { width, align: 'center' });
    doc.restore();
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#c0392b')
      .fillOpacity(1)
      .text(
        `DICABUT — sertifikat ini tidak berlaku lagi${c.revokedReason ? `. Alasan: ${c.revokedReason}` : ''}`,
        left,
        40,
        { width: textWidth, align: 'center' },
      );
    doc.fillOpacity(1).fillColor(ink);
  }
}

// ---- daftar hadir ----

export type DaftarHadirRow = {
  name: string;
  nik: string;
  sex: 'L' | 'P' | null;
  kelurahan: string | null;
  business: string;
  phone: string | null;
  checkedInAt: Date | null;
};

export type DaftarHadirDocument = {
  organisation: string;
  programName: string;
  topic: string | null;
  day: number;
  date: string;
  startsAt: string;
  endsAt: string;
  venue: string | null;
  lessonHours?: number | null;
  trainers?: { name: string; role: 'narasumber' | 'instruktur' }[];
  cancelled?: string | null;
  filled: boolean;
  rows: DaftarHadirRow[];
  letterhead?: OfficeLetterhead;
};

export async function renderDaftarHadirPdf(d: DaftarHadirDocument): Promise<Buffer> {
  const list = await startListDocument({
    Title: `Daftar Hadir ${d.programName} hari ke-${d.day}`,
    Author: d.organisation,
  });
  const { doc, contentWidth } = list;
  const timeZone = d.letterhead?.timeZone ?? defaultTimeZone;
  const clock = clockOf(timeZone);

  const columns: TableColumn<DaftarHadirRow>[] = [
    { title: 'No', width: 26, align: 'center', value: (_r, i) => String(i + 1) },
    { title: 'Nama', width: 140, align: 'left', value: (r) => r.name },
    { title: 'NIK', width: 98, align: 'left', value: (r) => r.nik },
    { title: 'L/P', width: 28, align: 'center', value: (r) => r.sex ?? '-' },
    { title: 'Kelurahan', width: 88, align: 'left', value: (r) => r.kelurahan ?? '-' },
    { title: 'Usaha', width: 140, align: 'left', value: (r) => r.business },
    { title: 'HP', width: 92, align: 'left', value: (r) => r.phone ?? '-' },
  ];
  if (d.filled) {
    columns.push({
      title: 'Jam Hadir',
      width: 50,
      align: 'center',
      value: (r) => (r.checkedInAt ? clock(r.checkedInAt) : '-'),
    });
  }
  const used = columns.reduce((sum, c) => sum + c.width, 0);
  const signatureWidth = contentWidth - used;
  columns.push({
    title: 'Tanda Tangan',
    width: signatureWidth,
    // The usual staggered numbering, so neighbours do not sign over each other.
    draw: ({ x, y }, index) => {
      const signX = index % 2 === 0 ? x + cellPadding : x + signatureWidth / 2;
      doc.text(`${index + 1}.`, signX, y + cellPadding, {
        width: signatureWidth / 2 - cellPadding,
        lineBreak: false,
      });
    },
  });

  // Letterhead and the activity's particulars, on the first page only.
  drawLetterhead(list, d.organisation, 'DAFTAR HADIR PESERTA', d.letterhead);
  drawParticulars(
    list,
    [
      ['Kegiatan', d.programName],
      ...(d.topic ? ([['Materi', d.topic]] as [string, string][]) : []),
      ['Hari ke', String(d.day)],
      ['Hari/Tanggal', formatDayAndDate(d.date)],
      ['Waktu', `${clockText(d.startsAt)} – ${clockText(d.endsAt)} ${timeZoneLabels[timeZone] ?? timeZone}`],
      ['Tempat', d.venue ?? '-'],
      ...((d.trainers ?? []).length > 0
        ? ([
            ['Narasumber', (d.trainers ?? []).map((x) => `${x.name} (${trainerLabel[x.role]})`).join(', ')],
          ] as [string, string][])
        : []),
      ...(d.lessonHours ? ([['Jam pelajaran', `${d.lessonHours} JP`]] as [string, string][]) : []),
      ...(d.cancelled ? ([['Keterangan', `DIBATALKAN — ${d.cancelled}`]] as [string, string][]) : []),
    ],
    90,
  );
  doc.moveDown(0.6);

  // A row is high enough to sign in.
  drawTable(list, d.rows, { columns, minRowHeight: 26, empty: 'Belum ada peserta.' });

  // Acknowledgement.
  drawSignatureBlock(
    list,
    [placeAndDate(d.letterhead, d.date), 'Mengetahui,', signatoryTitle(d.letterhead, d.organisation)],
    { height: 105, signatureAt: 78 },
    d.letterhead,
  );

  drawPageFooters(
    list,
    (page, pages) => `Daftar hadir ${d.programName} — hari ke-${d.day} — halaman ${page} dari ${pages}`,
  );

  doc.end();
  return list.done;
}

// ---- invitation cards ----

export type InvitationCard = {
  name: string;
  business: string;
  kelurahan: string | null;
  kecamatan: string | null;
  token: string;
};

export type InvitationCardsDocument = {
  organisation: string;
  letterhead?: OfficeLetterhead;
  programName: string;
  startDate: string;
  endDate: string;
  venue: string | null;
  cards: InvitationCard[];
};

// The largest size from `max` down to `min` at which `text` fits on one line of `width`,
// in the document's current font; below that the caller's ellipsis takes over.
function fitSize(doc: PDFKit.PDFDocument, text: string, width: number, max: number, min: number): number {
  const atMax = doc.fontSize(max).widthOfString(text);
  return atMax <= width ? max : Math.max(min, Math.floor(((max * width) / atMax) * 10) / 10);
}

// A4 portrait, 2 × 4 cards of 9.5 × 6.9 cm with dashed cut lines, printed on plain paper and
// cut by hand. The QR code is what the officer's phone scans at the door; the same code is
// printed small underneath, to be typed in when a phone cannot use its camera.
export async function renderInvitationCardsPdf(d: InvitationCardsDocument): Promise<Buffer> {
  const columns = 2;
  const rows = 4;
  const margin = 28;
  const doc = new (await loadPdfKit())({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: `Kartu Undangan ${d.programName}`, Author: d.organisation },
  });
  const done = collectPdf(doc);
  const qrs = await Promise.all(
    d.cards.map((c) => QRCode.toBuffer(c.token, { errorCorrectionLevel: 'M', margin: 0, width: 264 })),
  );
  const ink = '#1f2d3d';
  const accent = '#8a5a14';
  const dates = formatDateRange(d.startDate, d.endDate);
  const perPage = columns * rows;
  const pages = Math.max(1, Math.ceil(d.cards.length / perPage));

  for (let pageIndex = 0; pageIndex < pages; pageIndex++) {
    doc.addPage();
    const { width, height } = doc.page;
    const cardWidth = (width - 2 * margin) / columns;
    const cardHeight = (height - 2 * margin) / rows;

    // Cut lines first, under everything.
    doc.save().lineWidth(0.5).strokeColor('#9a9a9a').dash(4, { space: 3 });
    for (let c = 0; c <= columns; c++) {
      const x = margin + c * cardWidth;
      doc
        .moveTo(x, margin - 10)
        .lineTo(x, height - margin + 10)
        .stroke();
    }
    for (let r = 0; r <= rows; r++) {
      const y = margin + r * cardHeight;
      doc
        .moveTo(margin - 10, y)
        .lineTo(width - margin + 10, y)
        .stroke();
    }
    doc.undash().restore();
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#777')
      .text(
        `Kartu undangan peserta — gunting pada garis putus-putus — halaman ${pageIndex + 1} dari ${pages}`,
        margin,
        height - margin + 12,
        { width: width - 2 * margin, align: 'center', lineBreak: false },
      );

    if (d.cards.length === 0) {
      doc
        .font('Helvetica-Oblique')
        .fontSize(11)
        .fillColor(ink)
        .text('Belum ada peserta.', margin + 12, margin + 12);
    }

    d.cards.slice(pageIndex * perPage, (pageIndex + 1) * perPage).forEach((card, i) => {
      const x = margin + (i % columns) * cardWidth;
      const y = margin + Math.floor(i / columns) * cardHeight;
      const pad = 12;
      const inner = cardWidth - 2 * pad;
      const qrSize = 92;
      const qr = qrs[pageIndex * perPage + i];

      // A card is small: the government line stands for the letterhead.
      const organisation = (
        d.letterhead
          ? `${d.letterhead.government} · ${d.letterhead.officeName || d.organisation}`
          : d.organisation
      ).toUpperCase();
      doc
        .font('Helvetica-Bold')
        .fontSize(fitSize(doc, organisation, inner, 6.5, 5))
        .fillColor(ink)
        .text(organisation, x + pad, y + pad, {
          width: inner,
          height: 9,
          ellipsis: true,
          lineBreak: false,
        });
      doc
        .font('Helvetica-Bold')
        .fontSize(9.5)
        .fillColor(accent)
        .text('KARTU UNDANGAN PESERTA', x + pad, y + pad + 9, { width: inner, lineBreak: false });
      doc
        .lineWidth(0.8)
        .strokeColor(accent)
        .moveTo(x + pad, y + pad + 22)
        .lineTo(x + cardWidth - pad, y + pad + 22)
        .stroke();

      const top = y + pad + 28;
      if (qr) doc.image(qr, x + cardWidth - pad - qrSize, top, { width: qrSize, height: qrSize });
      const textWidth = inner - qrSize - 8;
      doc
        .font('Helvetica-Bold')
        .fontSize(8.5)
        .fillColor(ink)
        .text(d.programName, x + pad, top, { width: textWidth, height: 42, ellipsis: true });
      doc
        .font('Helvetica')
        .fontSize(7.5)
        .text(dates, x + pad, Math.max(doc.y, top) + 3, { width: textWidth, height: 20, ellipsis: true });
      if (d.venue) {
        doc.text(d.venue, x + pad, doc.y + 1, { width: textWidth, height: 20, ellipsis: true });
      }
      doc
        .font('Helvetica-Oblique')
        .fontSize(6.5)
        .fillColor('#555')
        .text('Tunjukkan kartu ini kepada petugas saat daftar hadir.', x + pad, top + qrSize - 16, {
          width: textWidth,
        });

      const who = top + qrSize + 6;
      doc
        .font('Helvetica-Bold')
        .fontSize(fitSize(doc, card.name, inner, 12, 9))
        .fillColor(ink)
        .text(card.name, x + pad, who, { width: inner, height: 15, ellipsis: true, lineBreak: false });
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .text(card.business, x + pad, who + 16, {
          width: inner,
          height: 11,
          ellipsis: true,
          lineBreak: false,
        });
      const place = [card.kelurahan && `Kel. ${card.kelurahan}`, card.kecamatan && `Kec. ${card.kecamatan}`]
        .filter(Boolean)
        .join(', ');
      if (place) {
        doc.fontSize(8).text(place, x + pad, who + 28, { width: inner, lineBreak: false });
      }
      doc
        .font('Courier')
        .fontSize(5.6)
        .fillColor('#444')
        .text(card.token, x + pad, y + cardHeight - pad - 5, { width: inner, lineBreak: false });
    });
  }

  doc.end();
  return done;
}
