// The password policy of the contract (at least 10 characters, not the username), plus the
// guesses an attacker tries first: a password any list of leaked passwords starts with, or
// one character repeated, is no safer for being long.
export const minPasswordLength = 10;

export type PasswordProblem = 'too_short' | 'same_as_username' | 'too_common';

const common = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '0987654321',
  'qwertyuiop',
  'asdfghjkl;',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou12',
  'admin12345',
  'administrator',
  'bismillah1',
  'bismillah123',
  'indonesia1',
  'indonesia123',
  'katasandi123',
  'rahasia123',
  'pulih12345',
  'palangkaraya',
]);

export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < minPasswordLength) return 'too_short';
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name && (lower === name || lower.includes(name))) return 'same_as_username';
  if (common.has(lower) || /^(.)\1*$/.test(password) || isRun(lower)) return 'too_common';
  return null;
}

// "abcdefghij", "9876543210": every character one step from the previous one.
function isRun(value: string): boolean {
  const codes = [...value].map((c) => c.charCodeAt(0));
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step);
}
