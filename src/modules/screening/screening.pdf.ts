import { translator } from '../../lib/i18n.ts';
import {
  calendarDay,
  drawLetterhead,
  drawPageFooters,
  drawParticulars,
  drawSignatureBlock,
  drawTable,
  longDate,
  type OfficeLetterhead,
  startListDocument,
  type TableColumn,
} from '../../lib/pdf.ts';

// The invitation list is an office document: printed in Indonesian whatever the reader's
// language, A4 landscape so the notes columns have room for handwriting.

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
  letterhead?: OfficeLetterhead;
};

export async function renderInvitationsPdf(d: InvitationsDocument): Promise<Buffer> {
  const t = translator('id', 'screening');
  const list = await startListDocument({
    Title: `${t('pdf.title')} ${d.programName}`,
    Author: d.organisation,
  });
  const { doc, margin, contentWidth } = list;
  const number = new Intl.NumberFormat('id-ID');

  const columns: TableColumn<InvitationRow>[] = [
    { title: t('pdf.no'), width: 28, align: 'center', value: (_r, i) => String(i + 1) },
    { title: t('pdf.business'), width: 175, align: 'left', value: (r) => r.business },
    { title: t('pdf.owner'), width: 140, align: 'left', value: (r) => r.owner },
    { title: t('pdf.kelurahan'), width: 100, align: 'left', value: (r) => r.kelurahan },
    { title: t('pdf.phone'), width: 92, align: 'left', value: (r) => r.phone ?? '-' },
    { title: t('pdf.contacted'), width: 62, align: 'center', value: () => '' },
  ];
  const used = columns.reduce((sum, c) => sum + c.width, 0);
  columns.push({ title: t('pdf.notes'), width: contentWidth - used, align: 'left', value: () => '' });

  drawLetterhead(list, d.organisation, t('pdf.title'), d.letterhead);
  drawParticulars(
    list,
    [
      [t('pdf.activity'), d.programName],
      [t('pdf.dates'), formatDateRange(d.startDate, d.endDate)],
      [t('pdf.venue'), d.venue ?? '-'],
      [t('pdf.area'), d.area ? t('pdf.kecamatan', { name: d.area }) : t('pdf.allKecamatan')],
      [t('pdf.rule'), d.rule],
      [t('pdf.registration'), d.applicationUrl],
      [t('pdf.listed'), t('pdf.listedValue', { count: d.rows.length, n: number.format(d.rows.length) })],
    ],
    100,
  );
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

  drawTable(list, d.rows, { columns, minRowHeight: 22, empty: t('pdf.none') });

  // The officer who makes the calls signs the list.
  drawSignatureBlock(list, [t('pdf.officer')], { height: 80, signatureAt: 52 });

  drawPageFooters(list, (page, pages) => t('pdf.footer', { program: d.programName, page, pages }));

  doc.end();
  return list.done;
}
