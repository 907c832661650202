import { describe, expect, it } from 'vitest';
import { err, issue, ok } from './result.ts';

describe('result', () => {
  it('wraps a value with warnings', () => {
    expect(ok(5)).toEqual({ ok: true, value: 5, warnings: [] });
    const warning = issue('w', 'peringatan');
    expect(ok('x', [warning])).toEqual({ ok: true, value: 'x', warnings: [warning] });
  });

  it('wraps an error, with the field only when given', () => {
    expect(err('nik_format', 'NIK salah', 'nik')).toEqual({
      ok: false,
      error: { code: 'nik_format', message: 'NIK salah', field: 'nik' },
    });
    expect(err('x', 'y')).toEqual({ ok: false, error: { code: 'x', message: 'y' } });
    expect('field' in issue('x', 'y')).toBe(false);
  });
});
