import type PDFDocument from 'pdfkit';

// Building blocks of the office documents printed with pdfkit (the invitation list, the daftar
// hadir, the certificate, the BAST): collecting the output, calendar dates in Indonesian, and
// for the A4 landscape lists a letterhead, particulars, a ruled table whose header repeats on
// every page, a signature block and page footers.

// pdfkit is imported when a document is first drawn, not at every start of every process
// (0.11 s of CPU: docs/testing.md, "Eleventh stop").
let pdfkit: Promise<typeof PDFDocument> | null = null;

export function loadPdfKit(): Promise<typeof PDFDocument> {
  pdfkit ??= import('pdfkit').then((module) => module.default);
  return pdfkit;
}

export function collectPdf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

// "24 Agustus 2020"
export const longDate = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

// Date-only strings are calendar days, not instants: read and print them in UTC so no time
// zone moves them to a neighbouring day.
export const calendarDay = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

// ---- lists: A4 landscape, a table of people or businesses ----

export type ListDocument = {
  doc: PDFKit.PDFDocument;
  // the document's bytes, once doc.end() is called
  done: Promise<Buffer>;
  margin: number;
  pageWidth: number;
  contentWidth: number;
  // a table row that would end below this goes to the next page (room for the footer)
  bottomLimit: number;
};

// Pages are buffered so that the footers can say "page i of n".
export async function startListDocument(info: { Title: string; Author: string }): Promise<ListDocument> {
  const PDFDocument = await loadPdfKit();
  const margin = 36;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    bufferPages: true,
    info,
  });
  const done = collectPdf(doc);
  const pageWidth = doc.page.width;
  return {
    doc,
    done,
    margin,
    pageWidth,
    contentWidth: pageWidth - 2 * margin,
    bottomLimit: doc.page.height - margin - 20,
  };
}

// The office's letterhead (or, without settings, the organisation's name) over a double rule,
// then the document's title; first page only.
export function drawLetterhead(
  list: ListDocument,
  organisation: string,
  title: string,
  letterhead?: OfficeLetterhead,
) {
  const { doc, margin, pageWidth, contentWidth } = list;
  if (letterhead) {
    doc.y = drawOfficeLetterhead(doc, letterhead, margin, doc.y, contentWidth);
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(title, margin, doc.y, { align: 'center', width: contentWidth });
    doc.moveDown(0.6);
    return;
  }
  doc.font('Helvetica-Bold').fontSize(14).text(organisation.toUpperCase(), { align: 'center' });
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
    .text(title, margin, doc.y, { align: 'center', width: contentWidth });
  doc.moveDown(0.6);
}

// "Kegiatan : …" lines, the colons aligned after a label column of `labelWidth`.
export function drawParticulars(list: ListDocument, particulars: [string, string][], labelWidth: number) {
  const { doc, margin, contentWidth } = list;
  doc.font('Helvetica').fontSize(10);
  for (const [label, value] of particulars) {
    const y = doc.y;
    doc.text(label, margin, y, { width: labelWidth });
    doc.text(':', margin + labelWidth, y, { width: 10 });
    doc.text(value, margin + labelWidth + 12, y, { width: contentWidth - labelWidth - 12 });
    doc.moveDown(0.15);
  }
}

export type TableColumn<R> = {
  title: string;
  width: number;
  align?: 'left' | 'center';
  // the cell's text; a column without one (a signature column) does not count in a row's height
  value?: (row: R, index: number) => string;
  // drawn into the cell after its box, in the rows' font
  draw?: (cell: { x: number; y: number; width: number; height: number }, index: number) => void;
};

const tableFontSize = 9;
export const cellPadding = 4;

// A ruled table from the current position: a grey header row, repeated at the top of every
// page the rows run onto; rows at least `minRowHeight` high (room to write or sign in); `empty`
// in italics when there are no rows.
export function drawTable<R>(
  list: ListDocument,
  rows: R[],
  options: { columns: TableColumn<R>[]; minRowHeight: number; empty: string },
) {
  const { doc, margin, bottomLimit } = list;
  const { columns, minRowHeight } = options;
  const padding = cellPadding;

  const cellHeight = (text: string, width: number, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(tableFontSize);
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
        .fontSize(tableFontSize)
        .text(c.title, x + padding, y + padding, { width: c.width - 2 * padding, align: 'center' });
      x += c.width;
    }
    doc.y = y + h;
  };

  const drawRow = (row: R, index: number) => {
    const texts = columns.map((c) => c.value?.(row, index));
    const h = Math.max(
      minRowHeight,
      ...columns.flatMap((c, i) => {
        const text = texts[i];
        return text === undefined ? [] : [cellHeight(text, c.width) + 2 * padding];
      }),
    );
    if (doc.y + h > bottomLimit) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    let x = margin;
    doc.font('Helvetica').fontSize(tableFontSize).fillColor('#000');
    columns.forEach((c, i) => {
      doc.rect(x, y, c.width, h).stroke();
      const text = texts[i];
      if (text) doc.text(text, x + padding, y + padding, { width: c.width - 2 * padding, align: c.align });
      c.draw?.({ x, y, width: c.width, height: h }, index);
      x += c.width;
    });
    doc.y = y + h;
  };

  drawHeader();
  rows.forEach(drawRow);
  if (rows.length === 0) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(tableFontSize)
      .text(options.empty, margin + padding, doc.y + padding);
  }
}

// The blanks for a signatory's name and NIP, written in by hand, centred in `width` from y on.
export function drawBlankSignatory(doc: PDFKit.PDFDocument, x: number, y: number, width: number) {
  doc
    .text('(.......................................................)', x, y, { width, align: 'center' })
    .text('NIP. ..................................................', { width, align: 'center' });
}

// A signature block at the right, after the table, kept whole on one page: `lines` above the
// space to sign in, the blank name `signatureAt` points below the block's top, `height` in all.
export function drawSignatureBlock(
  list: ListDocument,
  lines: string[],
  layout: { height: number; signatureAt: number },
  letterhead?: OfficeLetterhead,
) {
  const { doc, margin, pageWidth, bottomLimit } = list;
  const blockWidth = 250;
  if (doc.y + 16 + layout.height > bottomLimit) doc.addPage();
  const blockX = pageWidth - margin - blockWidth;
  const blockY = doc.y + 16;
  doc.font('Helvetica').fontSize(10).fillColor('#000');
  lines.forEach((line, i) => {
    if (i === 0) doc.text(line, blockX, blockY, { width: blockWidth, align: 'center' });
    else doc.text(line, { width: blockWidth, align: 'center' });
  });
  drawSignatory(doc, letterhead, blockX, blockY + layout.signatureAt, blockWidth);
}

// A footer line on every page, e.g. "… halaman 2 dari 3".
export function drawPageFooters(list: ListDocument, text: (page: number, pages: number) => string) {
  const { doc, margin, contentWidth } = list;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#555')
      .text(text(i - range.start + 1, range.count), margin, doc.page.height - margin - 10, {
        width: contentWidth,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

// ---- the office's letterhead and signatory (settings), on every document ----

export type OfficeLetterhead = {
  // "PEMERINTAH KOTA PALANGKA RAYA"
  government: string;
  officeName: string;
  officeAddress: string;
  logo: Buffer | null;
  headName: string;
  headNip: string;
  headPosition: string;
  // "Palangka Raya": written before the date a document is signed
  place: string;
  timeZone: string;
};

// "Palangka Raya, 28 Agustus 2020": a calendar day, or the day an instant falls on in the
// office's time zone.
export function placeAndDate(letterhead: OfficeLetterhead | undefined, day: string | Date): string {
  const date =
    typeof day === 'string'
      ? longDate.format(calendarDay(day))
      : new Intl.DateTimeFormat('id-ID', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: letterhead?.timeZone ?? 'Asia/Jakarta',
        }).format(day);
  return letterhead?.place ? `${letterhead.place}, ${date}` : date;
}

// The emblem at the left, then the government, the office and its address centred, over a
// double rule. Returns the y below the rule.
export function drawOfficeLetterhead(
  doc: PDFKit.PDFDocument,
  letterhead: OfficeLetterhead,
  x: number,
  y: number,
  width: number,
): number {
  const logoSize = 54;
  if (letterhead.logo) {
    try {
      doc.image(letterhead.logo, x, y, { fit: [logoSize, logoSize] });
    } catch {
      // an emblem pdfkit cannot read leaves the letterhead without it rather than fail the document
    }
  }
  const textX = x + logoSize + 8;
  const textWidth = width - 2 * (logoSize + 8);
  doc
    .fillColor('#000')
    .font('Helvetica-Bold')
    .fontSize(13)
    .text(letterhead.government, textX, y, { width: textWidth, align: 'center' });
  if (letterhead.officeName)
    doc
      .font('Helvetica-Bold')
      .fontSize(15)
      .text(letterhead.officeName.toUpperCase(), { width: textWidth, align: 'center' });
  if (letterhead.officeAddress)
    doc.font('Helvetica').fontSize(9).text(letterhead.officeAddress, { width: textWidth, align: 'center' });
  const ruleY = Math.max(doc.y + 4, y + logoSize + 4);
  doc
    .lineWidth(2)
    .moveTo(x, ruleY)
    .lineTo(x + width, ruleY)
    .stroke();
  doc
    .lineWidth(0.5)
    .moveTo(x, ruleY + 3)
    .lineTo(x + width, ruleY + 3)
    .stroke();
  return ruleY + 12;
}

// The signatory's name (underlined) and NIP from the settings; blanks to write in by hand
// when the office has not named one.
export function drawSignatory(
  doc: PDFKit.PDFDocument,
  letterhead: OfficeLetterhead | undefined,
  x: number,
  y: number,
  width: number,
) {
  if (!letterhead?.headName) {
    drawBlankSignatory(doc, x, y, width);
    return;
  }
  doc
    .font('Helvetica-Bold')
    .text(letterhead.headName, x, y, { width, align: 'center', underline: true })
    .font('Helvetica')
    .text(letterhead.headNip ? `NIP. ${letterhead.headNip}` : '', { width, align: 'center' });
}
