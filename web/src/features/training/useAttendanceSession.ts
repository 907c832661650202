import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../lib/api';
import type { SessionDetail, SessionParticipant } from '../../lib/types';
import { useOfflineSession, useOnline, useOutbox } from './offline';
import {
  addToOutbox,
  getOutboxItem,
  type OutboxItem,
  patchSavedSession,
  removeFromOutbox,
  updateOutboxItem,
} from './outbox';
import { announce, type SyncReport, syncOutbox } from './outbox-sync';

export type Recorded =
  | { kind: 'sent'; duplicate: boolean }
  | { kind: 'queued' }
  | { kind: 'failed'; error: { code: string; message: string } | null };

// While the phone has signal, the outbox is also tried now and then: a check-in that met a
// dropped connection goes out without waiting for the next tap.
const syncEveryMs = 15_000;

// A session's attendance as the officer's phone holds it: the participants (the server's list,
// or the copy saved on the phone), the check-ins waiting in the outbox, and the sending of
// them: now, when the signal returns, when the page is looked at again, and every little
// while. `onReport` hears what a sync sent or had refused (`except`: the check-in the caller
// reports itself).
export function useAttendanceSession(id: string, onReport: (report: SyncReport, except?: string) => void) {
  const session = useOfflineSession(id);
  const { items: outbox } = useOutbox(id);
  const online = useOnline();
  const [syncing, setSyncing] = useState(false);
  const report = useRef(onReport);
  report.current = onReport;

  const waiting = useMemo(() => new Map(outbox.map((item) => [item.applicationId, item])), [outbox]);
  // Present: accepted by the server, or waiting on the phone to be sent. A check-in the
  // server refused is not counted; the row says why.
  const presentAt = useCallback(
    (p: SessionParticipant) => {
      const item = waiting.get(p.applicationId);
      return p.checkedInAt ?? (item?.state === 'pending' ? item.checkedInAt : null);
    },
    [waiting],
  );

  const sync = useCallback(async (): Promise<SyncReport | null> => {
    if (!navigator.onLine) return null;
    setSyncing(true);
    try {
      return await syncOutbox();
    } catch {
      return null;
    } finally {
      setSyncing(false);
    }
  }, []);

  const syncAndReport = useCallback(async () => {
    const result = await sync();
    if (result) report.current(result);
  }, [sync]);

  useEffect(() => {
    const run = () => void syncAndReport();
    run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') run();
    };
    window.addEventListener('online', run);
    document.addEventListener('visibilitychange', onVisible);
    const timer = window.setInterval(run, syncEveryMs);
    return () => {
      window.removeEventListener('online', run);
      document.removeEventListener('visibilitychange', onVisible);
      window.clearInterval(timer);
    };
  }, [syncAndReport]);

  // Back online with the saved list on screen: fetch the current one (others' check-ins).
  const { source, reload } = session;
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && source === 'saved') reload();
    wasOnline.current = online;
  }, [online, source, reload]);

  // Every check-in goes to the outbox first and shows at once; then it is sent if it can be.
  const record = async (
    p: SessionParticipant,
    method: 'qr' | 'manual',
    token: string | null,
  ): Promise<Recorded> => {
    const { item } = await addToOutbox({ sessionId: id, applicationId: p.applicationId, method, token });
    announce({ type: 'changed' });
    const result = await sync();
    if (result) report.current(result, item.key);
    const mine = result?.sent.find((s) => s.item.key === item.key);
    if (mine) return { kind: 'sent', duplicate: mine.result.duplicate };
    const still = await getOutboxItem(item.key);
    // Gone: a sync running at the same time took it.
    if (!still) return { kind: 'sent', duplicate: false };
    return still.state === 'failed' ? { kind: 'failed', error: still.error } : { kind: 'queued' };
  };

  // A check-in by name, replacing one whose card the server refused (the officer vouches).
  const checkInByName = async (p: SessionParticipant): Promise<Recorded> => {
    const refused = waiting.get(p.applicationId);
    try {
      if (refused) await removeFromOutbox(refused.key);
      return await record(p, 'manual', null);
    } catch {
      return { kind: 'failed', error: { code: 'storage', message: 'IndexedDB' } };
    }
  };

  // "All present": every absent participant into the outbox at once, then one sync; a
  // trainer with 30 people taps once. Answers how many were recorded.
  const recordAll = async (absent: SessionParticipant[]): Promise<number> => {
    for (const p of absent) {
      const refused = waiting.get(p.applicationId);
      if (refused) await removeFromOutbox(refused.key);
      await addToOutbox({ sessionId: id, applicationId: p.applicationId, method: 'manual', token: null });
    }
    announce({ type: 'changed' });
    const result = await sync();
    if (result) report.current(result);
    return absent.length;
  };

  // A late entry for a past day: needs signal and a reason (the server audits it).
  const lateMutation = useMutation({
    mutationFn: ({ applicationId, reason }: { applicationId: string; reason: string }) =>
      api<{ checkedInAt: string; method: 'qr' | 'manual' }>(`/sessions/${id}/attendance`, {
        method: 'POST',
        body: { applicationId, method: 'manual', lateReason: reason },
      }),
    onSuccess: (result, { applicationId }) => {
      session.apply(applicationId, { checkedInAt: result.checkedInAt, method: result.method });
      session.reload();
    },
  });

  const discard = async (item: OutboxItem) => {
    await removeFromOutbox(item.key);
    announce({ type: 'changed' });
  };

  // Undoing a check-in the server holds needs signal.
  // revokeCertificate: the officer agreed to revoke the participant's certificate with it.
  const undoMutation = useMutation({
    mutationFn: ({
      applicationId,
      revokeCertificate,
    }: {
      applicationId: string;
      revokeCertificate?: boolean;
    }) =>
      api(
        `/sessions/${id}/attendance/${applicationId}${revokeCertificate ? '?revokeCertificate=true' : ''}`,
        { method: 'DELETE' },
      ),
    onSuccess: async (_, { applicationId }) => {
      session.apply(applicationId, null);
      await patchSavedSession(id, applicationId, null);
    },
  });

  const retry = async (item: OutboxItem) => {
    await updateOutboxItem(item.key, { state: 'pending', error: null });
    announce({ type: 'changed' });
    await syncAndReport();
  };

  const participants: SessionDetail['participants'] = session.detail?.participants ?? [];
  const unsynced = outbox.filter((item) => item.state === 'pending').length;
  return {
    session,
    outbox,
    online,
    syncing,
    waiting,
    presentAt,
    counts: {
      total: participants.length,
      present: participants.filter((p) => presentAt(p)).length,
      // Waiting to be sent; those the server refused are counted apart, they wait for the officer.
      unsynced,
      failed: outbox.length - unsynced,
    },
    record,
    checkInByName,
    recordAll,
    lateEntry: lateMutation.mutateAsync,
    discard,
    undo: undoMutation.mutateAsync,
    retry,
    syncNow: syncAndReport,
  };
}
