import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { postOnce } from './send-once';

// A scripted server that remembers answers by Idempotency-Key, as src/modules/idempotency does.
type Step = 'ok' | 'offline' | 'lost' | 'busy' | 'refused';
let steps: Step[];
let keys: (string | null)[];
let done: Map<string, { id: string }>;
let made: number;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function server(_url: string, init?: RequestInit): Promise<Response> {
  const key = new Headers(init?.headers).get('idempotency-key');
  keys.push(key);
  const step = steps.shift() ?? 'ok';
  if (step === 'offline') throw new TypeError('Failed to fetch');
  if (step === 'busy') return json(409, { error: { code: 'idempotency_in_progress', message: 'running' } });
  if (step === 'refused') return json(409, { error: { code: 'already_applied', message: 'no' } });
  const answer = (key ? done.get(key) : undefined) ?? { id: `a${++made}` };
  if (key) done.set(key, answer);
  if (step === 'lost') throw new TypeError('Failed to fetch');
  return json(201, answer);
}

const noWait = () => Promise.resolve();

beforeEach(() => {
  steps = [];
  keys = [];
  done = new Map();
  made = 0;
  vi.stubGlobal('fetch', vi.fn(server));
});
afterEach(() => vi.unstubAllGlobals());

describe('postOnce', () => {
  it('sends again after a lost answer with the same key and gets the first answer back', async () => {
    steps = ['lost', 'ok'];
    const result = await postOnce<{ id: string }>(
      '/programs/p/applications',
      { businessId: 'b' },
      { wait: noWait },
    );
    expect(result).toEqual({ id: 'a1' });
    expect(made).toBe(1);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,255}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('waits out no signal and a first attempt still running', async () => {
    steps = ['offline', 'busy', 'ok'];
    const waited: number[] = [];
    const result = await postOnce<{ id: string }>('/x', {}, { wait: async (n) => void waited.push(n) });
    expect(result).toEqual({ id: 'a1' });
    expect(waited).toEqual([1, 2]);
    expect(new Set(keys).size).toBe(1);
  });

  it("takes the server's refusal as final", async () => {
    steps = ['refused', 'ok'];
    const error = await postOnce('/x', {}, { wait: noWait }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('already_applied');
    expect(keys).toHaveLength(1);
  });

  it('gives up after its attempts, and each action has a key of its own', async () => {
    steps = ['offline', 'offline', 'offline'];
    const error = await postOnce('/x', {}, { wait: noWait }).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('network_error');
    expect(keys).toHaveLength(3);
    await postOnce('/x', {}, { wait: noWait });
    expect(keys[3]).not.toBe(keys[0]);
  });
});
