import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// Local stand-ins for the WhatsApp Cloud API, the SMS gateway and an SMTP server, on
// 127.0.0.1: tests and the benchmark point the channels at them and check what arrived.
// No test sends a real message.

export type ReceivedRequest = {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
};

export type FakeHttpProvider = {
  url: string;
  received: ReceivedRequest[];
  // answer the next n requests with this status (500: a provider outage)
  failNext: (n: number, status?: number) => void;
  // answer every request with 500 until called again with false
  setDown: (down: boolean) => void;
  close: () => Promise<void>;
};

export async function startFakeHttpProvider(kind: 'whatsapp' | 'sms'): Promise<FakeHttpProvider> {
  const received: ReceivedRequest[] = [];
  let failures = 0;
  let failStatus = 500;
  let down = false;
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down || failures > 0) {
        if (failures > 0) failures--;
        res.writeHead(down ? 500 : failStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake outage' } }));
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {}
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const id = `${kind === 'whatsapp' ? 'wamid.' : 'sms-'}${++counter}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          kind === 'whatsapp'
            ? { messaging_product: 'whatsapp', contacts: [{ wa_id: body.to }], messages: [{ id }] }
            : { id },
        ),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (n, status = 500) => {
      failures = n;
      failStatus = status;
    },
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

export async function startFakeSmtp(): Promise<{
  url: string;
  received: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
