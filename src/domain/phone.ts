import { err, ok, type Result } from './result.ts';

const mobileNational = /^8[1-35-9]\d{7,10}$/;

// Strips separators, then the country code or trunk zero; "+62 (0)812…" is common on cards.
function nationalPart(input: string): string {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (compact.startsWith('+62')) return compact.slice(3).replace(/^0/, '');
  if (compact.startsWith('62')) return compact.slice(2).replace(/^0/, '');
  if (compact.startsWith('0')) return compact.slice(1);
  return compact;
}

export function normalizePhone(input: string): Result<string> {
  const national = nationalPart(input);
  if (!mobileNational.test(national)) {
    return err('phone_invalid', 'Nomor HP tidak valid (contoh: 0812 3456 7890)', 'phone');
  }
  return ok(`+62${national}`);
}

// A NIK must never travel in a link (links end up in chat histories and server logs); any
// 16-digit run in the text is masked.
// A NIK as people write it: 16 digits, maybe grouped by spaces or dots. Hyphens and
// letters around the digits mean an id or a URL part (a UUID can be all digits), not a NIK.
const nikLike = /(?<![\w/-])(?:\d[ .]?){15}\d(?![\w/-])/g;

function maskNikLikeRuns(text: string): string {
  return text.replace(nikLike, (run) => {
    const digits = run.replace(/\D/g, '');
    return `${digits.slice(0, 4)}********${digits.slice(12)}`;
  });
}

export function whatsappLink(phoneE164: string, text: string): string {
  const base = `https://wa.me/${phoneE164.replace(/\D/g, '')}`;
  return text ? `${base}?text=${encodeURIComponent(maskNikLikeRuns(text))}` : base;
}

function maskAllButLastFourDigits(text: string): string {
  let toMask = text.replace(/\D/g, '').length - 4;
  return text.replace(/\d/g, (digit) => (toMask-- > 0 ? '*' : digit));
}

export function maskPhone(phone: string): string {
  const normalized = normalizePhone(phone);
  if (!normalized.ok) return maskAllButLastFourDigits(phone);
  const national = normalized.value.slice(3);
  return `+62${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}
