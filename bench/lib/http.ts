import http from 'node:http';

export type Reply = { status: number; body: string };

// One request to the server under test on 127.0.0.1, its whole body read; `body` goes as JSON.
export function httpRequest(
  agent: http.Agent,
  port: number,
  request: {
    method?: 'GET' | 'POST';
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
    timeoutMs: number;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = request.headers ?? {};
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: request.path,
        agent,
        headers: payload ? { ...headers, 'content-type': 'application/json' } : headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(request.timeoutMs, () => req.destroy(new Error('timeout')));
    req.end(payload);
  });
}
