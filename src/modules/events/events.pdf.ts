import {
  calendarDay,
  cellPadding,
  drawLetterhead,
  drawPageFooters,
  drawParticulars,
  drawSignatureBlock,
  drawTable,
  longDate,
  type OfficeLetterhead,
  placeAndDate,
  startListDocument,
  type TableColumn,
} from '../../lib/pdf.ts';

// The printed lists of a promotion event, in Indonesian as every office document: the booth list
// (for the floor and the information desk) and the attendance list (daftar hadir) the participants
// sign at the venue. Letterhead and signatory from the settings, like the training's daftar hadir.

export type EventListRow = {
  booth: string | null;
  businessName: string;
  ownerName: string;
  kecamatanName: string | null;
  products: string;
};

export type EventListDocument = {
  eventName: string;
  kindLabel: string;
  startDate: string;
  endDate: string;
  venue: string;
  rows: EventListRow[];
  letterhead: OfficeLetterhead;
};

const dateRange = (start: string, end: string) =>
  start === end
    ? longDate.format(calendarDay(start))
    : `${longDate.format(calendarDay(start))} – ${longDate.format(calendarDay(end))}`;

const dayName = new Intl.DateTimeFormat('id-ID', { weekday: 'long', timeZone: 'UTC' });

function signatory(letterhead: OfficeLetterhead) {
  return letterhead.headPosition || 'Kepala Dinas';
}

export async function renderBoothListPdf(d: EventListDocument): Promise<Buffer> {
  const list = await startListDocument({
    Title: `Daftar Stan ${d.eventName}`,
    Author: d.letterhead.officeName,
  });
  const { doc, contentWidth } = list;
  const fixed = 26 + 60 + 190 + 150 + 110;
  const columns: TableColumn<EventListRow>[] = [
    { title: 'No', width: 26, align: 'center', value: (_r, i) => String(i + 1) },
    { title: 'Stan', width: 60, align: 'center', value: (r) => r.booth ?? '-' },
    { title: 'Nama Usaha', width: 190, value: (r) => r.businessName },
    { title: 'Pemilik', width: 150, value: (r) => r.ownerName },
    { title: 'Kecamatan', width: 110, value: (r) => r.kecamatanName ?? '-' },
    { title: 'Produk', width: contentWidth - fixed, value: (r) => r.products || '-' },
  ];
  drawLetterhead(list, d.letterhead.officeName, 'DAFTAR STAN PESERTA', d.letterhead);
  drawParticulars(
    list,
    [
      ['Kegiatan', `${d.kindLabel} ${d.eventName}`],
      ['Tanggal', dateRange(d.startDate, d.endDate)],
      ['Tempat', d.venue],
      ['Jumlah peserta', String(d.rows.length)],
    ],
    90,
  );
  doc.moveDown(0.6);
  drawTable(list, d.rows, { columns, minRowHeight: 20, empty: 'Belum ada peserta.' });
  drawPageFooters(list, (page, pages) => `Daftar stan ${d.eventName} — halaman ${page} dari ${pages}`);
  doc.end();
  return list.done;
}

export async function renderEventAttendancePdf(d: EventListDocument & { date: string }): Promise<Buffer> {
  const list = await startListDocument({
    Title: `Daftar Hadir ${d.eventName}`,
    Author: d.letterhead.officeName,
  });
  const { doc, contentWidth } = list;
  const fixed = 26 + 50 + 190 + 160 + 110;
  const signatureWidth = contentWidth - fixed;
  const columns: TableColumn<EventListRow>[] = [
    { title: 'No', width: 26, align: 'center', value: (_r, i) => String(i + 1) },
    { title: 'Stan', width: 50, align: 'center', value: (r) => r.booth ?? '-' },
    { title: 'Nama Usaha', width: 190, value: (r) => r.businessName },
    { title: 'Nama Pemilik / Penjaga Stan', width: 160, value: (r) => r.ownerName },
    { title: 'Kecamatan', width: 110, value: (r) => r.kecamatanName ?? '-' },
    {
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
    },
  ];
  drawLetterhead(list, d.letterhead.officeName, 'DAFTAR HADIR PESERTA', d.letterhead);
  drawParticulars(
    list,
    [
      ['Kegiatan', `${d.kindLabel} ${d.eventName}`],
      ['Hari/Tanggal', `${dayName.format(calendarDay(d.date))}, ${longDate.format(calendarDay(d.date))}`],
      ['Tempat', d.venue],
    ],
    90,
  );
  doc.moveDown(0.6);
  drawTable(list, d.rows, { columns, minRowHeight: 26, empty: 'Belum ada peserta.' });
  drawSignatureBlock(
    list,
    [placeAndDate(d.letterhead, d.date), 'Mengetahui,', signatory(d.letterhead)],
    { height: 105, signatureAt: 78 },
    d.letterhead,
  );
  drawPageFooters(list, (page, pages) => `Daftar hadir ${d.eventName} — halaman ${page} dari ${pages}`);
  doc.end();
  return list.done;
}
