import { describe, expect, it } from 'vitest';
import {
  describeRule,
  type EligibilityFacts,
  eligibilityFields,
  evaluateEligibility,
  ownerAgeAt,
  rattanTrainingRule,
  validateRule,
} from './eligibility.ts';

const weaver: EligibilityFacts = {
  kecamatan: '62.71.02',
  kelurahan: '62.71.02.1004',
  kbli: '16291',
  size: 'mikro',
  covidImpacted: true,
  annualTurnover: 60_000_000,
  workers: 2,
  status: 'aktif',
  ownerAge: 41,
  ownerSex: 'P',
  exclusions: [],
};

const passedOf = (facts: EligibilityFacts) =>
  evaluateEligibility(rattanTrainingRule, facts).clauses.map((c) => c.passed);

describe('eligibilityFields', () => {
  it('lists every fact a rule may use, with enum values', () => {
    expect(eligibilityFields.map((f) => f.name).sort()).toEqual(
      Object.keys(weaver).sort() as (keyof EligibilityFacts)[],
    );
    expect(eligibilityFields.find((f) => f.name === 'size')?.values).toEqual([
      'mikro',
      'kecil',
      'menengah',
      'besar',
    ]);
    expect(eligibilityFields.find((f) => f.name === 'status')).toEqual({
      name: 'status',
      type: 'enum',
      values: ['aktif', 'tidak_aktif', 'tutup'],
    });
    expect(eligibilityFields.find((f) => f.name === 'covidImpacted')?.type).toBe('boolean');
    expect(eligibilityFields.find((f) => f.name === 'exclusions')).toEqual({
      name: 'exclusions',
      type: 'list',
      values: ['asn', 'deceased', 'already_aided', 'other'],
    });
  });
});

describe('exclusion lists in a rule', () => {
  const notAsn = { '!': { in: ['asn', { var: 'exclusions' }] } };
  const rule = { and: [...rattanTrainingRule.and, notAsn] };

  it('turns away an owner on a list of the excluded kind, and only that kind', () => {
    expect(validateRule(rule)).toEqual([]);
    expect(evaluateEligibility(rule, weaver).eligible).toBe(true);
    expect(evaluateEligibility(rule, { ...weaver, exclusions: ['deceased'] }).eligible).toBe(true);
    const civilServant = evaluateEligibility(rule, { ...weaver, exclusions: ['asn', 'deceased'] });
    expect(civilServant.eligible).toBe(false);
    expect(civilServant.clauses[3]).toEqual({ rule: notAsn, passed: false, value: ['asn', 'deceased'] });
  });

  it('can ask for anyone on any list, or on one of several', () => {
    expect(evaluateEligibility({ '!': { var: 'exclusions' } }, weaver).eligible).toBe(true);
    expect(
      evaluateEligibility({ '!': { var: 'exclusions' } }, { ...weaver, exclusions: ['other'] }).eligible,
    ).toBe(false);
    const either = {
      or: [{ in: ['asn', { var: 'exclusions' }] }, { in: ['deceased', { var: 'exclusions' }] }],
    };
    expect(evaluateEligibility(either, { ...weaver, exclusions: ['deceased'] }).eligible).toBe(true);
    expect(evaluateEligibility(either, { ...weaver, exclusions: ['already_aided'] }).eligible).toBe(false);
  });

  it('refuses to judge without the lists rather than let everyone through', () => {
    const { exclusions: _lists, ...withoutLists } = weaver;
    expect(() => evaluateEligibility(rule, withoutLists)).toThrow(/exclusions/);
    // A rule that does not read the lists does not need them.
    expect(evaluateEligibility(rattanTrainingRule, withoutLists).eligible).toBe(true);
  });
});

describe('the founding rattan training rule', () => {
  it('is valid and has three clauses', () => {
    expect(validateRule(rattanTrainingRule)).toEqual([]);
    expect(rattanTrainingRule.and).toHaveLength(3);
  });

  it('admits a Covid-hit rattan weaver of Bukit Batu or Rakumpit', () => {
    expect(evaluateEligibility(rattanTrainingRule, weaver)).toEqual({
      eligible: true,
      clauses: [
        { rule: rattanTrainingRule.and[0], passed: true, value: '62.71.02' },
        { rule: rattanTrainingRule.and[1], passed: true, value: '16291' },
        { rule: rattanTrainingRule.and[2], passed: true, value: true },
      ],
    });
    expect(evaluateEligibility(rattanTrainingRule, { ...weaver, kecamatan: '62.71.05' }).eligible).toBe(true);
  });

  it('turns away a business in another kecamatan', () => {
    const result = evaluateEligibility(rattanTrainingRule, { ...weaver, kecamatan: '62.71.01' });
    expect(result.eligible).toBe(false);
    expect(result.clauses[0]).toEqual({ rule: rattanTrainingRule.and[0], passed: false, value: '62.71.01' });
    expect(passedOf({ ...weaver, kecamatan: '62.71.01' })).toEqual([false, true, true]);
  });

  it('turns away a wood carver (16293 is not weaving)', () => {
    const result = evaluateEligibility(rattanTrainingRule, { ...weaver, kbli: '16293' });
    expect(result.eligible).toBe(false);
    expect(result.clauses.map((c) => [c.passed, c.value])).toEqual([
      [true, '62.71.02'],
      [false, '16293'],
      [true, true],
    ]);
  });

  it('turns away a business Covid did not hit, or whose impact is unknown', () => {
    expect(passedOf({ ...weaver, covidImpacted: false })).toEqual([true, true, false]);
    expect(evaluateEligibility(rattanTrainingRule, { ...weaver, covidImpacted: false }).eligible).toBe(false);
    expect(
      evaluateEligibility(rattanTrainingRule, { ...weaver, covidImpacted: null }).clauses[2],
    ).toMatchObject({
      passed: false,
      value: null,
    });
  });
});

describe('evaluateEligibility', () => {
  it('lets everyone in under an empty rule', () => {
    for (const rule of [null, undefined, true, {}, { and: [] }]) {
      expect(evaluateEligibility(rule, weaver)).toEqual({ eligible: true, clauses: [] });
    }
  });

  it('treats a rule that is not an "and" as one clause', () => {
    const rule = { '<=': [{ var: 'annualTurnover' }, 2_000_000_000] };
    expect(evaluateEligibility(rule, weaver)).toEqual({
      eligible: true,
      clauses: [{ rule, passed: true, value: 60_000_000 }],
    });
    expect(evaluateEligibility(false, weaver)).toEqual({
      eligible: false,
      clauses: [{ rule: false, passed: false, value: null }],
    });
  });

  it('reports every fact a clause reads when it reads several', () => {
    const rule = { or: [{ '==': [{ var: 'ownerSex' }, 'P'] }, { '<': [{ var: 'ownerAge' }, 30] }] };
    expect(evaluateEligibility(rule, { ...weaver, ownerSex: 'L' }).clauses[0]).toEqual({
      rule,
      passed: false,
      value: { ownerSex: 'L', ownerAge: 41 },
    });
  });

  it('never lets an unknown number pass an ordering comparison', () => {
    const atMost = { '<=': [{ var: 'annualTurnover' }, 2_000_000_000] };
    const atLeast = { '>=': [{ var: 'workers' }, 0] };
    const between = { '<=': [18, { var: 'ownerAge' }, 60] };
    const unknown = { ...weaver, annualTurnover: null, workers: null, ownerAge: null };
    expect(evaluateEligibility(atMost, unknown).eligible).toBe(false);
    expect(evaluateEligibility(atLeast, unknown).eligible).toBe(false);
    expect(evaluateEligibility(between, unknown).eligible).toBe(false);
    expect(evaluateEligibility(between, weaver).eligible).toBe(true);
    expect(evaluateEligibility({ '!': atMost }, { ...weaver, annualTurnover: 3_000_000_000 }).eligible).toBe(
      true,
    );
  });

  it('supports if, !! and strict equality', () => {
    const rule = {
      and: [
        { if: [{ '==': [{ var: 'size' }, 'mikro'] }, true, { '<': [{ var: 'workers' }, 5] }] },
        { '!!': { var: 'kelurahan' } },
        { '!==': [{ var: 'status' }, 'tutup'] },
      ],
    };
    expect(evaluateEligibility(rule, weaver).eligible).toBe(true);
    expect(evaluateEligibility(rule, { ...weaver, size: 'kecil', workers: 9 }).clauses[0]?.passed).toBe(
      false,
    );
    expect(evaluateEligibility(rule, { ...weaver, kelurahan: null }).clauses[1]?.passed).toBe(false);
    expect(evaluateEligibility(rule, { ...weaver, status: 'tutup' }).clauses[2]?.passed).toBe(false);
  });

  it('refuses to evaluate a rule that does not validate', () => {
    expect(() => evaluateEligibility({ log: 'x' }, weaver)).toThrow(/rule_unknown_operator/);
    expect(() => evaluateEligibility({ var: 'nik' }, weaver)).toThrow(/rule_unknown_field/);
  });
});

describe('validateRule', () => {
  const codes = (rule: unknown) => validateRule(rule).map((i) => i.code);

  it('accepts the allowed operators on known fields', () => {
    expect(codes(null)).toEqual([]);
    expect(codes(false)).toEqual([]);
    expect(codes({ '!': { var: 'covidImpacted' } })).toEqual([]);
    expect(codes({ or: [{ '>': [{ var: 'workers' }, 1] }, { '>=': [{ var: 'ownerAge' }, 17] }] })).toEqual(
      [],
    );
    expect(codes({ in: ['62.71', { var: ['kecamatan', ''] }] })).toEqual([]);
  });

  it('rejects operators outside the allowed list', () => {
    expect(codes({ log: { var: 'kbli' } })).toEqual(['rule_unknown_operator']);
    expect(codes({ and: [{ '+': [1, 2] }, { substr: ['x', 1] }] })).toEqual([
      'rule_unknown_operator',
      'rule_unknown_operator',
    ]);
  });

  it('rejects fields that are not facts, naming the field', () => {
    expect(validateRule({ '==': [{ var: 'nik' }, '6271024203850001'] })).toEqual([
      { code: 'rule_unknown_field', message: expect.any(String), field: 'nik' },
    ]);
    expect(codes({ var: '' })).toEqual(['rule_unknown_field']);
    expect(codes({ var: 'owner.nik' })).toEqual(['rule_unknown_field']);
  });

  it('rejects malformed rules', () => {
    expect(codes('kecamatan')).toEqual(['rule_invalid']);
    expect(codes([{ var: 'kbli' }])).toEqual(['rule_invalid']);
    expect(codes({ '==': [{ var: 'kbli' }] })).toEqual(['rule_invalid']);
    expect(codes({ '==': [1, 2], '!=': [1, 2] })).toEqual(['rule_invalid']);
    expect(codes({ and: [{ var: 1 }] })).toEqual(['rule_invalid']);
    expect(codes({ or: [] })).toEqual(['rule_invalid']);
  });

  it('gives Indonesian messages', () => {
    expect(validateRule({ log: 1 })[0]?.message).toBe('Operator "log" tidak dikenal');
  });
});

describe('describeRule', () => {
  it('describes the rattan rule clause by clause', () => {
    expect(describeRule(rattanTrainingRule)).toEqual([
      { field: 'kecamatan', op: 'in', values: ['62.71.02', '62.71.05'] },
      { field: 'kbli', op: 'eq', values: ['16291'] },
      { field: 'covidImpacted', op: 'true', values: [] },
    ]);
  });

  it('reads an "or" of equalities on one field as "in"', () => {
    const rule = {
      or: [{ '==': [{ var: 'kecamatan' }, '62.71.02'] }, { '==': [{ var: 'kecamatan' }, '62.71.05'] }],
    };
    expect(describeRule(rule)).toEqual([{ field: 'kecamatan', op: 'in', values: ['62.71.02', '62.71.05'] }]);
  });

  it('reads boolean tests as true or false', () => {
    expect(describeRule({ var: 'covidImpacted' })).toEqual([
      { field: 'covidImpacted', op: 'true', values: [] },
    ]);
    expect(describeRule({ '!!': [{ var: 'covidImpacted' }] })[0]?.op).toBe('true');
    expect(describeRule({ '==': [true, { var: 'covidImpacted' }] })[0]?.op).toBe('true');
    expect(describeRule({ '!': { var: 'covidImpacted' } })).toEqual([
      { field: 'covidImpacted', op: 'false', values: [] },
    ]);
    expect(describeRule({ '==': [{ var: 'covidImpacted' }, false] })[0]?.op).toBe('false');
    expect(describeRule({ '!=': [{ var: 'covidImpacted' }, true] })[0]?.op).toBe('false');
  });

  it('reads negations and comparisons from either side', () => {
    expect(describeRule({ '!': { in: [{ var: 'status' }, ['tutup', 'tidak_aktif']] } })).toEqual([
      { field: 'status', op: 'not_in', values: ['tutup', 'tidak_aktif'] },
    ]);
    expect(describeRule({ '!=': [{ var: 'status' }, 'tutup'] })).toEqual([
      { field: 'status', op: 'neq', values: ['tutup'] },
    ]);
    expect(
      describeRule({ and: [{ '<=': [{ var: 'ownerAge' }, 60] }, { '<': [17, { var: 'ownerAge' }] }] }),
    ).toEqual([
      { field: 'ownerAge', op: 'lte', values: [60] },
      { field: 'ownerAge', op: 'gt', values: [17] },
    ]);
    expect(describeRule({ '>=': [{ var: 'workers' }, 1] })[0]).toEqual({
      field: 'workers',
      op: 'gte',
      values: [1],
    });
    expect(describeRule({ '>': [5, { var: 'workers' }] })[0]).toEqual({
      field: 'workers',
      op: 'lt',
      values: [5],
    });
  });

  it('marks anything else as complex, keeping the raw clause', () => {
    const between = { '<=': [18, { var: 'ownerAge' }, 60] };
    const mixed = { or: [{ '==': [{ var: 'size' }, 'mikro'] }, { '==': [{ var: 'workers' }, 1] }] };
    const substring = { in: ['62.71', { var: 'kecamatan' }] };
    expect(describeRule({ and: [between, mixed, substring] })).toEqual([
      { field: 'ownerAge', op: 'complex', values: [between] },
      { field: '', op: 'complex', values: [mixed] },
      { field: 'kecamatan', op: 'complex', values: [substring] },
    ]);
  });

  it('reads exclusion lists as listed or not listed, with the kinds', () => {
    expect(describeRule({ '!': { in: ['asn', { var: 'exclusions' }] } })).toEqual([
      { field: 'exclusions', op: 'not_listed', values: ['asn'] },
    ]);
    expect(describeRule({ in: ['deceased', { var: 'exclusions' }] })).toEqual([
      { field: 'exclusions', op: 'listed', values: ['deceased'] },
    ]);
    const either = {
      or: [{ in: ['asn', { var: 'exclusions' }] }, { in: ['deceased', { var: 'exclusions' }] }],
    };
    expect(describeRule(either)).toEqual([
      { field: 'exclusions', op: 'listed', values: ['asn', 'deceased'] },
    ]);
    expect(describeRule({ '!': either })).toEqual([
      { field: 'exclusions', op: 'not_listed', values: ['asn', 'deceased'] },
    ]);
    expect(
      describeRule({
        and: [rattanTrainingRule.and[0], { '!': { in: ['already_aided', { var: 'exclusions' }] } }],
      }),
    ).toEqual([
      { field: 'kecamatan', op: 'in', values: ['62.71.02', '62.71.05'] },
      { field: 'exclusions', op: 'not_listed', values: ['already_aided'] },
    ]);
    // On any list at all, or on none.
    expect(describeRule({ var: 'exclusions' })).toEqual([{ field: 'exclusions', op: 'true', values: [] }]);
    expect(describeRule({ '!': { var: 'exclusions' } })).toEqual([
      { field: 'exclusions', op: 'false', values: [] },
    ]);
    // Mixed with another field it stays complex.
    const mixed = { or: [{ in: ['asn', { var: 'exclusions' }] }, { '==': [{ var: 'kbli' }, '16291'] }] };
    expect(describeRule(mixed)).toEqual([{ field: '', op: 'complex', values: [mixed] }]);
  });

  it('describes nothing for an empty rule', () => {
    expect(describeRule(null)).toEqual([]);
    expect(describeRule(true)).toEqual([]);
    expect(describeRule({})).toEqual([]);
  });
});

describe('ownerAgeAt', () => {
  it('counts completed years', () => {
    expect(ownerAgeAt('1985-03-12', '2020-08-24')).toBe(35);
    expect(ownerAgeAt('1985-08-24', '2020-08-24')).toBe(35);
    expect(ownerAgeAt('1985-08-25', '2020-08-24')).toBe(34);
    expect(ownerAgeAt('2000-02-29', '2021-02-28')).toBe(20);
    expect(ownerAgeAt('2000-02-29', '2021-03-01T10:00:00Z')).toBe(21);
  });
});
