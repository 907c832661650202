import { describe, expect, it } from 'vitest';
import { rattanTrainingRule } from './eligibility.ts';
import { RuleNotScreenable, ruleToSql, toParameterised } from './rule-sql.ts';

// What the SQL means is tested against a real database in src/modules/screening/screening.test.ts
// (on PGlite and PostgreSQL, against evaluateEligibility); here: its shape and its safety.

const compile = (rule: unknown, on = '2020-08-24') => toParameterised(ruleToSql(rule, { on }));

describe('ruleToSql', () => {
  it('compiles the rattan rule into index-friendly conditions with parameters', () => {
    expect(compile(rattanTrainingRule)).toEqual({
      text:
        '((b.kecamatan_code in ($1::text, $2::text)) and (b.kbli is not null and (b.kbli = $3::text)) ' +
        'and (b.covid_impacted is not null and b.covid_impacted))',
      params: ['62.71.02', '62.71.05', '16291'],
    });
  });

  it('admits everyone under an empty rule and no one under false', () => {
    for (const rule of [null, undefined, true, {}, { and: [] }])
      expect(compile(rule)).toEqual({ text: 'true', params: [] });
    expect(compile(false)).toEqual({ text: 'false', params: [] });
    // Parts that read no fact are worked out here, with json-logic-js.
    expect(compile({ and: [{ '==': [1, '1'] }, { in: ['a', 'cat'] }] }).text).toBe('true');
    expect(compile({ '<': [1, null] }).text).toBe('false');
  });

  it('looks up exclusion lists by the owner’s NIK and the list kind', () => {
    const notAsn = compile({ '!': { in: ['asn', { var: 'exclusions' }] } });
    expect(notAsn.text).toBe(
      '(not exists (select 1 from exclusion_entries xe join exclusion_lists xl on xl.id = xe.list_id ' +
        'where xe.nik = p.nik and xl.kind = $1::text))',
    );
    expect(notAsn.params).toEqual(['asn']);
    expect(compile({ var: 'exclusions' }).text).toBe(
      'exists (select 1 from exclusion_entries xe where xe.nik = p.nik)',
    );
  });

  it('classifies size with the PP 7/2021 thresholds, sales first, then capital', () => {
    // Compared with a constant, size becomes ranges of the columns, which the planner can estimate.
    expect(compile({ '==': [{ var: 'size' }, 'mikro'] }).text).toContain(
      '(((b.annual_turnover is not null and b.annual_turnover >= 0) and b.annual_turnover <= 2000000000) or ' +
        '((b.annual_turnover is null or b.annual_turnover < 0) and (b.capital is not null and b.capital >= 0) ' +
        'and b.capital <= 1000000000))',
    );
    const kecil = compile({ in: [{ var: 'size' }, ['kecil']] }).text;
    expect(kecil).toContain('b.annual_turnover > 2000000000 and b.annual_turnover <= 15000000000');
    expect(kecil).toContain('b.capital > 1000000000 and b.capital <= 5000000000');
    expect(compile({ '==': [{ var: 'size' }, 'besar'] }).text).toContain('b.annual_turnover > 50000000000)');
    expect(compile({ '==': [{ var: 'size' }, 'raksasa'] }).text).toBe('false');
    // Otherwise it is classified row by row.
    const { text } = compile({ '<': [{ var: 'size' }, 'menengah'] });
    expect(text).toContain('when b.annual_turnover >= 0 then case when b.annual_turnover <= 2000000000 then');
    expect(text).toContain('when b.capital >= 0 then case when b.capital <= 1000000000 then');
  });

  it('compares enums and amounts on the columns themselves', () => {
    expect(compile({ '==': [{ var: 'status' }, 'aktif'] }).text).toBe("(b.status = 'aktif')");
    expect(compile({ '==': [{ var: 'status' }, "aktif'; --"] }).text).toBe('false');
    expect(compile({ in: [{ var: 'ownerSex' }, ['P', 'X']] }).text).toBe(
      "(p.sex is not null and (p.sex in ('P')))",
    );
    expect(compile({ '<=': [{ var: 'annualTurnover' }, 2_500_000.5] })).toEqual({
      text: '(b.annual_turnover is not null and (not (b.annual_turnover >= $1::bigint)))',
      params: ['2500001'],
    });
    expect(compile({ '==': [{ var: 'workers' }, 2] }).text).toBe(
      '(b.workers is not null and (b.workers = $1::bigint))',
    );
  });

  it('counts the owner’s age on the program’s start date', () => {
    // At least 18 on 24 August 2020: born on or before 24 August 2002.
    expect(compile({ '>=': [{ var: 'ownerAge' }, 18] }, '2020-08-24')).toEqual({
      text: '(p.birth_date is not null and (p.birth_date <= $1::date))',
      params: ['2002-08-24'],
    });
    expect(compile({ '<': [{ var: 'ownerAge' }, 60] }, '2021-01-05').params).toEqual(['1961-01-05']);
    // Born on 29 February: 28 February in a year without one.
    expect(compile({ '>=': [{ var: 'ownerAge' }, 21] }, '2024-02-29').params).toEqual(['2003-02-28']);
    expect(compile({ '>=': [{ var: 'ownerAge' }, 20] }, '2024-02-29').params).toEqual(['2004-02-29']);
    // Compared with another field, the age is computed row by row.
    expect(compile({ '>': [{ var: 'ownerAge' }, { var: 'workers' }] }, '2020-08-24').text).toContain(
      '(2020 - extract(year from p.birth_date)::int - case when extract(month from p.birth_date)::int * 100 + extract(day from p.birth_date)::int > 824 then 1 else 0 end)',
    );
    expect(() => compile({ '>=': [{ var: 'ownerAge' }, 18] }, 'soon')).toThrow(/date/);
  });

  it('fails every ordering comparison on an unknown value', () => {
    const { text } = compile({ '<=': [{ var: 'annualTurnover' }, 2_000_000_000] });
    expect(text).toMatch(/^\(b\.annual_turnover is not null and /);
  });

  it('compiles every operator a rule may use', () => {
    const rules = [
      { '==': [{ var: 'kbli' }, '16291'] },
      { '!=': [{ var: 'status' }, 'tutup'] },
      { '===': [{ var: 'workers' }, 2] },
      { '!==': [{ var: 'ownerSex' }, 'P'] },
      { '<': [{ var: 'workers' }, 5] },
      { '<': [17, { var: 'ownerAge' }, 61] },
      { '<=': [{ var: 'annualTurnover' }, 2_000_000_000] },
      { '>': [{ var: 'workers' }, 0] },
      { '>=': [{ var: 'ownerAge' }, 18] },
      { in: [{ var: 'kecamatan' }, ['62.71.02', '62.71.05']] },
      { in: ['62.71.02', { var: 'kelurahan' }] },
      { '!': { var: 'covidImpacted' } },
      { '!!': { var: 'kelurahan' } },
      { and: [{ var: 'covidImpacted' }, { var: 'kbli' }] },
      { or: [{ var: 'covidImpacted' }, { '==': [{ var: 'size' }, 'mikro'] }] },
      { if: [{ var: 'covidImpacted' }, true, { '<': [{ var: 'workers' }, 5] }] },
      { '==': [{ var: ['kbli', 'x'] }, 16291] },
    ];
    for (const rule of rules) {
      const { text, params } = compile(rule);
      expect(text, JSON.stringify(rule)).toMatch(/\b(b|p)\./);
      // As many placeholders as parameters, numbered in order.
      expect(text.match(/\$\d+::/g)?.length ?? 0).toBe(params.length);
    }
  });

  it('never puts a value from the rule into the SQL text', () => {
    const { text, params } = compile({ in: [{ var: 'kbli' }, ["16291'); drop table people; --", '16293']] });
    expect(text).not.toContain('drop');
    expect(params).toEqual(["16291'); drop table people; --", '16293']);
    expect(toParameterised(ruleToSql({ '==': [{ var: 'kbli' }, 'x'] }, { on: '2020-01-01' }), 4).text).toBe(
      '(b.kbli is not null and (b.kbli = $4::text))',
    );
  });

  it('refuses what SQL cannot mirror exactly, and rules that do not validate', () => {
    // JavaScript compares an array with a text by joining it with commas.
    expect(() => compile({ '==': [{ var: 'exclusions' }, 'asn'] })).toThrow(RuleNotScreenable);
    expect(() => compile({ '<': [{ var: 'exclusions' }, 'b'] })).toThrow(RuleNotScreenable);
    expect(() => compile({ in: [{ var: 'exclusions' }, 'asn,deceased'] })).toThrow(RuleNotScreenable);
    expect(() => compile({ log: 1 })).toThrow(/rule_unknown_operator/);
    expect(() => compile({ '==': [{ var: 'nik' }, '1'] })).toThrow(/rule_unknown_field/);
  });
});
