import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRoomServer, isRoomServerError, RoomServerError } from 'trtc-room-machine/server';
import type { RoomServer, RoomServerOptions } from 'trtc-room-machine/server';
import { startApiStandIn } from '../support/api-stand-in.js';
import type { ApiStandIn } from '../support/api-stand-in.js';

const SDK_APP_ID = 1400000001;
// Made-up credentials of the consoles' shapes.
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const API_SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const SECRETS = [SECRET_KEY, SECRET_ID, API_SECRET_KEY];

let standIn: ApiStandIn;
let server: RoomServer;

function serverFor(options: Partial<RoomServerOptions> = {}): RoomServer {
  return createRoomServer({
    sdkAppId: SDK_APP_ID,
    secretKey: SECRET_KEY,
    secretId: SECRET_ID,
    apiSecretKey: API_SECRET_KEY,
    endpoint: standIn.endpoint,
    agent: standIn.agent,
    ...options,
  });
}

/** Everything an error holds, however deep, as a logger might print it. */
const everything = (error: unknown) => inspect(error, { depth: Infinity, showHidden: true }) + JSON.stringify(error);

async function failure(promise: Promise<unknown>): Promise<RoomServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RoomServerError);
  return error as RoomServerError;
}

beforeEach(async () => {
  standIn = await startApiStandIn(API_SECRET_KEY);
  server = serverFor();
});

afterEach(async () => {
  await standIn.close();
});

describe('the four TRTC API actions, as the official client sends them', () => {
  it.each([
    ['removeUser by roomId', 'RemoveUser', () => server.removeUser({ roomId: 8888, userIds: ['alice', 'bob'] }), { SdkAppId: SDK_APP_ID, RoomId: 8888, UserIds: ['alice', 'bob'] }],
    ['removeUser by strRoomId', 'RemoveUserByStrRoomId', () => server.removeUser({ strRoomId: 'lobby-1', userIds: ['alice'] }), { SdkAppId: SDK_APP_ID, RoomId: 'lobby-1', UserIds: ['alice'] }],
    ['dismissRoom by roomId', 'DismissRoom', () => server.dismissRoom({ roomId: 8888 }), { SdkAppId: SDK_APP_ID, RoomId: 8888 }],
    ['dismissRoom by strRoomId', 'DismissRoomByStrRoomId', () => server.dismissRoom({ strRoomId: 'lobby-1' }), { SdkAppId: SDK_APP_ID, RoomId: 'lobby-1' }],
  ] as const)('%s: POST / with X-TC-Action %s, a TC3 signature by the API key, the JSON body', async (_, action, call, body) => {
    await expect(call()).resolves.toEqual({ requestId: 'stand-in-1' });

    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/', json: body });
    expect(request?.headers).toMatchObject({
      host: expect.stringMatching(/^trtc\.tencentcloudapi\.com:\d+$/),
      'x-tc-action': action,
      'x-tc-version': '2019-07-22',
      'x-tc-region': 'ap-guangzhou',
      'content-type': 'application/json',
    });
    // Signed with the API key pair (never with the application's SecretKey), for the service trtc.
    expect(request?.signature).toEqual({ valid: true, secretId: SECRET_ID, date: expect.any(String), service: 'trtc', signedHeaders: 'content-type;host' });
    for (const secret of SECRETS.filter((secret) => secret !== SECRET_ID)) expect(JSON.stringify(request?.headers) + request?.body).not.toContain(secret);
  });

  it('a region and a plain loopback endpoint are used as given', async () => {
    await serverFor({ region: 'ap-singapore', endpoint: standIn.loopbackEndpoint }).dismissRoom({ roomId: 1 });
    expect(standIn.requests[0]?.headers['x-tc-region']).toBe('ap-singapore');
    expect(standIn.requests[0]?.signature).toMatchObject({ valid: true, service: '127' });
  });

  it('a signature made with another key does not verify (the stand-in really checks)', async () => {
    const error = await failure(serverFor({ apiSecretKey: 'not-the-key' }).dismissRoom({ roomId: 1 }));
    expect(standIn.requests[0]?.signature.valid).toBe(false);
    expect(error).toMatchObject({ code: 'SERVER_API_FAILED', apiCode: 'AuthFailure.SignatureFailure' });
  });
});

describe("the API's answers and silences become typed errors", () => {
  it('an Error response: SERVER_API_FAILED with its Code, Message and RequestId', async () => {
    standIn.answer({ kind: 'error', code: 'InvalidParameter.RoomId', message: 'RoomId is invalid', requestId: 'req-42' });
    const error = await failure(server.removeUser({ roomId: 8888, userIds: ['alice'] }));
    expect(isRoomServerError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'RoomError',
      code: 'SERVER_API_FAILED',
      action: 'RemoveUser',
      apiCode: 'InvalidParameter.RoomId',
      requestId: 'req-42',
      message: 'RemoveUser failed: InvalidParameter.RoomId: RoomId is invalid (RequestId req-42)',
    });
    expect(error.toJSON()).toEqual({
      code: 'SERVER_API_FAILED',
      message: error.message,
      action: 'RemoveUser',
      apiCode: 'InvalidParameter.RoomId',
      requestId: 'req-42',
    });
  });

  it('an HTTP error status: SERVER_API_FAILED with httpStatus', async () => {
    standIn.answer({ kind: 'status', status: 502 });
    const error = await failure(server.dismissRoom({ strRoomId: 'lobby' }));
    expect(error).toMatchObject({ code: 'SERVER_API_FAILED', action: 'DismissRoomByStrRoomId', httpStatus: 502 });
    expect(error.apiCode).toBeUndefined();
  });

  it('nothing listening: SERVER_API_FAILED saying so', async () => {
    const endpoint = standIn.loopbackEndpoint;
    await standIn.close();
    const error = await failure(serverFor({ endpoint }).dismissRoom({ roomId: 1 }));
    expect(error).toMatchObject({ code: 'SERVER_API_FAILED', action: 'DismissRoom' });
    expect(error.message).toContain('ECONNREFUSED');
    standIn = await startApiStandIn(API_SECRET_KEY);
  });

  it('no answer: SERVER_TIMEOUT at timeoutMs, and the request is abandoned (not left open)', async () => {
    standIn.answer({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(serverFor({ timeoutMs: 300 }).removeUser({ roomId: 8888, userIds: ['alice'] }));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'SERVER_TIMEOUT', action: 'RemoveUser' });
    expect(error.message).toMatch(/no answer from trtc\.tencentcloudapi\.com:\d+ within 300 ms; Tencent may still have carried it out/);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1_500);
    await expect.poll(() => standIn.requests[0]?.abandoned).toBe(true);
  });

  it('no secret in any error, its cause or its JSON, even when the API quotes them', async () => {
    standIn.answer({ kind: 'error', code: 'AuthFailure.SecretIdNotFound', message: `SecretId ${SECRET_ID} not found; key ${API_SECRET_KEY} / ${SECRET_KEY}` });
    const quoted = await failure(server.removeUser({ roomId: 8888, userIds: ['alice'] }));
    standIn.answer({ kind: 'hang' });
    const timedOut = await failure(serverFor({ timeoutMs: 100 }).dismissRoom({ roomId: 1 }));
    const unreachable = await failure(serverFor({ endpoint: 'http://127.0.0.1:1' }).dismissRoom({ roomId: 1 }));

    expect(quoted.message).toContain('[redacted]');
    expect(quoted.cause).toMatchObject({ name: 'TencentCloudSDKHttpException', code: 'AuthFailure.SecretIdNotFound' });
    for (const error of [quoted, timedOut, unreachable]) {
      for (const secret of SECRETS) expect(everything(error)).not.toContain(secret);
    }
  });

  it('the server object itself shows no secret when logged', () => {
    for (const secret of SECRETS) expect(inspect(server, { depth: Infinity, showHidden: true })).not.toContain(secret);
  });
});
