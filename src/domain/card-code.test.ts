import { describe, expect, it } from 'vitest';
import { readCardCode } from './card-code.ts';

const id = '3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8';
const mac = 'aB-_0123456789Zz';
const code = `PLH1.${id}.${mac}`;

describe('readCardCode', () => {
  it('reads the application id and the MAC of a well-formed code', () => {
    expect(readCardCode(code)).toEqual({ token: code, applicationId: id, mac });
  });

  it('forgives spaces, line breaks and capitals in the prefix and the id, but keeps the MAC as written', () => {
    const typed = ` plh1.${id.toUpperCase().slice(0, 18)}\n${id.toUpperCase().slice(18)} .${mac}\t`;
    expect(readCardCode(typed)).toEqual({ token: code, applicationId: id, mac });
  });

  it('refuses anything else', () => {
    for (const input of [
      '',
      id,
      `PLH2.${id}.${mac}`,
      `PLH1.${id}`,
      `PLH1.${id}.${mac.slice(1)}`,
      `PLH1.${id}.${mac}x`,
      `PLH1.${id.replace(/-/g, '')}.${mac}`,
      `PLH1.${id}.${mac.slice(0, 15)}+`,
    ]) {
      expect(readCardCode(input), input).toBeNull();
    }
  });
});
