import { describe, expect, it } from 'vitest';
import { certificateCodeFromBytes, isCertificateCode, normalizeCertificateCode } from './certificate-code.ts';

describe('certificateCodeFromBytes', () => {
  it('writes 5 bytes as 8 Crockford base32 characters', () => {
    expect(certificateCodeFromBytes(2020, new Uint8Array([0, 0, 0, 0, 0]))).toBe('PLH-2020-00000000');
    expect(certificateCodeFromBytes(2020, new Uint8Array([255, 255, 255, 255, 255]))).toBe(
      'PLH-2020-ZZZZZZZZ',
    );
    // 0x0842108421 = 00001 00010 00010 00010 ... → each 5-bit group is 1 or 2
    expect(certificateCodeFromBytes(2025, new Uint8Array([0x08, 0x42, 0x10, 0x84, 0x21]))).toBe(
      'PLH-2025-11111111',
    );
    expect(certificateCodeFromBytes(2025, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x42]))).toBe(
      'PLH-2025-VTPVXVT2',
    );
  });

  it('produces codes that pass isCertificateCode', () => {
    for (let i = 0; i < 200; i++) {
      const bytes = new Uint8Array(5).map((_, j) => (i * 37 + j * 101) % 256);
      expect(isCertificateCode(certificateCodeFromBytes(2020, bytes))).toBe(true);
    }
  });

  it('refuses too few bytes or a bad year', () => {
    expect(() => certificateCodeFromBytes(2020, new Uint8Array(4))).toThrow();
    expect(() => certificateCodeFromBytes(20, new Uint8Array(5))).toThrow();
    expect(() => certificateCodeFromBytes(2020.5, new Uint8Array(5))).toThrow();
  });
});

describe('isCertificateCode', () => {
  it('accepts only the canonical form', () => {
    expect(isCertificateCode('PLH-2020-7M3K9Q2X')).toBe(true);
    for (const bad of [
      'plh-2020-7m3k9q2x',
      'PLH-2020-7M3K9Q2',
      'PLH-2020-7M3K9Q2XX',
      'PLH-20-7M3K9Q2X',
      'PLH-2020-7M3K9QIL',
      'PLH-2020-UUUUUUUU',
      'XYZ-2020-7M3K9Q2X',
      ' PLH-2020-7M3K9Q2X',
    ]) {
      expect(isCertificateCode(bad), bad).toBe(false);
    }
  });
});

describe('normalizeCertificateCode', () => {
  it('repairs what people retype', () => {
    expect(normalizeCertificateCode(' plh-2020-7m3k9q2x ')).toBe('PLH-2020-7M3K9Q2X');
    expect(normalizeCertificateCode('PLH 2020 7M3K9QOL')).toBe('PLH-2020-7M3K9Q01');
    expect(normalizeCertificateCode('PLH-2020-UUUUUUUU')).toBeNull();
    expect(normalizeCertificateCode('PLH-2020-123')).toBeNull();
  });
});
