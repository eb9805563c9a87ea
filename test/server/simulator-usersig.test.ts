import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRoomController } from 'trtc-room-machine';
import { createRoomServer } from 'trtc-room-machine/server';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import { decodeTls, encodeTls, tlsHmac } from '../support/tls-doc.js';

const SDK_APP_ID = 1400000001;
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const OTHER_KEY = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
const REFUSED = { code: 5400, extraCode: -100018 };

const server = createRoomServer({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
const enter = (cloud: SimulatedCloud, userSig: string, more: Record<string, unknown> = {}) =>
  cloud.createClient().enterRoom({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig, roomId: 8888, ...more });

afterEach(() => {
  vi.useRealTimers();
});

describe('a SimulatedCloud given the SecretKey checks userSigs as the TRTC service does', () => {
  const cloud = new SimulatedCloud({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });

  it("takes a userSig from createRoomServer().userSig(), and one of its own", async () => {
    await expect(enter(cloud, server.userSig('alice'))).resolves.toBeUndefined();
    await expect(enter(cloud, cloud.userSig('alice'), { roomId: 9999 })).resolves.toBeUndefined();
    expect(cloud.usersIn({ sdkAppId: SDK_APP_ID, roomId: 8888 })).toEqual(['alice']);
  });

  it.each([
    ['signed with another key', () => createRoomServer({ sdkAppId: SDK_APP_ID, secretKey: OTHER_KEY }).userSig('alice')],
    ['issued to another user', () => server.userSig('bob')],
    ['for another application', () => createRoomServer({ sdkAppId: 1400000002, secretKey: SECRET_KEY }).userSig('alice')],
    ['with its expiry raised after signing', () => encodeTls({ ...decodeTls(server.userSig('alice')), 'TLS.expire': 999_999_999 })],
    ['with a character changed', () => server.userSig('alice').replace(/.(?=.{20}$)/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['that is not a userSig', () => 'not-a-user-sig'],
  ])('a userSig %s: enterRoom rejects 5400 / -100018, the user is not in the room', async (_, userSig) => {
    const fresh = new SimulatedCloud({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
    const client = fresh.createClient();
    await expect(client.enterRoom({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig: userSig(), roomId: 8888 })).rejects.toMatchObject(REFUSED);
    expect(client.state).toBe('idle');
    expect(fresh.usersIn({ sdkAppId: SDK_APP_ID, roomId: 8888 })).toEqual([]);
  });

  it('an expired userSig is refused; the same one was taken while valid', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const userSig = server.userSig('alice', { expireSeconds: 60 });
    await expect(enter(cloud, userSig, { roomId: 1 })).resolves.toBeUndefined();
    vi.setSystemTime(Date.now() + 61_000);
    await expect(enter(cloud, userSig, { roomId: 2 })).rejects.toMatchObject({ ...REFUSED, message: expect.stringContaining('expired') });
  });

  it('a join to another application is refused: the cloud knows only its own key', async () => {
    const userSig = createRoomServer({ sdkAppId: 1400000002, secretKey: SECRET_KEY }).userSig('alice');
    await expect(enter(cloud, userSig, { sdkAppId: 1400000002 })).rejects.toMatchObject(REFUSED);
  });

  it('switchRoom re-joins with the new userSig: a bad one is refused as the SDK refuses it', async () => {
    const client = cloud.createClient();
    await client.enterRoom({ sdkAppId: SDK_APP_ID, userId: 'carol', userSig: server.userSig('carol'), roomId: 100 });
    await expect(client.switchRoom({ roomId: 101, userSig: server.userSig('dave') })).rejects.toMatchObject(REFUSED);
  });

  it('through the controller: ENTER_FAILED with sdkCode 5400 / -100018', async () => {
    const room = createRoomController({ trtc: () => cloud.createClient() });
    const userSig = server.userSig('bob');
    const error = await room.enter({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig, roomId: 8888 }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100018 });
    await room.destroy();
  });

  it('the independent HMAC agrees with what the cloud takes', () => {
    const doc = decodeTls(cloud.userSig('alice'));
    expect(doc['TLS.sig']).toBe(tlsHmac(SECRET_KEY, doc));
  });
});

describe('a SimulatedCloud without a SecretKey', () => {
  it('takes any userSig, as before', async () => {
    await expect(enter(new SimulatedCloud(), 'anything')).resolves.toBeUndefined();
  });

  it('does not sign: userSig() says what it needs', () => {
    expect(() => new SimulatedCloud({ sdkAppId: SDK_APP_ID }).userSig('alice')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'secretKey' }) as Error,
    );
  });

  it('a secretKey needs its sdkAppId', () => {
    expect(() => new SimulatedCloud({ secretKey: SECRET_KEY })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'sdkAppId' }) as Error);
  });
});
