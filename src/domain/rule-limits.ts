// How big an eligibility rule may be. A real rule has a handful of clauses and lists of a few
// hundred kelurahan or KBLI codes at most; the limits keep every walk over a rule (checking,
// describing, evaluating, compiling to SQL) short and shallow, whoever sent it or stored it.
export const ruleLimits = {
  // nesting of objects and arrays
  maxDepth: 24,
  // objects, arrays and values, all counted
  maxNodes: 5000,
  // elements of one array (an "in" list)
  maxArray: 1000,
  // characters of one string
  maxString: 500,
} as const;

export type RuleLimitBreach = { limit: keyof typeof ruleLimits; path: string };

// Walks the rule without recursion (a deep rule must not exhaust the stack) and stops at the
// first limit it passes.
export function ruleLimitBreach(rule: unknown): RuleLimitBreach | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: rule, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (++nodes > ruleLimits.maxNodes) return { limit: 'maxNodes', path };
    if (typeof value === 'string') {
      if (value.length > ruleLimits.maxString) return { limit: 'maxString', path };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= ruleLimits.maxDepth) return { limit: 'maxDepth', path };
    if (Array.isArray(value)) {
      if (value.length > ruleLimits.maxArray) return { limit: 'maxArray', path };
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], depth: depth + 1, path: `${path}/${i}` });
    } else {
      const keys = Object.keys(value);
      if (keys.length > ruleLimits.maxArray) return { limit: 'maxArray', path };
      for (const key of keys) {
        if (key.length > ruleLimits.maxString) return { limit: 'maxString', path };
        stack.push({
          value: (value as Record<string, unknown>)[key],
          depth: depth + 1,
          path: `${path}/${key}`,
        });
      }
    }
  }
  return null;
}
