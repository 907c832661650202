export type Issue = { code: string; message: string; field?: string };

export type Result<T> = { ok: true; value: T; warnings: Issue[] } | { ok: false; error: Issue };

export function ok<T>(value: T, warnings: Issue[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function err<T = never>(code: string, message: string, field?: string): Result<T> {
  return { ok: false, error: issue(code, message, field) };
}

export function issue(code: string, message: string, field?: string): Issue {
  return field === undefined ? { code, message } : { code, message, field };
}
