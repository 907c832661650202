import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBusiness,
  createProgramAs,
  createTestApp,
  createUser,
  type TestApp,
} from '../../src/testing/harness.ts';
import { seededRandom } from '../../src/testing/people-generator.ts';

// Requests made from the OpenAPI document itself, with a fixed seed: for every operation,
// path parameters, query strings and bodies drawn from their schemas — mostly valid, often
// bent (wrong types, out of range, NUL bytes, huge, hostile strings) — sent as every role
// and without a login. The server must never answer 5xx, must answer only statuses the
// document lists for the operation, and its JSON must match the schema listed for that status.

const seed = 20_261_206;
const requests = 2000;

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  const?: unknown;
};
type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
};
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

let t: TestApp;
let doc: Document;
const sessions: Record<string, string | undefined> = { anonymous: undefined };
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const officer = await createUser(t, 'program_officer');
  const business = await createBusiness(t, officer.cookie);
  const program = await createProgramAs(t, officer.cookie, {
    name: 'Pelatihan Anyaman Rotan',
    type: 'training',
    capacity: 5,
    selection: 'first_come',
    startDate: '2031-08-24',
    endDate: '2031-08-28',
    venue: 'Aula Kecamatan Bukit Batu',
    eligibility: { in: [{ var: 'kecamatan' }, ['62.71.02']] },
  });
  const applied = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${program.id}/applications`,
    headers: { cookie: officer.cookie },
    payload: { businessId: business.id },
  });
  ids.push(business.id, business.owner.id, program.id, applied.json().id);
  sessions.program_officer = officer.cookie;
  sessions.admin = (await createUser(t, 'admin')).cookie;
  sessions.kecamatan_officer = (await createUser(t, 'kecamatan_officer', { regionCode: '62.71.02' })).cookie;
  sessions.sopd_officer = (await createUser(t, 'sopd_officer')).cookie;
  sessions.owner = (await createUser(t, 'owner', { personId: business.owner.id })).cookie;
  doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
}, 120_000);
afterAll(async () => t?.close());

const hostile = [
  '',
  ' ',
  'a\u0000b',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  'ﷺ🙂',
  'x'.repeat(5000),
  '0000-01-01',
  '-1',
  '1e308',
  'null',
  '{"$gt":""}',
];

function makeGenerator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const resolve = (schema: Schema): Schema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc.components.schemas[name] ?? {});
  };

  const junk = (): unknown =>
    pick([
      () => pick(hostile),
      () => int(-1e9, 1e9),
      () => 1e308,
      () => -0.5,
      () => true,
      () => null,
      () => [],
      () => ({}),
    ])();

  const date = () =>
    pick([
      '2031-08-24',
      '2020-01-31',
      '1990-12-31',
      '0000-01-01',
      '9999-12-31',
      '2024-02-30',
      `20${int(10, 40)}-0${int(1, 9)}-1${int(0, 9)}`,
    ]);

  const string = (s: Schema): unknown => {
    switch (s.format) {
      case 'uuid':
        return chance(0.7)
          ? pick(ids)
          : pick([
              '00000000-0000-4000-8000-000000000000',
              'not-a-uuid',
              'ffffffff-ffff-4fff-8fff-ffffffffffff',
            ]);
      case 'date':
        return date();
      case 'date-time':
        return pick([
          '2031-08-24T08:00:00Z',
          '0000-01-01T00:00:00Z',
          '2024-13-01T00:00:00Z',
          new Date(0).toISOString(),
        ]);
      case 'email':
        return pick(['a@example.go.id', 'not-an-email']);
      default:
        break;
    }
    if (s.pattern === '^\\d{2}:\\d{2}$' || s.pattern?.includes(':')) return pick(['08:00', '12:30', '25:99']);
    const min = s.minLength ?? 0;
    const max = Math.min(s.maxLength ?? 40, 60);
    const words = [
      'rotan',
      'anyaman',
      '62.71.02',
      '62.71.02.1004',
      '16291',
      '6271024108800001',
      '0812 3456 7890',
      'Bukit Batu',
      'aktif',
    ];
    let text = pick(words);
    while (text.length < min) text += ` ${pick(words)}`;
    return text.slice(0, Math.max(max, min));
  };

  const generate = (input: Schema, depth = 0): unknown => {
    const s = resolve(input);
    if (depth > 0 && chance(0.06)) return junk();
    if (depth > 6) return null;
    if (s.const !== undefined) return s.const;
    if (s.enum) return pick(s.enum);
    if (s.anyOf) return generate(pick(s.anyOf), depth + 1);
    if (s.oneOf) return generate(pick(s.oneOf), depth + 1);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((part) => generate(part, depth + 1)));
    const type = Array.isArray(s.type) ? pick(s.type) : s.type;
    switch (type) {
      case 'string':
        return string(s);
      case 'integer':
      case 'number': {
        const lo = s.minimum ?? s.exclusiveMinimum ?? 0;
        const hi = Math.min(s.maximum ?? lo + 1000, lo + 1e9);
        if (chance(0.1)) return pick([lo - 1, hi + 1, 2 ** 53, -(2 ** 31)]);
        const value = lo + random() * (hi - lo);
        return type === 'integer' ? Math.round(value) : value;
      }
      case 'boolean':
        return chance(0.5);
      case 'null':
        return null;
      case 'array': {
        const n = int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3));
        return Array.from({ length: n }, () => generate(s.items ?? {}, depth + 1));
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, prop] of Object.entries(s.properties ?? {})) {
          if (s.required?.includes(key) ? chance(0.97) : chance(0.5)) out[key] = generate(prop, depth + 1);
        }
        if (chance(0.05)) out.unexpected = junk();
        return out;
      }
      default:
        return chance(0.5) ? {} : pick(hostile);
    }
  };

  const asText = (value: unknown) =>
    typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);

  return { pick, chance, generate, asText, junk };
}

type Finding = { request: string; status: number; problem: string };

describe('schema-driven fuzzing of the whole API', () => {
  it(`${requests} requests from the OpenAPI document: no 5xx, only documented statuses, bodies matching their schemas`, {
    timeout: 600_000,
  }, async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'pulih', components: doc.components }, 'pulih');
    const validators = new Map<Schema, ReturnType<typeof ajv.compile>>();
    const validatorOf = (schema: Schema) => {
      let validate = validators.get(schema);
      if (!validate) {
        const text = JSON.stringify(schema).replaceAll('"#/components/', '"pulih#/components/');
        validate = ajv.compile(JSON.parse(text));
        validators.set(schema, validate);
      }
      return validate;
    };

    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op }))
        // Logging out would end the session the next requests of that role stand on.
        .filter(({ op }) => op.operationId !== 'logout'),
    );
    const random = seededRandom(seed);
    const g = makeGenerator(random);
    const roles = Object.keys(sessions);
    const findings: Finding[] = [];
    const seen = new Map<string, number>();

    for (let i = 0; i < requests; i++) {
      const { path, method, op } = operations[i % operations.length] as (typeof operations)[number];
      const role = g.pick(roles);
      const params = op.parameters ?? [];
      let url = `/api/v1${path}`;
      for (const p of params.filter((p) => p.in === 'path')) {
        const value = g.chance(0.85) ? g.asText(g.generate(p.schema)) : g.asText(g.junk());
        url = url.replace(`{${p.name}}`, encodeURIComponent(value));
      }
      const query = new URLSearchParams();
      for (const p of params.filter((p) => p.in === 'query')) {
        if (p.required || g.chance(0.4))
          query.set(p.name, g.asText(g.chance(0.85) ? g.generate(p.schema) : g.junk()));
      }
      if (g.chance(0.1)) query.set('cursor', g.pick(['WyJ4IiwieSJd', 'WzFlKzMwOCwieCJd', 'garbage', 'W10']));
      if (query.size > 0) url += `?${query}`;
      const json = op.requestBody?.content['application/json']?.schema;
      const payload = json && g.chance(0.95) ? g.generate(json) : method === 'GET' ? undefined : g.junk();
      const cookie = sessions[role];
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        remoteAddress: `10.${i % 250}.${Math.floor(i / 250)}.1`,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      const key = `${op.operationId} ${res.statusCode}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const request = `${method} ${url.slice(0, 200)} as ${role} ${JSON.stringify(payload)?.slice(0, 300) ?? ''}`;
      if (res.statusCode >= 500) {
        findings.push({ request, status: res.statusCode, problem: res.body.slice(0, 300) });
        continue;
      }
      const documented = op.responses[String(res.statusCode)] ?? op.responses.default;
      if (!documented) {
        findings.push({
          request,
          status: res.statusCode,
          problem: `status not in the document: ${res.body.slice(0, 200)}`,
        });
        continue;
      }
      const schema = documented.content?.['application/json']?.schema;
      if (schema && String(res.headers['content-type']).startsWith('application/json')) {
        const validate = validatorOf(schema);
        if (!validate(res.json())) {
          findings.push({
            request,
            status: res.statusCode,
            problem: `body: ${ajv.errorsText(validate.errors)}`,
          });
        }
      }
    }
    // Not only refusals: the fuzzer reached handlers and got answers of every kind.
    const statuses = new Set([...seen.keys()].map((key) => Number(key.split(' ').at(-1))));
    expect([...statuses].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses].filter((s) => s >= 400 && s < 500).length).toBeGreaterThanOrEqual(4);
    expect(findings.slice(0, 15), `${findings.length} findings`).toEqual([]);
  });
});
