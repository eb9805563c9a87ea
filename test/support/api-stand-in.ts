// A loopback stand-in for trtc.tencentcloudapi.com. It checks each request's TC3-HMAC-SHA256
// signature itself, from Tencent's published algorithm (written here with node:crypto, apart from
// the official client), and answers as the API does: {"Response":{"RequestId"}} or
// {"Response":{"Error":{"Code","Message"},"RequestId"}}, or never, or with an HTTP error.
import { createHash, createHmac } from 'node:crypto';
import { Agent, createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';

export interface Signature {
  valid: boolean;
  secretId?: string;
  date?: string;
  service?: string;
  signedHeaders?: string;
}

export interface ApiRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  signature: Signature;
  /** The client gave up on it (closed the connection before an answer). */
  abandoned: boolean;
}

export type Answer =
  | { kind: 'ok'; requestId?: string }
  | { kind: 'error'; code: string; message: string; requestId?: string }
  | { kind: 'hang' }
  | { kind: 'status'; status: number };

export interface ApiStandIn {
  /** `http://trtc.tencentcloudapi.com:PORT`: use with `agent`, which sends every host to the stand-in. */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT`: no agent needed (the signature's service is then `127`). */
  readonly loopbackEndpoint: string;
  readonly agent: Agent;
  readonly requests: ApiRequest[];
  /** How the next requests are answered (default: ok). */
  answer(answer: Answer | ((request: ApiRequest) => Answer)): void;
  close(): Promise<void>;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), checked for one request. */
export function verifyTc3(method: string, url: string, headers: IncomingHttpHeaders, body: string, secretKey: string): Signature {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
    String(headers.authorization),
  );
  if (!match) return { valid: false };
  const [, secretId = '', date = '', service = '', signedHeaders = '', signature = ''] = match;
  const timestamp = String(headers['x-tc-timestamp']);
  const dateOfTimestamp = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  // The official client signs the host name without the port (a real endpoint has none).
  const value = (name: string) => (name === 'host' ? String(headers.host).replace(/:\d+$/, '') : String(headers[name] ?? '')).trim();
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${value(name).toLowerCase()}\n`)
    .join('');
  const { pathname, search } = new URL(url, 'http://stand-in');
  const canonicalRequest = [method, pathname, search.slice(1), canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', timestamp, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return { valid: expected === signature && date === dateOfTimestamp, secretId, date, service, signedHeaders };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** Only requests signed with `secretKey` are answered as the stand-in is told; others get AuthFailure. */
export async function startApiStandIn(secretKey: string): Promise<ApiStandIn> {
  const requests: ApiRequest[] = [];
  let next: Answer | ((request: ApiRequest) => Answer) = { kind: 'ok' };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const method = request.method ?? '';
      const url = request.url ?? '';
      const record: ApiRequest = { method, url, headers: request.headers, body, json, signature: verifyTc3(method, url, request.headers, body, secretKey), abandoned: false };
      requests.push(record);
      response.on('close', () => (record.abandoned = !response.writableFinished));
      const requestId = `stand-in-${requests.length}`;
      const answer = !record.signature.valid
        ? { kind: 'error' as const, code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated.' }
        : typeof next === 'function'
          ? next(record)
          : next;
      if (answer.kind === 'hang') return;
      if (answer.kind === 'status') {
        response.writeHead(answer.status).end('not the API');
        return;
      }
      const payload =
        answer.kind === 'ok'
          ? { Response: { RequestId: answer.requestId ?? requestId } }
          : { Response: { Error: { Code: answer.code, Message: answer.message }, RequestId: answer.requestId ?? requestId } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const toLoopback = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as unknown as LookupFunction;
  const agent = new Agent({ lookup: toLoopback });
  return {
    endpoint: `http://trtc.tencentcloudapi.com:${port}`,
    loopbackEndpoint: `http://127.0.0.1:${port}`,
    agent,
    requests,
    answer: (answer) => (next = answer),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
