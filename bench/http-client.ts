// The bench's HTTP client for the web chat figure: node:http on a keep-alive Agent. fetch
// (undici's WHATWG layer: Request, Headers, streams) cost the bench about 0.9 ms of CPU per
// request on the same two cores as the bot and PostgreSQL; the bench must measure the
// server, not its client.
import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpClient {
  send(method: 'GET' | 'POST', url: string, headers?: Record<string, string>, body?: string): Promise<HttpResponse>;
  close(): void;
}

export function httpClient(): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  return {
    send(method, url, headers = {}, body) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
        const length: Record<string, string> = method === 'POST' ? { 'Content-Length': String(payload?.length ?? 0) } : {};
        const req = request(url, { method, agent, headers: { ...headers, ...length } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
