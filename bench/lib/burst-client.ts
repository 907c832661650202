// The client side of a burst, in a process of its own (`startBurstClient`), so that what the
// bench measures is the server's work: run in the server's process, the client's own HTTP
// work (building requests, parsing answers, the timers) shares the one thread with the server
// and is counted in every latency, the anchor's as well as the applications'.
//
// The parent sends a burst (every request at once, at most `clients` sockets in flight) and gets
// back each request's latency and status (and the body of the ones that failed).
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { httpRequest, type Reply } from './http.ts';

export type BurstRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
};
export type Sample = { ms: number; status: number; body: string };
export type Burst = { samples: Sample[]; seconds: number };

type Job = { id: number; port: number; requests: BurstRequest[] };
type Done = { id: number; burst: Burst };

const ok = (status: number) => status === 200 || status === 201;

// All requests are started at once; the agent's socket pool bounds how many are in flight.
export async function fireBurst<T>(items: T[], send: (item: T) => Promise<Reply>): Promise<Burst> {
  const started = performance.now();
  const samples = await Promise.all(
    items.map(async (item): Promise<Sample> => {
      const t0 = performance.now();
      const res = await send(item);
      return { ms: performance.now() - t0, status: res.status, body: ok(res.status) ? '' : res.body };
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

export type BurstClient = {
  fire: (port: number, requests: BurstRequest[]) => Promise<Burst>;
  close: () => void;
};

// Starts the client process; `clients` bounds its sockets, `timeoutMs` each request.
export function startBurstClient(clients: number, timeoutMs: number): BurstClient {
  const child = fork(fileURLToPath(import.meta.url), ['--child', String(clients), String(timeoutMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (b: Burst) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on('message', (message: Done) => {
    waiting.get(message.id)?.resolve(message.burst);
    waiting.delete(message.id);
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`burst client exited (${code})`));
    waiting.clear();
  });
  return {
    fire: (port, requests) =>
      new Promise<Burst>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        child.send({ id, port, requests } satisfies Job);
      }),
    close: () => {
      child.disconnect();
    },
  };
}

if (process.argv[2] === '--child') {
  const clients = Number(process.argv[3]);
  const timeoutMs = Number(process.argv[4]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  process.on('message', async (job: Job) => {
    const burst = await fireBurst(job.requests, (r) =>
      httpRequest(agent, job.port, { ...r, timeoutMs }).catch(
        (error: Error): Reply => ({ status: 0, body: String(error.message) }),
      ),
    );
    process.send?.({ id: job.id, burst } satisfies Done);
  });
  process.on('disconnect', () => {
    agent.destroy();
  });
}
