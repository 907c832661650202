import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { OfficeLetterhead } from '../../lib/pdf.ts';
import { pdfPages } from '../../testing/pdf.ts';
import { renderBast } from '../aid/aid.pdf.ts';
import { renderInvitationsPdf } from '../screening/screening.pdf.ts';
import {
  renderCertificatePdf,
  renderDaftarHadirPdf,
  renderInvitationCardsPdf,
} from '../training/training.pdf.ts';

const emblem = new PNG({ width: 16, height: 16 });
emblem.data.fill(120);

const letterhead: OfficeLetterhead = {
  government: 'PEMERINTAH KOTA PALANGKA RAYA',
  officeName: 'Dinas Perdagangan, Koperasi, UKM dan Perindustrian',
  officeAddress: 'Jl. Tjilik Riwut Km. 5,5, Palangka Raya',
  logo: PNG.sync.write(emblem),
  headName: 'Ir. Samsul Rizal, M.Si.',
  headNip: '196805121994031009',
  headPosition: 'Kepala Dinas',
  place: 'Palangka Raya',
  timeZone: 'Asia/Jakarta',
};

const program = {
  organisation: 'Dinas Perdagangan, Koperasi, UKM dan Perindustrian',
  programName: 'Pelatihan proses produksi berbahan dasar rotan',
};

// Every document the office prints, rendered with the office's settings.
async function everyDocument() {
  return {
    certificate: await renderCertificatePdf({
      ...program,
      code: 'PLH-2020-0001',
      status: 'valid',
      revokedReason: null,
      participantName: 'Siti Aminah',
      businessName: 'Anyaman Siti',
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      hours: 40,
      issuedAt: new Date('2020-08-28T08:00:00Z'),
      verificationUrl: 'https://pulih.example.go.id/sertifikat/PLH-2020-0001',
      letterhead,
    }),
    daftarHadir: await renderDaftarHadirPdf({
      ...program,
      topic: null,
      day: 1,
      date: '2020-08-24',
      startsAt: '08:00',
      endsAt: '16:00',
      venue: 'Aula Kecamatan Bukit Batu',
      filled: false,
      rows: [],
      letterhead,
    }),
    invitationCards: await renderInvitationCardsPdf({
      ...program,
      letterhead,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      cards: [
        {
          name: 'Siti Aminah',
          business: 'Anyaman Siti',
          kelurahan: 'Tangkiling',
          kecamatan: 'Bukit Batu',
          token: 'ABCD-1234',
        },
      ],
    } as Parameters<typeof renderInvitationCardsPdf>[0]),
    invitations: await renderInvitationsPdf({
      ...program,
      startDate: '2020-08-24',
      endDate: '2020-08-28',
      venue: 'Aula Kecamatan Bukit Batu',
      area: null,
      rule: 'KBLI 16291',
      applicationUrl: 'https://pulih.example.go.id/daftar/1',
      total: 0,
      rows: [],
      letterhead,
    } as Parameters<typeof renderInvitationsPdf>[0]),
    bast: await renderBast({
      letterhead,
      number: '001/BAST/2020',
      handedOverAt: '2020-09-02',
      place: 'Aula Kecamatan Bukit Batu',
      legalBasis: null,
      condition: 'baik',
      programName: program.programName,
      sopd: { name: 'Dinas Tenaga Kerja' },
      giver: { name: 'Yusuf Ibrahim, S.T.', nip: '197911052005011003', position: 'Kepala Bidang' },
      recipient: {
        name: 'Siti Aminah',
        nik: '6271026308800001',
        address: null,
        business: 'Anyaman Siti',
        phone: null,
      },
      items: [
        {
          name: 'Mesin pemotong rotan',
          spec: null,
          quantity: 1,
          unit: 'unit',
          unitValue: 2_500_000,
          source: 'APBD',
        },
      ],
      photo: null,
    }),
  };
}

describe('letterhead', () => {
  it('puts the government line on every document the office prints', async () => {
    for (const [name, pdf] of Object.entries(await everyDocument())) {
      const text = (await pdfPages(pdf)).join(' ');
      expect(text, name).toContain('PEMERINTAH KOTA PALANGKA RAYA');
    }
  });

  it('puts the office, address, signatory with NIP, and place and date on the signed documents', async () => {
    const docs = await everyDocument();
    for (const name of ['certificate', 'daftarHadir'] as const) {
      const text = (await pdfPages(docs[name])).join(' ');
      expect(text, name).toContain('DINAS PERDAGANGAN, KOPERASI, UKM DAN PERINDUSTRIAN');
      expect(text, name).toContain('Jl. Tjilik Riwut Km. 5,5, Palangka Raya');
      expect(text, name).toContain('Ir. Samsul Rizal, M.Si.');
      expect(text, name).toContain('NIP. 196805121994031009');
    }
    expect((await pdfPages(docs.certificate)).join(' ')).toContain('Palangka Raya, 28 Agustus 2020');
    expect((await pdfPages(docs.daftarHadir)).join(' ')).toContain('Palangka Raya, 24 Agustus 2020');
    expect((await pdfPages(docs.bast)).join(' ')).toContain('Palangka Raya, 2 September 2020');
  });
});
