import {
  calendarDay,
  collectPdf,
  drawOfficeLetterhead,
  drawPageFooters,
  drawSignatureBlock,
  drawTable,
  type ListDocument,
  loadPdfKit,
  longDate,
  type OfficeLetterhead,
  placeAndDate,
} from '../../lib/pdf.ts';

// The Laporan Kegiatan (activity report) of a program, A4 portrait, printed in Indonesian like
// every official document: what the office files after an activity and sends to the mayor.

export type ActivityReportDocument = {
  letterhead: OfficeLetterhead;
  program: {
    name: string;
    organisation: string;
    description: string | null;
    venue: string | null;
    startDate: string;
    endDate: string;
    hours: number | null;
    capacity: number;
  };
  background: string | null;
  legalBasis: string | null;
  sessions: Array<{
    day: number;
    date: string;
    startsAt: string;
    endsAt: string;
    topic: string | null;
    venue: string | null;
    cancelled: boolean;
    present: number;
  }>;
  participants: number;
  byKecamatan: Array<{
    name: string;
    participants: number;
    completed: number;
    dropped: number;
    equipped: number;
  }>;
  aid: Array<{
    sopd: string;
    item: string;
    unit: string;
    quantity: number;
    value: number;
    recipients: number;
  }>;
  // "label", "figure" lines of what the program achieved so far
  outcomes: Array<[string, string]>;
  photos: Array<{ data: Buffer; contentType: string; caption: string }>;
  // the day the report is signed (a calendar day)
  signedOn: string;
};

const margin = 50;
const rupiah = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('id-ID');
const percent = (part: number, whole: number) =>
  whole > 0
    ? `${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format((100 * part) / whole)}%`
    : '-';
const day = (iso: string) => longDate.format(calendarDay(iso));

function period(start: string, end: string) {
  return start === end ? day(start) : `${day(start)} s.d. ${day(end)}`;
}

export async function renderActivityReport(r: ActivityReportDocument): Promise<Buffer> {
  const doc = new (await loadPdfKit())({
    size: 'A4',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    bufferPages: true,
    info: {
      Title: `Laporan Kegiatan ${r.program.name}`,
      Author: r.letterhead.officeName || r.program.organisation,
    },
  });
  const done = collectPdf(doc);
  const pageWidth = doc.page.width;
  const contentWidth = pageWidth - 2 * margin;
  const list: ListDocument = {
    doc,
    done,
    margin,
    pageWidth,
    contentWidth,
    bottomLimit: doc.page.height - margin - 20,
  };

  doc.y = drawOfficeLetterhead(doc, r.letterhead, margin, margin, contentWidth);
  doc.font('Helvetica-Bold').fontSize(14).text('LAPORAN KEGIATAN', margin, doc.y, {
    width: contentWidth,
    align: 'center',
  });
  doc.fontSize(12).text(r.program.name.toUpperCase(), { width: contentWidth, align: 'center' });
  doc.moveDown(1);

  let section = 0;
  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  const heading = (title: string) => {
    if (doc.y + 60 > list.bottomLimit) doc.addPage();
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#000')
      .text(`${roman[section++]}. ${title}`, margin, doc.y, { width: contentWidth });
    doc.moveDown(0.3);
    doc.font('Helvetica').fontSize(10);
  };
  const paragraph = (text: string) => {
    doc.font('Helvetica').fontSize(10).text(text, margin, doc.y, { width: contentWidth, align: 'justify' });
    doc.moveDown(0.8);
  };
  const missing = (text: string) => {
    doc.font('Helvetica-Oblique').fontSize(10).text(text, margin, doc.y, { width: contentWidth });
    doc.moveDown(0.8);
  };

  heading('LATAR BELAKANG');
  const background = r.background?.trim() || r.program.description?.trim();
  if (background) paragraph(background);
  else missing('Latar belakang belum diisi.');

  heading('DASAR HUKUM');
  const basis = (r.legalBasis ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (basis.length === 0) missing('Dasar hukum belum diisi.');
  basis.forEach((line, i) => {
    doc.text(`${i + 1}.`, margin, doc.y, { width: 18, continued: false });
    doc.moveUp();
    doc.text(line, margin + 18, doc.y, { width: contentWidth - 18 });
    doc.moveDown(0.2);
  });
  if (basis.length) doc.moveDown(0.6);

  heading('PELAKSANAAN KEGIATAN');
  const particulars: [string, string][] = [
    ['Nama kegiatan', r.program.name],
    ['Penyelenggara', r.program.organisation],
    ['Waktu', period(r.program.startDate, r.program.endDate)],
    ['Tempat', r.program.venue ?? '-'],
    [
      'Jumlah peserta',
      `${integer.format(r.participants)} orang (kuota ${integer.format(r.program.capacity)})`,
    ],
  ];
  if (r.program.hours) particulars.push(['Jumlah jam pelajaran', `${r.program.hours} JP`]);
  for (const [label, value] of particulars) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).text(label, margin, y, { width: 130 });
    doc.text(':', margin + 130, y, { width: 10 });
    doc.text(value, margin + 142, y, { width: contentWidth - 142 });
    doc.moveDown(0.15);
  }
  doc.moveDown(0.8);

  heading('JADWAL KEGIATAN');
  drawTable(list, r.sessions, {
    minRowHeight: 18,
    empty: 'Belum ada jadwal sesi.',
    columns: [
      { title: 'Hari ke', width: 45, align: 'center', value: (s) => String(s.day) },
      { title: 'Tanggal', width: 105, value: (s) => day(s.date) },
      { title: 'Waktu', width: 75, align: 'center', value: (s) => `${s.startsAt}–${s.endsAt}` },
      {
        title: 'Materi',
        width: contentWidth - 45 - 105 - 75 - 105,
        value: (s) => (s.cancelled ? `${s.topic ?? '-'} (dibatalkan)` : (s.topic ?? '-')),
      },
      { title: 'Tempat', width: 105, value: (s) => s.venue ?? r.program.venue ?? '-' },
    ],
  });
  doc.moveDown(1);

  heading('PESERTA PER KECAMATAN');
  const totals = r.byKecamatan.reduce(
    (t, k) => ({
      name: 'Jumlah',
      participants: t.participants + k.participants,
      completed: t.completed + k.completed,
      dropped: t.dropped + k.dropped,
      equipped: t.equipped + k.equipped,
    }),
    { name: 'Jumlah', participants: 0, completed: 0, dropped: 0, equipped: 0 },
  );
  const kecamatanRows = r.byKecamatan.length ? [...r.byKecamatan, totals] : [];
  const w = (contentWidth - 30 - 150) / 4;
  drawTable(list, kecamatanRows, {
    minRowHeight: 18,
    empty: 'Belum ada peserta.',
    columns: [
      { title: 'No', width: 30, align: 'center', value: (k, i) => (k === totals ? '' : String(i + 1)) },
      { title: 'Kecamatan', width: 150, value: (k) => k.name },
      { title: 'Peserta', width: w, align: 'center', value: (k) => integer.format(k.participants) },
      { title: 'Lulus', width: w, align: 'center', value: (k) => integer.format(k.completed) },
      { title: 'Tidak selesai', width: w, align: 'center', value: (k) => integer.format(k.dropped) },
      { title: 'Menerima bantuan', width: w, align: 'center', value: (k) => integer.format(k.equipped) },
    ],
  });
  doc.moveDown(1);

  heading('REKAPITULASI KEHADIRAN');
  const held = r.sessions.filter((s) => !s.cancelled);
  drawTable(list, held, {
    minRowHeight: 18,
    empty: 'Belum ada sesi yang dilaksanakan.',
    columns: [
      { title: 'Hari ke', width: 60, align: 'center', value: (s) => String(s.day) },
      { title: 'Tanggal', width: 160, value: (s) => day(s.date) },
      { title: 'Hadir', width: 90, align: 'center', value: (s) => integer.format(s.present) },
      { title: 'Peserta', width: 90, align: 'center', value: () => integer.format(r.participants) },
      {
        title: 'Persentase',
        width: contentWidth - 400,
        align: 'center',
        value: (s) => percent(s.present, r.participants),
      },
    ],
  });
  if (held.length) {
    const present = held.reduce((sum, s) => sum + s.present, 0);
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        `Rata-rata kehadiran: ${percent(present, r.participants * held.length)} dari ${held.length} hari.`,
        margin,
        doc.y + 4,
        { width: contentWidth },
      );
  }
  doc.moveDown(1);

  heading('BANTUAN PERALATAN');
  drawTable(list, r.aid, {
    minRowHeight: 18,
    empty: 'Belum ada bantuan yang diserahkan.',
    columns: [
      { title: 'SOPD', width: 120, value: (a) => a.sopd },
      { title: 'Barang', width: contentWidth - 120 - 70 - 70 - 100, value: (a) => a.item },
      {
        title: 'Jumlah',
        width: 70,
        align: 'center',
        value: (a) => `${integer.format(a.quantity)} ${a.unit}`,
      },
      { title: 'Penerima', width: 70, align: 'center', value: (a) => integer.format(a.recipients) },
      { title: 'Nilai (Rp)', width: 100, value: (a) => rupiah.format(a.value) },
    ],
  });
  doc.moveDown(1);

  heading('CAPAIAN');
  for (const [label, value] of r.outcomes) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).text(label, margin, y, { width: 300 });
    doc.text(':', margin + 300, y, { width: 10 });
    doc.text(value, margin + 312, y, { width: contentWidth - 312 });
    doc.moveDown(0.15);
  }
  doc.moveDown(1);

  heading('DOKUMENTASI');
  const printable = r.photos.filter((p) => p.contentType === 'image/jpeg' || p.contentType === 'image/png');
  if (printable.length === 0) missing('Belum ada foto kegiatan.');
  const cellWidth = (contentWidth - 16) / 2;
  const imageHeight = 150;
  printable.forEach((photo, i) => {
    const column = i % 2;
    if (column === 0 && doc.y + imageHeight + 30 > list.bottomLimit) doc.addPage();
    const x = margin + column * (cellWidth + 16);
    const y = doc.y;
    try {
      doc.image(photo.data, x, y, { fit: [cellWidth, imageHeight], align: 'center', valign: 'center' });
    } catch {
      doc.rect(x, y, cellWidth, imageHeight).stroke();
    }
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(photo.caption, x, y + imageHeight + 4, { width: cellWidth, align: 'center' });
    doc.y = column === 0 && i < printable.length - 1 ? y : y + imageHeight + 24;
  });
  doc.moveDown(1);

  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      'Demikian laporan kegiatan ini dibuat untuk dapat dipergunakan sebagaimana mestinya.',
      margin,
      doc.y,
      { width: contentWidth },
    );
  drawSignatureBlock(
    list,
    [placeAndDate(r.letterhead, r.signedOn), r.letterhead.headPosition || 'Kepala Dinas'],
    { height: 110, signatureAt: 70 },
    r.letterhead,
  );
  drawPageFooters(list, (page, pages) => `Laporan Kegiatan ${r.program.name}, halaman ${page} dari ${pages}`);
  doc.end();
  return done;
}
