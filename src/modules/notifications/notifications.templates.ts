import type { TemplateKey, TemplateLanguage } from './notifications.schema.ts';

// The shipped texts, Indonesian first. An admin may replace a text (notification_templates);
// the variables and their order are fixed per key, because the WhatsApp template approved by
// Meta takes its body parameters by position ({{1}}, {{2}}, …) in this order.
type TemplateDefault = {
  variables: string[];
  whatsappName: string;
  text: Record<TemplateLanguage, { subject: string; body: string }>;
};

export const templateDefaults: Record<TemplateKey, TemplateDefault> = {
  application_received: {
    variables: ['name', 'program', 'link'],
    whatsappName: 'pulih_application_received',
    text: {
      id: {
        subject: 'Pendaftaran diterima',
        body: 'Halo {{name}}, pendaftaran Anda untuk program {{program}} sudah kami terima. Status: {{link}}',
      },
      en: {
        subject: 'Application received',
        body: 'Hello {{name}}, we received your application for {{program}}. Status: {{link}}',
      },
    },
  },
  enrolled: {
    variables: ['name', 'program', 'link'],
    whatsappName: 'pulih_enrolled',
    text: {
      id: {
        subject: 'Anda diterima',
        body: 'Selamat {{name}}, Anda diterima sebagai peserta program {{program}}. Info: {{link}}',
      },
      en: {
        subject: 'You are enrolled',
        body: 'Congratulations {{name}}, you are enrolled in {{program}}. Details: {{link}}',
      },
    },
  },
  waitlisted: {
    variables: ['name', 'program', 'link'],
    whatsappName: 'pulih_waitlisted',
    text: {
      id: {
        subject: 'Daftar tunggu',
        body: 'Halo {{name}}, kuota program {{program}} sudah penuh; Anda masuk daftar tunggu. Status: {{link}}',
      },
      en: {
        subject: 'Waitlist',
        body: 'Hello {{name}}, {{program}} is full; you are on the waitlist. Status: {{link}}',
      },
    },
  },
  promoted: {
    variables: ['name', 'program', 'link'],
    whatsappName: 'pulih_promoted',
    text: {
      id: {
        subject: 'Naik dari daftar tunggu',
        body: 'Kabar baik {{name}}: ada kursi kosong, Anda kini peserta program {{program}}. Info: {{link}}',
      },
      en: {
        subject: 'Moved up from the waitlist',
        body: 'Good news {{name}}: a seat opened and you are now enrolled in {{program}}. Details: {{link}}',
      },
    },
  },
  withdrawn: {
    variables: ['name', 'program'],
    whatsappName: 'pulih_withdrawn',
    text: {
      id: {
        subject: 'Pengunduran diri tercatat',
        body: 'Halo {{name}}, pengunduran diri Anda dari program {{program}} sudah tercatat.',
      },
      en: {
        subject: 'Withdrawal recorded',
        body: 'Hello {{name}}, your withdrawal from {{program}} has been recorded.',
      },
    },
  },
  session_reminder: {
    variables: ['name', 'program', 'date', 'time', 'place'],
    whatsappName: 'pulih_session_reminder',
    text: {
      id: {
        subject: 'Pengingat pelatihan besok',
        body: 'Halo {{name}}, pengingat: pelatihan {{program}} besok {{date}} pukul {{time}} di {{place}}. Bawa kartu undangan Anda.',
      },
      en: {
        subject: 'Training tomorrow',
        body: 'Hello {{name}}, a reminder: {{program}} training tomorrow {{date}} at {{time}}, {{place}}. Bring your invitation card.',
      },
    },
  },
  session_changed: {
    variables: ['name', 'program', 'date', 'time'],
    whatsappName: 'pulih_session_changed',
    text: {
      id: {
        subject: 'Jadwal pelatihan berubah',
        body: 'Halo {{name}}, jadwal pelatihan {{program}} berubah menjadi {{date}} pukul {{time}}.',
      },
      en: {
        subject: 'Training rescheduled',
        body: 'Hello {{name}}, the {{program}} training session moved to {{date}} at {{time}}.',
      },
    },
  },
  session_cancelled: {
    variables: ['name', 'program', 'date'],
    whatsappName: 'pulih_session_cancelled',
    text: {
      id: {
        subject: 'Sesi pelatihan dibatalkan',
        body: 'Halo {{name}}, sesi pelatihan {{program}} tanggal {{date}} dibatalkan. Kami akan mengabari jadwal penggantinya.',
      },
      en: {
        subject: 'Training session cancelled',
        body: 'Hello {{name}}, the {{program}} session of {{date}} is cancelled. We will let you know the new date.',
      },
    },
  },
  certificate_issued: {
    variables: ['name', 'program', 'code', 'link'],
    whatsappName: 'pulih_certificate_issued',
    text: {
      id: {
        subject: 'Sertifikat terbit',
        body: 'Selamat {{name}}, sertifikat program {{program}} sudah terbit (nomor {{code}}). Cek keasliannya: {{link}}',
      },
      en: {
        subject: 'Certificate issued',
        body: 'Congratulations {{name}}, your {{program}} certificate is issued (number {{code}}). Verify it: {{link}}',
      },
    },
  },
  handover_scheduled: {
    variables: ['name', 'item', 'date', 'place'],
    whatsappName: 'pulih_handover_scheduled',
    text: {
      id: {
        subject: 'Jadwal serah terima bantuan',
        body: 'Halo {{name}}, bantuan {{item}} akan diserahkan {{date}} di {{place}}. Bawa KTP asli.',
      },
      en: {
        subject: 'Aid handover scheduled',
        body: 'Hello {{name}}, the {{item}} will be handed over on {{date}} at {{place}}. Bring your ID card.',
      },
    },
  },
  followup_requested: {
    variables: ['name', 'program', 'link'],
    whatsappName: 'pulih_followup_requested',
    text: {
      id: {
        subject: 'Mohon isi laporan perkembangan usaha',
        body: 'Halo {{name}}, mohon ceritakan perkembangan usaha Anda setelah program {{program}}: {{link}}',
      },
      en: {
        subject: 'Please tell us how your business is doing',
        body: 'Hello {{name}}, please tell us how your business is doing after {{program}}: {{link}}',
      },
    },
  },
  complaint_answered: {
    variables: ['name', 'code', 'link'],
    whatsappName: 'pulih_complaint_answered',
    text: {
      id: {
        subject: 'Pengaduan Anda sudah dijawab',
        body: 'Halo {{name}}, pengaduan Anda ({{code}}) sudah dijawab. Lihat jawabannya: {{link}}',
      },
      en: {
        subject: 'Your complaint was answered',
        body: 'Hello {{name}}, your complaint ({{code}}) has been answered. Read the answer: {{link}}',
      },
    },
  },
};

const variablePattern = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

// {{name}} → its value; a variable with no value is left empty rather than shown in braces.
export function renderTemplate(body: string, variables: Record<string, string>): string {
  return body.replace(variablePattern, (_, name: string) => variables[name] ?? '');
}

export function unknownVariables(key: TemplateKey, body: string): string[] {
  const known = new Set(templateDefaults[key].variables);
  return [...body.matchAll(variablePattern)].map((m) => m[1] as string).filter((v) => !known.has(v));
}

export const sampleVariables: Record<string, string> = {
  name: 'Siti Aminah',
  program: 'Pelatihan Anyaman Rotan 2020',
  link: 'https://pulih.example.go.id/status/contoh',
  date: '28-08-2020',
  time: '09:00',
  place: 'Aula Kecamatan Pahandut',
  code: 'PLH-2020-ABCD-EFGH',
  item: 'Mesin jahit',
};
