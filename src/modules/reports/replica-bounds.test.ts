import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.ts';
import { openReplica, type ReadReplica, readOnReplica } from '../../db/replica.ts';

// How long a report waits for a replica that is there but does not answer before it falls
// back to the primary: bounded by the connect timeout (a host that accepts the connection and
// says nothing) and by the query timeout (a server that logs us in and then stops answering,
// as a frozen replica does). Fake servers on 127.0.0.1 play the replica; the "primary" is a
// stand-in the read function recognises, so no database is needed.

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
const replicas: ReadReplica[] = [];

afterEach(async () => {
  for (const replica of replicas.splice(0)) await replica.close().catch(() => undefined);
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.restoreAllMocks();
});

// A server that accepts connections; `onStartup` decides what it says to the client's first message.
async function fakeReplica(onStartup: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => onStartup(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as net.AddressInfo).port;
}

// AuthenticationOk then ReadyForQuery (idle): the client is logged in and sends its query.
function logIn(socket: net.Socket) {
  const ok = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]);
  const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
  socket.write(Buffer.concat([ok, ready]));
}

// Logs in, then answers the query with a syntax error (SQLSTATE 42601), as a real server would.
function refuseQuery(socket: net.Socket) {
  logIn(socket);
  socket.once('data', () => {
    const fields = Buffer.from('SERROR\0C42601\0Msyntax error\0\0');
    const head = Buffer.alloc(5);
    head.write('E', 0);
    head.writeInt32BE(fields.length + 4, 1);
    socket.write(Buffer.concat([head, fields, Buffer.from([0x5a, 0, 0, 0, 5, 0x49])]));
  });
}

const primary = { primary: true } as unknown as Db;

async function readReport(replica: ReadReplica) {
  const started = performance.now();
  const answer = await readOnReplica({ db: primary, replica }, async (db) => {
    if (db === primary) return 'primary';
    await db.execute(sql`select 1`);
    return 'replica';
  });
  return { answer, ms: performance.now() - started };
}

describe('a replica that does not answer', () => {
  it('falls back to the primary after the connect timeout, and says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const port = await fakeReplica(() => undefined);
    const replica = openReplica(`postgres://postgres@127.0.0.1:${port}/pulih`, { connectMs: 300 });
    replicas.push(replica);
    const { answer, ms } = await readReport(replica);
    expect(answer).toBe('primary');
    // the bound, with room for a loaded machine; without it the read would hang
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(10_000);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('read replica unavailable'));
    expect(replica.downUntil).toBeGreaterThan(Date.now());
  });

  it('falls back to the primary after the query timeout when the replica stops mid-read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const port = await fakeReplica(logIn);
    const replica = openReplica(`postgres://postgres@127.0.0.1:${port}/pulih`, {
      connectMs: 5_000,
      queryMs: 300,
    });
    replicas.push(replica);
    const { answer, ms } = await readReport(replica);
    expect(answer).toBe('primary');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(10_000);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Query read timeout'));
  });

  it('skips the replica while it is marked down, without waiting again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let connections = 0;
    const port = await fakeReplica(() => {
      connections++;
    });
    const replica = openReplica(`postgres://postgres@127.0.0.1:${port}/pulih`, { connectMs: 300 });
    replicas.push(replica);
    await readReport(replica);
    expect(connections).toBe(1);
    const again = await readReport(replica);
    expect(again.answer).toBe('primary');
    expect(again.ms).toBeLessThan(250);
    expect(connections).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('does not hide a wrong query behind the primary', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const port = await fakeReplica(refuseQuery);
    const replica = openReplica(`postgres://postgres@127.0.0.1:${port}/pulih`, { connectMs: 5_000 });
    replicas.push(replica);
    await expect(readReport(replica)).rejects.toThrow();
    expect(warn).not.toHaveBeenCalled();
    expect(replica.downUntil).toBe(0);
  });
});
