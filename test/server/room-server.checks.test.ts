import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnterConfig } from 'trtc-room-machine';
import { createRoomServer, PRIVILEGES, RoomError } from 'trtc-room-machine/server';
import type { RoomServer } from 'trtc-room-machine/server';
import { startApiStandIn } from '../support/api-stand-in.js';
import type { ApiStandIn } from '../support/api-stand-in.js';
import { decodeTls, tlsHmac } from '../support/tls-doc.js';

const SDK_APP_ID = 1400000001;
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const API_SECRET_KEY = 'api-secret-key-of-the-test';

let standIn: ApiStandIn;
let server: RoomServer;

beforeAll(async () => {
  standIn = await startApiStandIn(API_SECRET_KEY);
  server = createRoomServer({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY, secretId: 'AKIDtest', apiSecretKey: API_SECRET_KEY, endpoint: standIn.loopbackEndpoint });
});
afterAll(() => standIn.close());

function refusal(run: () => unknown): RoomError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomError);
    return error as RoomError;
  }
  throw new Error('expected a RoomError');
}

async function rejection(promise: Promise<unknown>): Promise<RoomError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(RoomError);
  return error as RoomError;
}

const BAD_ROOMS: Array<[string, Record<string, unknown>]> = [
  ['roomId 0 (missing, as for the SDK)', { roomId: 0 }],
  ['roomId 4294967295', { roomId: 4294967295 }],
  ['roomId 1.5', { roomId: 1.5 }],
  ['roomId -1', { roomId: -1 }],
  ['roomId as a string', { roomId: '8888' }],
  ['no room at all', {}],
  ['strRoomId with a slash', { strRoomId: 'a/b' }],
  ['strRoomId of 65 characters', { strRoomId: 'x'.repeat(65) }],
  ['strRoomId empty', { strRoomId: '' }],
];

describe('room and userId checks: the client\'s rules, before any request', () => {
  it.each(BAD_ROOMS)('%s: refused with the field enter() names, and nothing is sent', async (_, room) => {
    const before = standIn.requests.length;
    const client = refusal(() => parseEnterConfig({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig: 'sig', ...room }));
    const removed = await rejection(server.removeUser({ ...room, userIds: ['alice'] } as never));
    const dismissed = await rejection(server.dismissRoom(room as never));
    const keyed = refusal(() => server.privateMapKey('alice', room as never));
    for (const error of [removed, dismissed, keyed]) expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field: client.field });
    expect(removed.message).toBe(client.message.replace(/^enter\(\)/, 'removeUser()'));
    expect(standIn.requests.length).toBe(before);
  });

  it('the edges the client takes are taken: roomId 4294967294, a 64-character strRoomId of every allowed sign', async () => {
    await expect(server.dismissRoom({ roomId: 4294967294 })).resolves.toMatchObject({ requestId: expect.any(String) });
    const strRoomId = 'Az09 !#$%&()+-:;<=.>?@[]^_{}|~,'.padEnd(64, 'x');
    await expect(server.removeUser({ strRoomId, userIds: ['alice'] })).resolves.toMatchObject({ requestId: expect.any(String) });
    expect(standIn.requests.at(-1)?.json).toEqual({ SdkAppId: SDK_APP_ID, RoomId: strRoomId, UserIds: ['alice'] });
  });

  it('roomId and strRoomId together are refused: a server call acts on exactly one room', async () => {
    const error = await rejection(server.dismissRoom({ roomId: 1, strRoomId: 'a' } as never));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field: 'roomId' });
  });

  it.each([
    ['none', []],
    ['eleven', Array.from({ length: 11 }, (_, i) => `user${i}`)],
    ['a blank one', ['alice', '  ']],
    ['a number', [42]],
    ['not a list', 'alice'],
  ])('userIds: %s is refused (1 to 10 non-blank strings)', async (_, userIds) => {
    const error = await rejection(server.removeUser({ roomId: 8888, userIds } as never));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field: expect.stringMatching(/^userIds?$/) });
  });

  it('ten userIds are taken', async () => {
    const userIds = Array.from({ length: 10 }, (_, i) => `user${i}`);
    await server.removeUser({ roomId: 8888, userIds });
    expect(standIn.requests.at(-1)?.json).toMatchObject({ UserIds: userIds });
  });
});

describe('createRoomServer options', () => {
  it.each([0, -1, 1.5, '1400000001', undefined])('sdkAppId %s is refused', (sdkAppId) => {
    expect(refusal(() => createRoomServer({ sdkAppId } as never))).toMatchObject({ code: 'INVALID_PARAMETER', field: 'sdkAppId' });
  });

  it('a blank or padded secret is refused without its value in the message', () => {
    const error = refusal(() => createRoomServer({ sdkAppId: SDK_APP_ID, apiSecretKey: ' padded-secret ' }));
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field: 'apiSecretKey' });
    expect(error.message).not.toContain('padded-secret');
    expect(refusal(() => createRoomServer({ sdkAppId: SDK_APP_ID, secretKey: '' }))).toMatchObject({ field: 'secretKey' });
  });

  it.each(['ftp://trtc.tencentcloudapi.com', 'https://user:hunter2@trtc.tencentcloudapi.com', 'https://host/path', 'not a host'])(
    'endpoint %s is refused, and never echoed',
    (endpoint) => {
      const error = refusal(() => createRoomServer({ sdkAppId: SDK_APP_ID, endpoint }));
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field: 'endpoint' });
      expect(error.message).not.toContain('hunter2');
    },
  );

  it.each([0, -5, Number.NaN])('timeoutMs %s is refused', (timeoutMs) => {
    expect(refusal(() => createRoomServer({ sdkAppId: SDK_APP_ID, timeoutMs }))).toMatchObject({ field: 'timeoutMs' });
  });

  it('each call says which secret it lacks', async () => {
    const signsOnly = createRoomServer({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    await expect(signsOnly.removeUser({ roomId: 1, userIds: ['a'] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'secretId' });
    const callsOnly = createRoomServer({ sdkAppId: SDK_APP_ID, secretId: 'AKIDtest', apiSecretKey: API_SECRET_KEY });
    expect(refusal(() => callsOnly.userSig('alice'))).toMatchObject({ code: 'INVALID_PARAMETER', field: 'secretKey' });
  });
});

describe('userSig and privateMapKey (tls-sig-api-v2)', () => {
  it('a userSig: the TLS v2 document for this app and user, its HMAC right by an independent computation', () => {
    const before = Math.floor(Date.now() / 1000);
    const doc = decodeTls(server.userSig('alice'));
    expect(doc).toMatchObject({ 'TLS.ver': '2.0', 'TLS.identifier': 'alice', 'TLS.sdkappid': SDK_APP_ID, 'TLS.expire': 86_400 });
    expect(doc['TLS.time']).toBeGreaterThanOrEqual(before);
    expect(doc['TLS.sig']).toBe(tlsHmac(SECRET_KEY, doc));
    expect(decodeTls(server.userSig('bob', { expireSeconds: 600 }))).toMatchObject({ 'TLS.identifier': 'bob', 'TLS.expire': 600 });
  });

  it.each([
    ['a blank userId', () => server.userSig(' ')],
    ['expireSeconds 0', () => server.userSig('alice', { expireSeconds: 0 })],
    ['expireSeconds 1.5', () => server.userSig('alice', { expireSeconds: 1.5 })],
    ['privileges 0', () => server.privateMapKey('alice', { roomId: 1, privileges: 0 })],
    ['privileges 256', () => server.privateMapKey('alice', { roomId: 1, privileges: 256 })],
  ])('%s is refused', (_, run) => {
    expect(refusal(run)).toMatchObject({ code: 'INVALID_PARAMETER' });
  });

  it('a privateMapKey carries the room and the privileges in its userbuf, and is signed over it', () => {
    const doc = decodeTls(server.privateMapKey('alice', { roomId: 8888, privileges: PRIVILEGES.enterRoom | PRIVILEGES.receiveAudio }));
    expect(doc).toMatchObject({ 'TLS.identifier': 'alice', 'TLS.expire': 300 });
    expect(doc['TLS.sig']).toBe(tlsHmac(SECRET_KEY, doc));
    // userbuf: version, length and bytes of the userId, sdkAppId, roomId, expiry, privileges (32-bit big-endian each).
    const userBuf = Buffer.from(String(doc['TLS.userbuf']), 'base64');
    const at = 3 + 'alice'.length;
    expect(userBuf.readUInt32BE(at)).toBe(SDK_APP_ID);
    expect(userBuf.readUInt32BE(at + 4)).toBe(8888);
    expect(userBuf.readUInt32BE(at + 12)).toBe(10);

    const byName = Buffer.from(String(decodeTls(server.privateMapKey('alice', { strRoomId: 'lobby' }))['TLS.userbuf']), 'base64');
    expect(byName.readUInt32BE(at + 12)).toBe(255);
    expect(byName.subarray(-'lobby'.length).toString()).toBe('lobby');
  });
});

describe('server call arguments are read once', () => {
  it('a getter that throws is INVALID_PARAMETER naming the field; one that answers twice is read once', async () => {
    const { SimulatedCloud } = await import('../../src/adapters/simulator/index.js');
    const cloud = new SimulatedCloud({ sdkAppId: 1400000000 });
    const throwing = {
      get roomId(): number {
        throw new Error('boom');
      },
    };
    await expect(cloud.dismissRoom(throwing)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'roomId', cause: expect.objectContaining({ message: 'boom' }) });
    let reads = 0;
    const changing = {
      get roomId() {
        reads += 1;
        return reads === 1 ? undefined : 5;
      },
      strRoomId: 'abc',
    } as unknown as { strRoomId: string };
    await expect(cloud.dismissRoom(changing)).resolves.toMatchObject({ requestId: expect.any(String) });
    expect(reads).toBe(1);
  });
});

describe('the API endpoint', () => {
  const base = { sdkAppId: 1400000000, secretId: 'id', apiSecretKey: 'key' };
  it('plain http only to a loopback stand-in, or through an agent of the app’s own', async () => {
    const { Agent } = await import('node:http');
    expect(() => createRoomServer({ ...base, endpoint: 'http://trtc.tencentcloudapi.com' })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'endpoint', message: expect.stringContaining('loopback') }),
    );
    expect(() => createRoomServer({ ...base, endpoint: 'http://127.0.0.1:9' })).not.toThrow();
    expect(() => createRoomServer({ ...base, endpoint: 'http://[::1]:9' })).not.toThrow();
    expect(() => createRoomServer({ ...base, endpoint: 'http://trtc.tencentcloudapi.com:9', agent: new Agent() })).not.toThrow();
    expect(() => createRoomServer({ ...base, endpoint: 'https://trtc.tencentcloudapi.com' })).not.toThrow();
  });
});
