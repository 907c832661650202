import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { discardHandover, listPendingHandovers, queueHandover, syncHandovers } from './handover-outbox';

// Handovers kept on the phone (IndexedDB, here fake-indexeddb) and sent to a scripted server:
// what waits with no signal, what is sent once although its answer was lost, what is refused.

const businessId = '00000000-0000-4000-8000-0000000000b1';
const allocationIds = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];

type Answer = 'ok' | 'offline' | 'lost' | 'refused';
let answers: Answer[] = [];
// The server's handovers by client key: a resend answers the one already recorded.
let recorded: Map<string, { id: string; number: string }>;
// Client keys the server refuses (their allocations were handed over from another phone).
let refuse: Set<string>;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function server(url: string, init?: RequestInit): Promise<Response> {
  expect(url).toBe('/api/v1/aid/handovers');
  const answer = answers.shift() ?? 'ok';
  if (answer === 'offline') throw new TypeError('Failed to fetch');
  const body = JSON.parse(String(init?.body)) as { clientKey: string; allocationIds: string[] };
  if (answer === 'refused' || refuse.has(body.clientKey))
    return json(409, { error: { code: 'already_handed_over', message: 'no' } });
  const existing = recorded.get(body.clientKey);
  const handover = existing ?? { id: `h${recorded.size + 1}`, number: `BAST/X/2021/000${recorded.size + 1}` };
  recorded.set(body.clientKey, handover);
  // The server recorded it, but the answer never reached the phone.
  if (answer === 'lost') throw new TypeError('Failed to fetch');
  return json(existing ? 200 : 201, { ...handover, allocationIds: body.allocationIds });
}

const queue = () =>
  queueHandover({
    businessId,
    label: 'Anyaman Siti · 2 barang',
    body: { allocationIds, handedOverAt: '2021-09-01', place: 'Balai Kelurahan' },
  });

beforeEach(async () => {
  answers = [];
  recorded = new Map();
  refuse = new Set();
  vi.stubGlobal('fetch', vi.fn(server));
  for (const item of await listPendingHandovers()) await discardHandover(item.clientKey);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the handover outbox', () => {
  it('keeps a handover with no signal and sends it when the signal returns', async () => {
    const item = await queue();
    expect(item.body.clientKey).toBe(item.clientKey);
    answers = ['offline'];
    const offline = await syncHandovers();
    expect(offline.sent).toEqual([]);
    expect(offline.interrupted?.code).toBe('network_error');
    expect(await listPendingHandovers()).toMatchObject([
      { clientKey: item.clientKey, state: 'pending', attempts: 1 },
    ]);
    const online = await syncHandovers();
    expect(online.sent.map((s) => s.handover.number)).toEqual(['BAST/X/2021/0001']);
    expect(await listPendingHandovers()).toEqual([]);
    expect(recorded.size).toBe(1);
  });

  it('records a handover once when the first answer was lost', async () => {
    const item = await queue();
    answers = ['lost'];
    await syncHandovers();
    expect(await listPendingHandovers()).toHaveLength(1);
    const again = await syncHandovers();
    expect(again.sent).toHaveLength(1);
    expect(recorded.size).toBe(1);
    expect(recorded.has(item.clientKey)).toBe(true);
  });

  it('keeps a refused handover, marked failed, and sends the others', async () => {
    const refused = await queue();
    const fine = await queue();
    refuse.add(refused.clientKey);
    const report = await syncHandovers();
    expect(report.failed.map((f) => f.clientKey)).toEqual([refused.clientKey]);
    expect(report.sent.map((s) => s.item.clientKey)).toEqual([fine.clientKey]);
    expect(await listPendingHandovers()).toMatchObject([
      { clientKey: refused.clientKey, state: 'failed', error: { code: 'already_handed_over' } },
    ]);
  });
});
