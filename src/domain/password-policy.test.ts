import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.ts';

describe('password policy', () => {
  it('refuses short passwords, the username, and the first guesses', () => {
    expect(passwordProblem('a', 'budi')).toBe('too_short');
    expect(passwordProblem('rotan-123', 'budi')).toBe('too_short');
    expect(passwordProblem('kec.bukitbatu', 'kec.bukitbatu')).toBe('same_as_username');
    expect(passwordProblem('Dinas.Kota2020', 'dinas')).toBe('same_as_username');
    expect(passwordProblem('1234567890', 'budi')).toBe('too_common');
    expect(passwordProblem('Password123', 'budi')).toBe('too_common');
    expect(passwordProblem('aaaaaaaaaaaa', 'budi')).toBe('too_common');
    expect(passwordProblem('abcdefghijk', 'budi')).toBe('too_common');
  });

  it('accepts a long passphrase, counting characters rather than bytes', () => {
    expect(passwordProblem('anyaman rotan bukit batu', 'budi')).toBeNull();
    expect(passwordProblem('rotanémé12', 'budi')).toBeNull();
  });
});
