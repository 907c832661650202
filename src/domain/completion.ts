export type CompletionRule = { minAttendanceRatio: number };

export const defaultCompletionRule: CompletionRule = { minAttendanceRatio: 0.8 };

// Guards against ratios such as 0.7 that floating point cannot represent exactly.
const epsilon = 1e-9;

export function evaluateCompletion(
  attended: number,
  sessions: number,
  rule: CompletionRule = defaultCompletionRule,
): { completed: boolean; ratio: number } {
  if (sessions <= 0) return { completed: false, ratio: 0 };
  const ratio = Math.min(Math.max(attended, 0), sessions) / sessions;
  return { completed: ratio + epsilon >= rule.minAttendanceRatio, ratio };
}
