import PDFDocument from 'pdfkit';
import { translator } from '../../lib/i18n.ts';

// The invitation list is an office document: printed in Indonesian whatever the reader's
// language (DOMAIN.md), A4 landscape so the notes columns have room for handwriting.

const longDate = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

// Date-only strings are calendar days: read and printed in UTC so no time zone moves them.
const calendarDay = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

// "24–28 Agustus 2020"
export function formatDateRange(start: string, end: string): string {
  if (start === end) return longDate.format(calendarDay(start));
  return longDate.formatRange(calendarDay(start), calendarDay(end));
}

export type InvitationRow = { business: string; owner: string; kelurahan: string; phone: string | null };

export type InvitationsDocument = {
  organisation: string;
  programName: string;
  startDate: string;
  endDate: string;
  venue: string | null;
  // the kecamatan's name when the list is for one kecamatan
  area: string | null;
  rule: string;
  applicationUrl: string;
  // eligible businesses matching the filter; rows may hold fewer (the print limit)
  total: number;
  rows: InvitationRow[];
};

type Column = {
  title: string;
  width: number;
  align: 'left' | 'center';
  value: (r: InvitationRow, i: number) => string;
};

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export async function renderInvitationsPdf(d: InvitationsDocument): Promise<Buffer> {
  const t = translator('id', 'screening');
  const margin = 36;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    bufferPages: true,
    info: { Title: `${t('pdf.title')} ${d.programName}`, Author: d.organisation },
  });
  const done = collect(doc);
  const pageWidth = doc.page.width;
  const contentWidth = pageWidth - 2 * margin;
  const bottomLimit = doc.page.height - margin - 20;
  const fontSize = 9;
  const padding = 4;
  const minRowHeight = 22;
  const number = new Intl.NumberFormat('id-ID');

  const columns: Column[] = [
    { title: t('pdf.no'), width: 28, align: 'center', value: (_r, i) => String(i + 1) },
    { title: t('pdf.business'), width: 175, align: 'left', value: (r) => r.business },
    { title: t('pdf.owner'), width: 140, align: 'left', value: (r) => r.owner },
    { title: t('pdf.kelurahan'), width: 100, align: 'left', value: (r) => r.kelurahan },
    { title: t('pdf.phone'), width: 92, align: 'left', value: (r) => r.phone ?? '-' },
    { title: t('pdf.contacted'), width: 62, align: 'center', value: () => '' },
  ];
  const used = columns.reduce((sum, c) => sum + c.width, 0);
  columns.push({ title: t('pdf.notes'), width: contentWidth - used, align: 'left', value: () => '' });

  // Letterhead.
  doc.font('Helvetica-Bold').fontSize(14).text(d.organisation.toUpperCase(), { align: 'center' });
  const ruleY = doc.y + 4;
  doc
    .lineWidth(2)
    .moveTo(margin, ruleY)
    .lineTo(pageWidth - margin, ruleY)
    .stroke();
  doc
    .lineWidth(0.5)
    .moveTo(margin, ruleY + 3)
    .lineTo(pageWidth - margin, ruleY + 3)
    .stroke();
  doc.y = ruleY + 14;
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(t('pdf.title'), margin, doc.y, { align: 'center', width: contentWidth });
  doc.moveDown(0.6);

  const particulars: [string, string][] = [
    [t('pdf.activity'), d.programName],
    [t('pdf.dates'), formatDateRange(d.startDate, d.endDate)],
    [t('pdf.venue'), d.venue ?? '-'],
    [t('pdf.area'), d.area ? t('pdf.kecamatan', { name: d.area }) : t('pdf.allKecamatan')],
    [t('pdf.rule'), d.rule],
    [t('pdf.registration'), d.applicationUrl],
    [t('pdf.listed'), t('pdf.listedValue', { count: d.rows.length, n: number.format(d.rows.length) })],
  ];
  doc.font('Helvetica').fontSize(10);
  for (const [label, value] of particulars) {
    const y = doc.y;
    doc.text(label, margin, y, { width: 100 });
    doc.text(':', margin + 100, y, { width: 10 });
    doc.text(value, margin + 112, y, { width: contentWidth - 112 });
    doc.moveDown(0.15);
  }
  if (d.rows.length < d.total) {
    doc.moveDown(0.2);
    doc
      .font('Helvetica-Oblique')
      .text(
        t('pdf.truncated', { shown: number.format(d.rows.length), total: number.format(d.total) }),
        margin,
        doc.y,
        {
          width: contentWidth,
        },
      );
  }
  doc.moveDown(0.6);

  const cellHeight = (text: string, width: number, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
    return doc.heightOfString(text, { width: width - 2 * padding });
  };

  const drawHeader = () => {
    const y = doc.y;
    const h = Math.max(...columns.map((c) => cellHeight(c.title, c.width, true))) + 2 * padding;
    let x = margin;
    doc.lineWidth(0.6).strokeColor('#000');
    for (const c of columns) {
      doc.rect(x, y, c.width, h).fillAndStroke('#e6e6e6', '#000');
      doc
        .fillColor('#000')
        .font('Helvetica-Bold')
        .fontSize(fontSize)
        .text(c.title, x + padding, y + padding, { width: c.width - 2 * padding, align: 'center' });
      x += c.width;
    }
    doc.y = y + h;
  };

  const drawRow = (row: InvitationRow, index: number) => {
    const texts = columns.map((c) => c.value(row, index));
    const h = Math.max(
      minRowHeight,
      ...texts.map((text, i) => cellHeight(text, columns[i]!.width) + 2 * padding),
    );
    if (doc.y + h > bottomLimit) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    let x = margin;
    doc.font('Helvetica').fontSize(fontSize).fillColor('#000');
    columns.forEach((c, i) => {
      doc.rect(x, y, c.width, h).stroke();
      if (texts[i])
        doc.text(texts[i]!, x + padding, y + padding, { width: c.width - 2 * padding, align: c.align });
      x += c.width;
    });
    doc.y = y + h;
  };

  drawHeader();
  d.rows.forEach(drawRow);
  if (d.rows.length === 0) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(fontSize)
      .text(t('pdf.none'), margin + padding, doc.y + padding);
  }

  // The officer who makes the calls signs the list.
  const blockWidth = 250;
  const blockHeight = 80;
  if (doc.y + 16 + blockHeight > bottomLimit) doc.addPage();
  const blockX = pageWidth - margin - blockWidth;
  const blockY = doc.y + 16;
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#000')
    .text(t('pdf.officer'), blockX, blockY, { width: blockWidth, align: 'center' })
    .text('(.......................................................)', blockX, blockY + 52, {
      width: blockWidth,
      align: 'center',
    })
    .text('NIP. ..................................................', { width: blockWidth, align: 'center' });

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#555')
      .text(
        t('pdf.footer', { program: d.programName, page: i - range.start + 1, pages: range.count }),
        margin,
        doc.page.height - margin - 10,
        { width: contentWidth, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }

  doc.end();
  return done;
}
