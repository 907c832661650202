import { z } from 'zod';
import { ruleLimitBreach, ruleLimits } from '../domain/rule-limits.ts';

// An eligibility rule in a request: any JSON, within the limits of src/domain/rule-limits.ts
// (a rule past them is refused with validation_failed before anything walks it).
export const ruleInput = z.unknown().superRefine((rule, context) => {
  const breach = ruleLimitBreach(rule);
  if (breach)
    context.addIssue({
      code: 'custom',
      message: `The rule is too large (${breach.limit} ${ruleLimits[breach.limit]}) at ${breach.path || '/'}`,
    });
});
