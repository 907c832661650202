import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionDetail } from '../../lib/types';
import {
  addToOutbox,
  forgetSession,
  getOutboxItem,
  listOutbox,
  loadSession,
  removeFromOutbox,
  saveSession,
  updateOutboxItem,
} from './outbox';
import { onOutboxChange, syncOutbox } from './outbox-sync';

// The phone's outbox (IndexedDB, here fake-indexeddb) and its sending to the server (fetch,
// here a scripted server): what waits, what is sent once, what is kept for later, what is
// refused for good.

const sessionId = '00000000-0000-4000-8000-000000000001';
const applicants = ['a', 'b', 'c'].map((c) => `00000000-0000-4000-8000-00000000000${c}`);
const [first = '', second = '', third = ''] = applicants;

function detail(): SessionDetail {
  return {
    id: sessionId,
    participants: applicants.map((applicationId, i) => ({
      applicationId,
      ownerName: `Peserta ${i + 1}`,
      checkedInAt: null,
      method: null,
    })),
  } as unknown as SessionDetail;
}

type Answer = 'ok' | 'offline' | 'refused' | 'expired' | 'busy';
let answers: Answer[] = [];
let received: { applicationId?: string; token?: string; checkedInAt: string; method: string }[] = [];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

// The server, one scripted answer per request (then 'ok'); a check-in it takes is recorded.
async function server(url: string, init?: RequestInit): Promise<Response> {
  expect(url).toBe(`/api/v1/sessions/${sessionId}/attendance`);
  expect(init?.method).toBe('POST');
  const answer = answers.shift() ?? 'ok';
  if (answer === 'offline') throw new TypeError('Failed to fetch');
  if (answer === 'expired') return json(401, { error: { code: 'unauthenticated', message: 'login' } });
  if (answer === 'busy') return json(503, { error: { code: 'internal_error', message: 'busy' } });
  const body = JSON.parse(String(init?.body));
  if (answer === 'refused')
    return json(422, { error: { code: 'attendance_token_invalid', message: 'not this card' } });
  const duplicate = received.some((r) => r.applicationId === body.applicationId);
  if (!duplicate) received.push(body);
  return json(200, { checkedInAt: body.checkedInAt, method: body.method, duplicate });
}

const checkIn = (applicationId: string, token: string | null = null) =>
  addToOutbox({ sessionId, applicationId, method: token ? 'qr' : 'manual', token });

beforeEach(async () => {
  answers = [];
  received = [];
  vi.stubGlobal('fetch', vi.fn(server));
  vi.stubGlobal('navigator', { onLine: true });
  for (const item of await listOutbox()) await removeFromOutbox(item.key);
  await forgetSession(sessionId);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the outbox', () => {
  it('holds one check-in per participant and session: the first one stays', async () => {
    const one = await checkIn(first);
    const again = await checkIn(first, 'PLH1.x.y');
    expect(one.added).toBe(true);
    expect(again).toEqual({ item: one.item, added: false });
    await checkIn(second);
    const waiting = await listOutbox(sessionId);
    expect(waiting.map((i) => i.applicationId)).toEqual([first, second]);
    expect(waiting.every((i) => i.state === 'pending' && i.attempts === 0)).toBe(true);
    expect(new Set(waiting.map((i) => i.clientId)).size).toBe(2);
  });

  it('keeps the day list for use with no signal, and forgets it', async () => {
    await saveSession(detail());
    expect((await loadSession(sessionId))?.detail.participants).toHaveLength(3);
    await forgetSession(sessionId);
    expect(await loadSession(sessionId)).toBeNull();
  });
});

describe('sending the outbox', () => {
  it('sends each waiting check-in once, with the time it was taken, and marks the saved list', async () => {
    await saveSession(detail());
    const { item } = await checkIn(first);
    await checkIn(second, 'PLH1.card.code');
    const heard: string[] = [];
    const stop = onOutboxChange((change) => {
      if (change.type === 'sent') heard.push(change.applicationId);
    });
    const report = await syncOutbox();
    stop();
    expect(report.sent.map((s) => s.item.applicationId)).toEqual([first, second]);
    expect(report.failed).toEqual([]);
    expect(report.interrupted).toBeNull();
    expect(received).toEqual([
      { applicationId: first, method: 'manual', checkedInAt: item.checkedInAt },
      expect.objectContaining({ token: 'PLH1.card.code', method: 'qr' }),
    ]);
    expect(heard).toEqual([first, second]);
    expect(await listOutbox()).toEqual([]);
    const saved = await loadSession(sessionId);
    const present = saved?.detail.participants.filter((p) => p.checkedInAt).map((p) => p.applicationId);
    expect(present).toEqual([first, second]);
  });

  it('stops at a dropped connection and keeps the rest waiting; the next sync sends them', async () => {
    await checkIn(first);
    await checkIn(second);
    answers = ['ok', 'offline'];
    const report = await syncOutbox();
    expect(report.sent.map((s) => s.item.applicationId)).toEqual([first]);
    expect(report.interrupted?.code).toBe('network_error');
    const left = await listOutbox();
    expect(left.map((i) => [i.applicationId, i.state, i.attempts])).toEqual([[second, 'pending', 1]]);

    const later = await syncOutbox();
    expect(later.sent.map((s) => s.item.applicationId)).toEqual([second]);
    expect(await listOutbox()).toEqual([]);
    expect(received.map((r) => r.applicationId)).toEqual([first, second]);
  });

  it('keeps a check-in for later when the login expired or the server struggles', async () => {
    await checkIn(first);
    for (const answer of ['expired', 'busy'] as const) {
      answers = [answer];
      const report = await syncOutbox();
      expect(report.sent).toEqual([]);
      expect(report.failed).toEqual([]);
      expect(report.interrupted).not.toBeNull();
    }
    expect((await listOutbox()).map((i) => [i.state, i.attempts])).toEqual([['pending', 2]]);
    expect((await syncOutbox()).sent).toHaveLength(1);
  });

  it('marks a check-in the server refuses as failed with its reason, goes on with the others, and does not send it again', async () => {
    const refused = await checkIn(first, 'PLH1.forged.card');
    await checkIn(second);
    answers = ['refused'];
    const report = await syncOutbox();
    expect(report.failed.map((i) => [i.applicationId, i.error?.code])).toEqual([
      [first, 'attendance_token_invalid'],
    ]);
    expect(report.sent.map((s) => s.item.applicationId)).toEqual([second]);
    const kept = await getOutboxItem(refused.item.key);
    expect(kept).toMatchObject({ state: 'failed', attempts: 1, error: { status: 422 } });

    vi.mocked(fetch).mockClear();
    expect((await syncOutbox()).sent).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();

    // The officer retries it (as the page's "retry" does): it goes again.
    await updateOutboxItem(refused.item.key, { state: 'pending', error: null });
    expect((await syncOutbox()).sent.map((s) => s.item.applicationId)).toEqual([first]);
  });

  it('runs one sync at a time: two at once send each check-in once', async () => {
    for (const id of applicants) await checkIn(id);
    const [a, b] = await Promise.all([syncOutbox(), syncOutbox()]);
    expect([...(a?.sent ?? []), ...(b?.sent ?? [])].map((s) => s.item.applicationId).sort()).toEqual(
      [first, second, third].sort(),
    );
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(received).toHaveLength(3);
  });

  it('counts a resend the server already had as sent (a lost answer)', async () => {
    await checkIn(first);
    await syncOutbox();
    await checkIn(first);
    const report = await syncOutbox();
    expect(report.sent.map((s) => s.result.duplicate)).toEqual([true]);
    expect(received).toHaveLength(1);
  });
});
