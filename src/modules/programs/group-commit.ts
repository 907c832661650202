// Group commit of applications (issue 14, point 1; docs/architecture.md, "Group commit"). A
// decision locks its program's row until its transaction's commit is on disk, so decisions for
// one program are served one after another whatever the number of connections: one lock hold
// and one WAL flush each. Here the decisions for one program wait in this process while the
// previous statement for that program runs, and are then sent together in one statement
// (pulih_apply_many): one lock hold and one flush for all of them. A decision that finds
// nothing running is sent at once, alone: batching never adds a delay, it only gathers what
// was waiting anyway. Each caller gets its own answer, or its own error.
//
// Nothing is shared between processes: each batches its own, and the database still enforces
// capacity, quotas and one application per business, whatever reaches it together.

import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { PgliteDatabase } from 'drizzle-orm/pglite';
import type { DbOrTx } from '../../db/client.ts';
import { sqlStateOf } from '../../lib/errors.ts';
import {
  type ApplyAnswer,
  type ApplyCall,
  type ApplyFailure,
  applyInOneStatement,
  applyManyInOneStatement,
} from './programs.queries.ts';

// A guarded batch (see decide) makes a subtransaction that writes per item, and a backend
// keeps the ids of at most 64 of them in shared memory; past that every other backend's
// visibility check reads pg_subtrans. A batch stays under it; what queued beyond goes in the
// next statement.
const maxBatch = 60;

// A deadlock between an item and a withdrawal of the same application (the item takes the
// application after its batch took the program row; a withdrawal takes them the other way
// round) undoes only that item; it is decided again in the next statement, once.
const deadlockDetected = '40P01';

type Waiting = {
  call: ApplyCall;
  retried: boolean;
  resolve: (answer: ApplyAnswer) => void;
  reject: (error: unknown) => void;
};

// Per database handle (a pool, a PGlite instance, a transaction) and program: the decisions
// waiting while a statement runs. A program is in the map only while a statement of it runs.
const queuesOf = new WeakMap<DbOrTx, Map<string, Waiting[]>>();

// A failed item as the error a single statement would have thrown: its SQLSTATE in `code` and
// its constraint, which the callers read (uniqueViolation).
export class ApplicationStatementError extends Error {
  readonly code: string;
  readonly constraint: string | undefined;

  constructor(failure: ApplyFailure) {
    super(failure.message);
    this.name = 'ApplicationStatementError';
    this.code = failure.code;
    this.constraint = failure.constraint ?? undefined;
  }
}

// Decides one application: together with others on PostgreSQL, alone on an in-process PGlite.
// PGlite runs one statement at a time in this very thread, so no other transaction ever waits
// on the program row or a flush there; queueing only added work (the burst measured 29–46
// applications/s with it against 40–120 without, Node CPU 9.7–10.6 ms against 7.8–9.4 ms per
// application, docs/benchmarks.md).
export function applyApplication(db: DbOrTx, call: ApplyCall): Promise<ApplyAnswer> {
  return is(db, PgliteDatabase) ? applyInOneStatement(db, call) : applyTogether(db, call);
}

// Decides one application together with those for the same program that queue up while a
// statement for it runs in this process.
export function applyTogether(db: DbOrTx, call: ApplyCall): Promise<ApplyAnswer> {
  return new Promise<ApplyAnswer>((resolve, reject) => {
    enqueue(db, { call, retried: false, resolve, reject });
  });
}

function enqueue(db: DbOrTx, waiting: Waiting) {
  let queues = queuesOf.get(db);
  if (!queues) {
    queues = new Map();
    queuesOf.set(db, queues);
  }
  const queue = queues.get(waiting.call.programId);
  if (queue) {
    queue.push(waiting);
    return;
  }
  const started: Waiting[] = [waiting];
  queues.set(waiting.call.programId, started);
  // sendQueued settles every waiting promise itself and never rejects
  void sendQueued(db, queues, waiting.call.programId, started);
}

async function sendQueued(db: DbOrTx, queues: Map<string, Waiting[]>, programId: string, queue: Waiting[]) {
  while (queue.length > 0) {
    const batch = queue.splice(0, maxBatch);
    let answers: (ApplyAnswer | ApplyFailure)[];
    try {
      answers = await decide(db, batch);
    } catch (error) {
      for (const w of batch) w.reject(error);
      continue;
    }
    batch.forEach((w, i) => {
      const answer = answers[i];
      if (!answer) w.reject(new Error(`pulih_apply_many answered ${answers.length} of ${batch.length}`));
      else if (answer.outcome !== 'error') w.resolve(answer);
      else if (answer.code === deadlockDetected && !w.retried) queue.push({ ...w, retried: true });
      else w.reject(new ApplicationStatementError(answer));
    });
  }
  queues.delete(programId);
}

// Items rarely fail, and guarding each one costs a subtransaction, so a batch goes first
// unguarded: if one item fails, the database undoes the whole statement, and the batch goes
// again with each item guarded. One item alone fails as it would have failed by itself. In a
// transaction of the caller's, a failed statement would end the transaction: guarded at once.
async function decide(db: DbOrTx, batch: Waiting[]): Promise<(ApplyAnswer | ApplyFailure)[]> {
  const calls = batch.map((w) => w.call);
  if (is(db, PgTransaction)) return applyManyInOneStatement(db, calls, true);
  try {
    return await applyManyInOneStatement(db, calls, false);
  } catch (error) {
    if (batch.length === 1 || sqlStateOf(error) === null) throw error;
    return applyManyInOneStatement(db, calls, true);
  }
}
