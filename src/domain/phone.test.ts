import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone, whatsappLink } from './phone.ts';

describe('normalizePhone', () => {
  it('turns every common way of writing a mobile number into E.164', () => {
    const forms = [
      '081234567890',
      '6281234567890',
      '+6281234567890',
      '+62 812-3456-7890',
      '81234567890',
      '0812.3456.7890',
      '(0812) 3456 7890',
      '+62 (0) 812 3456 7890',
    ];
    for (const form of forms)
      expect(normalizePhone(form), form).toEqual({ ok: true, value: '+6281234567890', warnings: [] });
  });

  it('accepts the shortest and longest mobile numbers', () => {
    expect(normalizePhone('0812345678')).toMatchObject({ ok: true, value: '+62812345678' });
    expect(normalizePhone('0812345678901')).toMatchObject({ ok: true, value: '+62812345678901' });
  });

  it('rejects landlines, the 84 prefix, wrong lengths, other countries and junk', () => {
    const bad = [
      '0536 3221234', // Palangka Raya landline
      '08412345678', // 84 is not a mobile prefix
      '081234567', // too short
      '08123456789012', // too long
      '+60 12 345 6789', // Malaysia
      'nomor saya 0812',
      '',
    ];
    for (const input of bad) {
      expect(normalizePhone(input), input).toMatchObject({
        ok: false,
        error: { code: 'phone_invalid', field: 'phone' },
      });
    }
  });
});

describe('whatsappLink', () => {
  it('puts digits only after wa.me and encodes the text', () => {
    expect(whatsappLink('+6281234567890', 'Halo, saya mau pesan "Tas Rotan" & tikar?')).toBe(
      'https://wa.me/6281234567890?text=Halo%2C%20saya%20mau%20pesan%20%22Tas%20Rotan%22%20%26%20tikar%3F',
    );
    expect(whatsappLink('+6281234567890', '')).toBe('https://wa.me/6281234567890');
  });

  it('never carries a NIK', () => {
    const link = whatsappLink('+6281234567890', 'NIK 6271024203850001 / 6271 0242 0385 0002');
    expect(link).not.toContain('42038500');
    expect(decodeURIComponent(link)).toContain('NIK 6271********0001 / 6271********0002');
  });
});

describe('maskPhone', () => {
  it('keeps the operator prefix and the last four digits', () => {
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
    expect(maskPhone('0812-345-678')).toBe('+62812**5678');
  });

  it('still hides the middle of a number it cannot read', () => {
    expect(maskPhone('0536 3221234')).toBe('**** ***1234');
  });
});

describe('whatsappLink leaves ids in URLs alone', () => {
  it('does not mask a UUID whose first groups are digits', () => {
    const url = 'https://pulih.example/katalog/12345678-1234-1234-abcd-1234567890ab';
    expect(decodeURIComponent(whatsappLink('+6281234567890', `Lihat ${url}`))).toContain(url);
    expect(decodeURIComponent(whatsappLink('+6281234567890', 'NIK 6271 0242 0385 0001'))).toContain(
      '6271********0001',
    );
  });
});
