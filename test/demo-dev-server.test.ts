import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDevApi } from '../examples/demo/dev-server.js';
import type { DevEnv } from '../examples/demo/dev-server.env.js';
import { startApiStandIn } from './support/api-stand-in.js';
import type { ApiStandIn } from './support/api-stand-in.js';
import { decodeTls, tlsHmac } from './support/tls-doc.js';

const SDK_APP_ID = 1400000001;
// Made-up secrets of the consoles' shapes.
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const SECRET_ID = 'AKIDdevservertest0EXAMPLE';
const API_SECRET_KEY = 'dev-server-api-secret-key-EXAMPLE';
const SECRETS = [SECRET_KEY, SECRET_ID, API_SECRET_KEY];

let standIn: ApiStandIn;
let server: Server | undefined;
/** Everything the dev server sent, to look for secrets in. */
const answered: string[] = [];

beforeAll(async () => {
  standIn = await startApiStandIn(API_SECRET_KEY);
});
afterAll(() => standIn.close());
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  standIn.answer({ kind: 'ok' });
  for (const secret of SECRETS) expect(answered.filter((text) => text.includes(secret))).toEqual([]);
  answered.length = 0;
});

const fullEnv = (): Record<string, string> => ({
  TRTC_SDK_APP_ID: String(SDK_APP_ID),
  TRTC_SECRET_KEY: SECRET_KEY,
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: API_SECRET_KEY,
  TRTC_API_ENDPOINT: standIn.loopbackEndpoint,
});

/** The middleware on a plain HTTP server; what it passes on is answered 418. */
async function devServer(env: DevEnv) {
  const { handle } = createDevApi(env);
  server = createServer((request, response) => handle(request, response, () => response.writeHead(418).end()));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
    const headers = init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers };
    const response = await fetch(origin + path, { ...init, ...(headers ? { headers } : {}) });
    const text = await response.text();
    answered.push(text);
    return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text };
  };
}

describe("the demo's dev server: what is configured, never a secret", () => {
  it('everything set: GET /api/config says so, and the proxy', async () => {
    const api = await devServer({ ...fullEnv(), TRTC_WEBSOCKET_PROXY: 'wss://proxy.example:443' });
    expect(await api('/api/config')).toEqual({
      status: 200,
      body: { sdkAppId: SDK_APP_ID, userSig: { ready: true }, api: { ready: true }, websocketProxy: 'wss://proxy.example:443' },
    });
  });

  it('nothing set: each part names the variables it lacks', async () => {
    const api = await devServer({});
    expect((await api('/api/config')).body).toEqual({
      userSig: { ready: false, missing: ['TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY'], reason: 'TRTC_SDK_APP_ID and TRTC_SECRET_KEY are not set' },
      api: {
        ready: false,
        missing: ['TRTC_SDK_APP_ID', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
        reason: 'TRTC_SDK_APP_ID, TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set',
      },
    });
    expect(await api('/api/usersig?userId=alice')).toMatchObject({ status: 503, body: { error: { code: 'NOT_CONFIGURED', missing: ['TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY'] } } });
    const removed = await api('/api/remove-user', { method: 'POST', body: JSON.stringify({ roomId: 8888, userIds: ['alice'] }) });
    expect(removed).toMatchObject({ status: 503, body: { error: { code: 'NOT_CONFIGURED' } } });
    expect(standIn.requests).toHaveLength(0);
  });

  it('a malformed value is named by its variable, without its value; the other part still works', async () => {
    const api = await devServer({ ...fullEnv(), TRTC_SECRET_KEY: ` ${SECRET_KEY} ` });
    const { body } = await api('/api/config');
    expect(body).toMatchObject({ userSig: { ready: false, missing: [], reason: expect.stringMatching(/^TRTC_SECRET_KEY: .*secretKey must be a non-blank string/) }, api: { ready: true } });
    const bad = await devServer({ ...fullEnv(), TRTC_SDK_APP_ID: 'app-1' });
    expect((await bad('/api/config')).body).toMatchObject({ userSig: { reason: 'TRTC_SDK_APP_ID must be the SDKAppID, a whole number (got "app-1")' } });
  });
});

describe("the demo's dev server: userSigs and the API", () => {
  it('GET /api/usersig signs with the SecretKey for the userId asked; a bad userId is INVALID_PARAMETER', async () => {
    const api = await devServer(fullEnv());
    const { status, body } = await api('/api/usersig?userId=alice');
    expect(status).toBe(200);
    expect(body).toMatchObject({ userId: 'alice', sdkAppId: SDK_APP_ID });
    const doc = decodeTls(String((body as { userSig: string }).userSig));
    expect(doc).toMatchObject({ 'TLS.identifier': 'alice', 'TLS.sdkappid': SDK_APP_ID });
    expect(doc['TLS.sig']).toBe(tlsHmac(SECRET_KEY, doc));
    expect(await api('/api/usersig?userId=')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PARAMETER', field: 'userId' } } });
  });

  it('POST /api/remove-user and /api/dismiss-room call the API with the key pair and pass its RequestId on', async () => {
    const api = await devServer(fullEnv());
    const removed = await api('/api/remove-user', { method: 'POST', body: JSON.stringify({ roomId: 8888, userIds: ['alice'], sdkAppId: 1 }) });
    expect(removed).toEqual({ status: 200, body: { action: 'RemoveUser', requestId: `stand-in-${standIn.requests.length}` } });
    expect(standIn.requests.at(-1)).toMatchObject({ json: { SdkAppId: SDK_APP_ID, RoomId: 8888, UserIds: ['alice'] }, signature: { valid: true, secretId: SECRET_ID } });
    const dismissed = await api('/api/dismiss-room', { method: 'POST', body: JSON.stringify({ strRoomId: 'lobby' }) });
    expect(dismissed).toMatchObject({ status: 200, body: { action: 'DismissRoomByStrRoomId' } });
    expect(standIn.requests.at(-1)).toMatchObject({ headers: { 'x-tc-action': 'DismissRoomByStrRoomId' }, json: { SdkAppId: SDK_APP_ID, RoomId: 'lobby' } });
  });

  it("the API's refusal and bad parameters reach the page as the server module's errors", async () => {
    const api = await devServer(fullEnv());
    standIn.answer({ kind: 'error', code: 'FailedOperation.RoomNotExist', message: `no such room (key ${API_SECRET_KEY})`, requestId: 'req-9' });
    const refused = await api('/api/dismiss-room', { method: 'POST', body: JSON.stringify({ roomId: 8888 }) });
    expect(refused).toMatchObject({ status: 502, body: { error: { code: 'SERVER_API_FAILED', action: 'DismissRoom', apiCode: 'FailedOperation.RoomNotExist', requestId: 'req-9' } } });
    const calls = standIn.requests.length;
    const invalid = await api('/api/remove-user', { method: 'POST', body: JSON.stringify({ roomId: 0, userIds: ['alice'] }) });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PARAMETER', field: 'roomId' } } });
    expect(standIn.requests).toHaveLength(calls);
  });
});

describe("the demo's dev server answers its own page only", () => {
  it.each([
    ['another origin', { origin: 'http://evil.example' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['an opaque origin', { origin: 'null' }],
  ])('%s: 403, and no API call', async (_, headers) => {
    const api = await devServer(fullEnv());
    const calls = standIn.requests.length;
    expect(await api('/api/usersig?userId=alice', { headers })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const removed = await api('/api/remove-user', { method: 'POST', body: JSON.stringify({ roomId: 8888, userIds: ['alice'] }), headers });
    expect(removed.status).toBe(403);
    expect(standIn.requests).toHaveLength(calls);
  });

  it('a POST that is not JSON, too large or unreadable is refused before any call; other paths go on to Vite', async () => {
    const api = await devServer(fullEnv());
    const calls = standIn.requests.length;
    expect((await api('/api/dismiss-room', { method: 'POST', body: 'roomId=1', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await api('/api/dismiss-room', { method: 'POST', body: JSON.stringify({ roomId: 1, pad: 'x'.repeat(20_000) }) })).status).toBe(413);
    expect((await api('/api/dismiss-room', { method: 'POST', body: '[1]' })).status).toBe(400);
    expect(standIn.requests).toHaveLength(calls);
    expect((await api('/api/usersig', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await api('/main.ts')).status).toBe(418);
  });
});
