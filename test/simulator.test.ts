// Conformance of the simulator to the measured behaviour of trtc-sdk-v5 5.17.1
// (docs/sdk-facts.md). Each test is named after the fact it checks.
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODE, SimulatedCloud, SimulatedRtcError } from '../src/adapters/simulator/index.js';
import type { SimulatedCall, SimulatedClient, SimulatedRoomRef } from '../src/adapters/simulator/index.js';
import { watch } from './support/watch.js';

type EnterConfig = Parameters<SimulatedClient['enterRoom']>[0];
type Logged = [event: string, payload: unknown];

const APP = 1400000001;
const ROOM: SimulatedRoomRef = { sdkAppId: APP, roomId: 123 };
const STR_ROOM: SimulatedRoomRef = { sdkAppId: APP, strRoomId: 'lobby' };
const CSC = 'connection-state-changed';
const EVENTS = [CSC, 'kicked-out', 'error', 'remote-user-enter', 'remote-user-exit'];

function config(userId: string, room: Partial<EnterConfig> = { roomId: 123 }): EnterConfig {
  return { sdkAppId: APP, userId, userSig: `sig-${userId}`, ...room };
}

/** A valid config with some keys changed; a key set to `undefined` is removed. */
function patched(patch: Record<string, unknown>): EnterConfig {
  const params: Record<string, unknown> = { ...config('alice'), ...patch };
  for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
  return params as unknown as EnterConfig;
}

/** Records every SDK event the client emits, in order. */
function events(client: SimulatedClient): Logged[] {
  const log: Logged[] = [];
  for (const event of EVENTS) client.on(event, (payload: unknown) => void log.push([event, payload]));
  return log;
}

const remote = (log: Logged[]): Logged[] => log.filter(([event]) => event.startsWith('remote-user-'));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function inRoom(cloud: SimulatedCloud, userId: string, room?: Partial<EnterConfig>): Promise<SimulatedClient> {
  const client = cloud.createClient({ label: userId });
  await client.enterRoom(config(userId, room));
  return client;
}

/** alice, then bob, in one room, each with an event log started after both joined. */
async function pair(cloud: SimulatedCloud, room: Partial<EnterConfig> = { roomId: 123 }) {
  const alice = await inRoom(cloud, 'alice', room);
  const bob = await inRoom(cloud, 'bob', room);
  return { alice, bob, aliceLog: events(alice), bobLog: events(bob) };
}

describe('the SDK surface', () => {
  it('TRTC.ERROR_CODE: 5000 5100 5200 5300 5400 5500 5998 5999', () => {
    expect(ERROR_CODE).toEqual({
      INVALID_PARAMETER: 5000,
      INVALID_OPERATION: 5100,
      ENV_NOT_SUPPORTED: 5200,
      DEVICE_ERROR: 5300,
      SERVER_ERROR: 5400,
      OPERATION_FAILED: 5500,
      OPERATION_ABORT: 5998,
      UNKNOWN_ERROR: 5999,
    });
  });

  it('the instance is an event emitter with public on, off and emit', () => {
    const client = new SimulatedCloud().createClient();
    const seen: unknown[] = [];
    client.on('custom', (payload: unknown) => void seen.push(payload));
    client.emit('custom', 1);
    expect(seen).toEqual([1]);
  });

  it('errors are RtcError objects with code, extraCode and functionName', async () => {
    const client = new SimulatedCloud().createClient();
    const error: unknown = await client.enterRoom(patched({ sdkAppId: 0 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatedRtcError);
    expect(error).toMatchObject({ name: 'RtcError', code: 5000, extraCode: 5003, functionName: 'enterRoom' });
  });
});

describe('enterRoom parameter checks: code 5000 with the SDK extraCode', () => {
  it.each([
    { fact: 'sdkAppId 0', patch: { sdkAppId: 0 }, extraCode: 5003 },
    { fact: 'sdkAppId not a number', patch: { sdkAppId: String(APP) }, extraCode: 5003 },
    { fact: 'userId missing', patch: { userId: undefined }, extraCode: 5002 },
    { fact: 'userId blank', patch: { userId: '   ' }, extraCode: 5003 },
    { fact: 'userSig missing', patch: { userSig: undefined }, extraCode: 5001 },
    { fact: 'roomId 0.5', patch: { roomId: 0.5 }, extraCode: 5013 },
    { fact: 'roomId -1', patch: { roomId: -1 }, extraCode: 5013 },
    { fact: 'roomId 4294967295', patch: { roomId: 4294967295 }, extraCode: 5013 },
    { fact: 'roomId a string', patch: { roomId: '123' }, extraCode: 5016 },
    { fact: 'neither roomId nor strRoomId', patch: { roomId: undefined }, extraCode: 5015 },
    { fact: 'roomId 0 (missing) and no strRoomId', patch: { roomId: 0 }, extraCode: 5015 },
    { fact: 'strRoomId of 65 chars', patch: { roomId: undefined, strRoomId: 'a'.repeat(65) }, extraCode: 5012 },
    { fact: "strRoomId with '*'", patch: { roomId: undefined, strRoomId: 'a*b' }, extraCode: 5012 },
    { fact: "strRoomId with '/'", patch: { roomId: undefined, strRoomId: 'a/b' }, extraCode: 5012 },
    { fact: 'scene not rtc/live', patch: { scene: 'meeting' }, extraCode: 5005 },
    { fact: 'role not anchor/audience', patch: { role: 'host' }, extraCode: 5005 },
  ])('$fact: rejects 5000/$extraCode', async ({ patch, extraCode }) => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    await expect(client.enterRoom(patched(patch))).rejects.toMatchObject({ code: 5000, extraCode });
    await cloud.flush();
    expect(client.state).toBe('idle');
  });

  it('userId length and charset are not checked', async () => {
    const cloud = new SimulatedCloud();
    const userId = `${'u'.repeat(40)} é/*`;
    await inRoom(cloud, userId);
    expect(cloud.usersIn(ROOM)).toEqual([userId]);
  });

  it('roomId 4294967294 and a 64-char strRoomId of allowed characters are accepted', async () => {
    const cloud = new SimulatedCloud();
    const strRoomId = 'Room 9!#$%&()+-:;<=.>?@[]^_{}|~,'.padEnd(64, 'x');
    await inRoom(cloud, 'alice', { roomId: 4294967294 });
    await inRoom(cloud, 'bob', { strRoomId });
    expect(cloud.usersIn({ sdkAppId: APP, roomId: 4294967294 })).toEqual(['alice']);
    expect(cloud.usersIn({ sdkAppId: APP, strRoomId })).toEqual(['bob']);
  });

  it('roomId 0 counts as missing: strRoomId is used', async () => {
    const cloud = new SimulatedCloud();
    await inRoom(cloud, 'alice', { roomId: 0, strRoomId: 'lobby' });
    expect(cloud.usersIn(STR_ROOM)).toEqual(['alice']);
  });

  it('roomId wins if both roomId and strRoomId are given', async () => {
    const cloud = new SimulatedCloud();
    await inRoom(cloud, 'alice', { roomId: 123, strRoomId: 'lobby' });
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
    expect(cloud.usersIn(STR_ROOM)).toEqual([]);
  });
});

describe('enterRoom', () => {
  it('a second enterRoom while the first is in flight rejects at once: 5998 "already start"', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 20 });
    const client = cloud.createClient({ label: 'alice' });
    const entering = client.enterRoom(config('alice'));
    const first = watch(entering);
    const second = watch(client.enterRoom(config('alice')));
    await tick();
    expect(second).toMatchObject({ state: 'rejected', error: { code: 5998, message: expect.stringContaining('already start') } });
    expect(first.state).toBe('pending');
    await entering;
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
  });

  it('a second enterRoom once joined rejects 5100/5104', async () => {
    const cloud = new SimulatedCloud();
    const client = await inRoom(cloud, 'alice');
    await expect(client.enterRoom(config('alice', { roomId: 456 }))).rejects.toMatchObject({ code: 5100, extraCode: 5104 });
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
    expect(cloud.usersIn({ sdkAppId: APP, roomId: 456 })).toEqual([]);
  });

  it('after a failed enterRoom, enterRoom can be called again on the same instance and succeed', async () => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    client.injectFault('enterRoom', { kind: 'reject' });
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5400 });
    expect(cloud.usersIn(ROOM)).toEqual([]);
    await client.enterRoom(config('alice'));
    expect(client.state).toBe('inRoom');
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
  });

  it('server rejects the join: 5400 with extraCode = the server code (-100018 userSig check failed)', async () => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    client.injectFault('enterRoom', { kind: 'reject' });
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5400, extraCode: -100018 });
    expect(client.state).toBe('idle');
  });

  it('unreachable signalling: enterRoom stays pending, retries every 2 s, error event 5500/5501 after ~4 s', async () => {
    vi.useFakeTimers();
    try {
      const client = new SimulatedCloud().createClient();
      const log = events(client);
      client.injectFault('enterRoom', { kind: 'unreachable' });
      const enter = watch(client.enterRoom(config('alice')));
      await vi.advanceTimersByTimeAsync(3000);
      expect(log.filter(([name]) => name === 'error')).toEqual([]);
      await vi.advanceTimersByTimeAsync(2000);
      expect(enter.state).toBe('pending');
      expect(log).toContainEqual([CSC, expect.objectContaining({ prevState: 'CONNECTING', state: 'DISCONNECTED' })]);
      expect(log).toContainEqual(['error', expect.objectContaining({ code: 5500, extraCode: 5501 })]);
      client.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('server never answers: after ~10 s enterRoom rejects 5400 "join room timeout"', async () => {
    vi.useFakeTimers();
    try {
      const client = new SimulatedCloud().createClient();
      client.injectFault('enterRoom', { kind: 'noAnswer' });
      const enter = watch(client.enterRoom(config('alice')));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(enter.state).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(enter).toMatchObject({ state: 'rejected', error: { code: 5400, message: 'join room timeout' } });
      expect(client.state).toBe('idle');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('exitRoom', () => {
  it('not in a room (never entered, after a kick, after destroy): resolves at once, does nothing', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 20 });
    const fresh = cloud.createClient({ label: 'fresh' });
    const kicked = await inRoom(cloud, 'kicked');
    const bob = await inRoom(cloud, 'bob');
    await cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['kicked'] });
    await cloud.flush();
    const destroyed = cloud.createClient({ label: 'destroyed' });
    destroyed.destroy();
    const logs = [fresh, kicked, destroyed, bob].map(events);

    const exits = [fresh, kicked, destroyed].map((client) => watch(client.exitRoom()));
    await tick();
    expect(exits.map((exit) => exit.state)).toEqual(['resolved', 'resolved', 'resolved']);
    await cloud.flush();
    expect(logs.flat()).toEqual([]);
    expect(cloud.usersIn(ROOM)).toEqual(['bob']);
  });

  it('during an in-flight enterRoom: does not cancel it, waits, then leaves', async () => {
    const cloud = new SimulatedCloud();
    const bob = await inRoom(cloud, 'bob');
    const bobLog = events(bob);
    const client = cloud.createClient({ label: 'alice' });
    const order: string[] = [];
    const entering = client.enterRoom(config('alice')).then(() => order.push('entered'));
    const exiting = client.exitRoom().then(() => order.push('exited'));
    await Promise.all([entering, exiting]);
    expect(order).toEqual(['entered', 'exited']);
    expect(client.state).toBe('idle');
    expect(cloud.usersIn(ROOM)).toEqual(['bob']);
    expect(bobLog).toEqual([
      ['remote-user-enter', { userId: 'alice' }],
      ['remote-user-exit', { userId: 'alice' }],
    ]);
  });

  it('if the enter never settles, exitRoom never settles either; destroy() ends both', async () => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    client.injectFault('enterRoom', { kind: 'hang' });
    const entering = client.enterRoom(config('alice'));
    const exiting = client.exitRoom();
    const enter = watch(entering);
    const exit = watch(exiting);
    await inRoom(cloud, 'bob');
    await cloud.flush();
    await tick(5);
    expect([enter.state, exit.state]).toEqual(['pending', 'pending']);

    client.destroy();
    await expect(entering).rejects.toMatchObject({ code: 5100 });
    await expect(exiting).resolves.toBeUndefined();
    expect(cloud.usersIn(ROOM)).toEqual(['bob']);
  });

  it('two exitRoom calls at once both resolve together', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    const first = watch(alice.exitRoom());
    const second = watch(alice.exitRoom());
    await cloud.flush();
    expect([first.state, second.state]).toEqual(['resolved', 'resolved']);
    expect(alice.state).toBe('idle');
    expect(bobLog).toEqual([['remote-user-exit', { userId: 'alice' }]]);
  });
});

describe('destroy', () => {
  it('while in a room: throws 5100 after having removed every listener and left (half-dead instance)', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    expect(alice.listenerCount()).toBeGreaterThan(0);
    const error = thrown(() => alice.destroy());
    expect(error).toMatchObject({ code: 5100, message: expect.stringContaining('leave() before destroy()') });
    expect(alice.listenerCount()).toBe(0);
    expect(cloud.usersIn(ROOM)).toEqual(['bob']);
    expect(bobLog).toEqual([['remote-user-exit', { userId: 'alice' }]]);
    expect(() => alice.destroy()).not.toThrow();
  });

  it('during an in-flight enterRoom: the enter rejects 5100 "client was destroyed", a pending exitRoom resolves', async () => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    const entering = client.enterRoom(config('alice'));
    const exiting = client.exitRoom();
    expect(() => client.destroy()).not.toThrow();
    await expect(entering).rejects.toMatchObject({ code: 5100, message: 'client was destroyed' });
    await expect(exiting).resolves.toBeUndefined();
    await cloud.flush();
    expect(cloud.usersIn(ROOM)).toEqual([]);
  });

  it('after destroy: enterRoom rejects 5100, exitRoom resolves, a second destroy does nothing', async () => {
    const cloud = new SimulatedCloud();
    const client = cloud.createClient({ label: 'alice' });
    client.destroy();
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5100 });
    await expect(client.exitRoom()).resolves.toBeUndefined();
    expect(() => client.destroy()).not.toThrow();
    await cloud.flush();
    expect(client.state).toBe('destroyed');
    expect(cloud.usersIn(ROOM)).toEqual([]);
  });
});

describe('kicked-out', () => {
  it("reason 'kick': the same userId entered the same room elsewhere", async () => {
    const cloud = new SimulatedCloud();
    const first = await inRoom(cloud, 'alice');
    const log = events(first);
    const second = cloud.createClient({ label: 'alice-2' });
    await second.enterRoom(config('alice'));
    expect(log).toContainEqual(['kicked-out', { reason: 'kick' }]);
    expect([first.state, second.state]).toEqual(['idle', 'inRoom']);
  });

  it("after a 'kick' the newcomer is the one in the room, even when the kicked one was alone", async () => {
    const cloud = new SimulatedCloud();
    await inRoom(cloud, 'alice');
    await inRoom(cloud, 'alice');
    const bob = cloud.createClient({ label: 'bob' });
    const bobLog = events(bob);
    await bob.enterRoom(config('bob'));
    expect(cloud.usersIn(ROOM)).toEqual(['alice', 'bob']);
    expect(remote(bobLog)).toEqual([['remote-user-enter', { userId: 'alice' }]]);
  });

  it("reason 'banned': server RemoveUser", async () => {
    const cloud = new SimulatedCloud();
    const { bob, aliceLog, bobLog } = await pair(cloud);
    await cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['bob'] });
    await cloud.flush();
    expect(bobLog).toContainEqual(['kicked-out', { reason: 'banned' }]);
    expect(bob.state).toBe('idle');
    expect(aliceLog).toEqual([['remote-user-exit', { userId: 'bob' }]]);
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
  });

  it("reason 'banned': server RemoveUserByStrRoomId", async () => {
    const cloud = new SimulatedCloud();
    const { aliceLog, bobLog } = await pair(cloud, { strRoomId: 'lobby' });
    await cloud.removeUserByStrRoomId({ sdkAppId: APP, strRoomId: 'lobby', userIds: ['bob'] });
    await cloud.flush();
    expect(bobLog).toContainEqual(['kicked-out', { reason: 'banned' }]);
    expect(aliceLog).toEqual([['remote-user-exit', { userId: 'bob' }]]);
    expect(cloud.usersIn(STR_ROOM)).toEqual(['alice']);
  });

  it("reason 'room_disband': server DismissRoom kicks everyone", async () => {
    const cloud = new SimulatedCloud();
    const { aliceLog, bobLog } = await pair(cloud);
    await cloud.dismissRoom({ sdkAppId: APP, roomId: 123 });
    await cloud.flush();
    for (const log of [aliceLog, bobLog]) expect(log).toContainEqual(['kicked-out', { reason: 'room_disband' }]);
    expect(cloud.usersIn(ROOM)).toEqual([]);
  });

  it("reason 'room_disband': server DismissRoomByStrRoomId kicks everyone", async () => {
    const cloud = new SimulatedCloud();
    const { aliceLog, bobLog } = await pair(cloud, { strRoomId: 'lobby' });
    await cloud.dismissRoomByStrRoomId({ sdkAppId: APP, strRoomId: 'lobby' });
    await cloud.flush();
    for (const log of [aliceLog, bobLog]) expect(log).toContainEqual(['kicked-out', { reason: 'room_disband' }]);
    expect(cloud.usersIn(STR_ROOM)).toEqual([]);
  });

  it('the SDK has already left before the event: CONNECTED → DISCONNECTED first, then kicked-out', async () => {
    const cloud = new SimulatedCloud();
    const { alice, aliceLog } = await pair(cloud);
    let usersWhenTold: string[] = [];
    alice.on('kicked-out', () => void (usersWhenTold = cloud.usersIn(ROOM)));
    await cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['alice'] });
    await cloud.flush();
    expect(aliceLog).toEqual([
      [CSC, { prevState: 'CONNECTED', state: 'DISCONNECTED' }],
      ['kicked-out', { reason: 'banned' }],
    ]);
    expect(usersWhenTold).toEqual(['bob']);
  });

  it('after a kick, exitRoom resolves with no effect and enterRoom works again', async () => {
    const cloud = new SimulatedCloud();
    const { alice, aliceLog, bobLog } = await pair(cloud);
    await cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['alice'] });
    await cloud.flush();
    aliceLog.length = 0;
    bobLog.length = 0;
    await alice.exitRoom();
    await cloud.flush();
    expect([...aliceLog, ...bobLog]).toEqual([]);
    await alice.enterRoom(config('alice'));
    expect(alice.state).toBe('inRoom');
    expect(cloud.usersIn(ROOM)).toEqual(['bob', 'alice']);
  });
});

describe('connection and errors while in the room', () => {
  it('connection lost: CONNECTED → DISCONNECTED, then CONNECTING (isReconnecting); the SDK stays in the room', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice');
    const log = events(alice);
    alice.dropConnection();
    expect(log).toEqual([
      [CSC, { prevState: 'CONNECTED', state: 'DISCONNECTED' }],
      [CSC, { prevState: 'DISCONNECTED', state: 'CONNECTING', isReconnecting: true }],
    ]);
    await tick(5);
    await inRoom(cloud, 'bob');
    expect(alice.state).toBe('inRoom');
    expect(cloud.usersIn(ROOM)).toEqual(['alice', 'bob']);
    expect(remote(log)).toEqual([['remote-user-enter', { userId: 'bob' }]]);
  });

  it('reconnected: → CONNECTED', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice');
    alice.dropConnection();
    const log = events(alice);
    alice.restoreConnection();
    expect(log).toEqual([[CSC, { prevState: 'CONNECTING', state: 'CONNECTED' }]]);
  });

  it('after the third failed reconnect attempt: one error event 5500/5501; the SDK stays in the room', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice');
    alice.dropConnection();
    const log = events(alice);
    alice.warnReconnectFailing();
    expect(log).toEqual([['error', expect.objectContaining({ code: 5500, extraCode: 5501 })]]);
    expect(alice.state).toBe('inRoom');
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
  });

  it('rejoin fails: error event 5400 with extraCode 0, the SDK having already left the room', async () => {
    const cloud = new SimulatedCloud();
    const { alice, aliceLog, bobLog } = await pair(cloud);
    let usersWhenTold: string[] = [];
    alice.on('error', () => void (usersWhenTold = cloud.usersIn(ROOM)));
    alice.failRejoin();
    expect(aliceLog.filter(([event]) => event === 'error')).toEqual([
      ['error', expect.objectContaining({ code: 5400, extraCode: 0 })],
    ]);
    expect(usersWhenTold).toEqual(['bob']);
    expect(bobLog).toEqual([['remote-user-exit', { userId: 'alice' }]]);
    expect(alice.state).toBe('idle');
  });
});

describe('several clients in one cloud', () => {
  it('remote-user-enter / remote-user-exit with { userId }, including users already in the room', async () => {
    const cloud = new SimulatedCloud();
    const join = async (userId: string) => {
      const client = cloud.createClient({ label: userId });
      const log = events(client);
      await client.enterRoom(config(userId));
      return { client, log };
    };
    const alice = await join('alice');
    const bob = await join('bob');
    const carol = await join('carol');
    await bob.client.exitRoom();
    const enter = (userId: string): Logged => ['remote-user-enter', { userId }];
    const exit = (userId: string): Logged => ['remote-user-exit', { userId }];
    expect(remote(alice.log)).toEqual([enter('bob'), enter('carol'), exit('bob')]);
    expect(remote(bob.log)).toEqual([enter('alice'), enter('carol')]);
    expect(remote(carol.log)).toEqual([enter('alice'), enter('bob'), exit('bob')]);
    expect(cloud.usersIn(ROOM)).toEqual(['alice', 'carol']);
  });

  it("numeric roomId 123 and strRoomId '123' are different rooms", async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice', { roomId: 123 });
    const log = events(alice);
    await inRoom(cloud, 'bob', { strRoomId: '123' });
    expect(remote(log)).toEqual([]);
    expect(cloud.usersIn(ROOM)).toEqual(['alice']);
    expect(cloud.usersIn({ sdkAppId: APP, strRoomId: '123' })).toEqual(['bob']);
  });
});

describe('fault injection', () => {
  it('reject with code and extraCode uses them (docs: -100013 no credit)', async () => {
    const client = new SimulatedCloud().createClient();
    client.injectFault('enterRoom', { kind: 'reject', code: 5400, extraCode: -100013 });
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5400, extraCode: -100013 });
  });

  it('throw: enterRoom, exitRoom and destroy throw synchronously, once', async () => {
    const client = new SimulatedCloud().createClient();
    client.injectFault('enterRoom', { kind: 'throw' });
    expect(() => client.enterRoom(config('alice'))).toThrow();
    await client.enterRoom(config('alice'));

    client.injectFault('exitRoom', { kind: 'throw' });
    expect(() => client.exitRoom()).toThrow();
    expect(client.state).toBe('inRoom');
    await client.exitRoom();

    client.injectFault('destroy', { kind: 'throw' });
    expect(() => client.destroy()).toThrow();
    expect(client.state).toBe('idle');
    client.destroy();
    expect(client.state).toBe('destroyed');
  });

  it('faults queue up, one per call', async () => {
    const client = new SimulatedCloud().createClient();
    client.injectFault('enterRoom', { kind: 'reject' });
    client.injectFault('enterRoom', { kind: 'reject', code: 5500 });
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5400, extraCode: -100018 });
    await expect(client.enterRoom(config('alice'))).rejects.toMatchObject({ code: 5500 });
    await expect(client.enterRoom(config('alice'))).resolves.toBeUndefined();
  });
});

describe('call log', () => {
  it('client.calls records each call and its outcome; onCall sees them', async () => {
    const client = new SimulatedCloud().createClient({ label: 'alice' });
    const seen: SimulatedCall[] = [];
    const stop = client.onCall((call) => void seen.push(call));
    const handler = (): void => undefined;
    client.on('kicked-out', handler);
    client.off('kicked-out', handler);
    await client.enterRoom(config('alice'));
    await expect(client.enterRoom(config('alice'))).rejects.toThrow();
    client.injectFault('exitRoom', { kind: 'throw' });
    expect(() => client.exitRoom()).toThrow();
    await client.exitRoom();
    stop();
    client.destroy();

    const lines = client.calls.map(({ method, phase, code, event }) => [method, phase, code ?? event ?? ''].join(' ').trim());
    expect(lines).toEqual([
      'on call kicked-out',
      'off call kicked-out',
      'enterRoom call',
      'enterRoom resolve',
      'enterRoom call',
      'enterRoom reject 5100',
      'exitRoom call',
      'exitRoom throw 5500',
      'exitRoom call',
      'exitRoom resolve',
      'destroy call',
      'destroy resolve',
    ]);
    expect(client.calls.every((call) => call.client === 'alice')).toBe(true);
    const seqs = client.calls.map((call) => call.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seen).toEqual(client.calls.slice(0, -2));
  });
});

describe('switchRole / switchRoom', () => {
  it('switchRole needs entering or in-room (else 5100/5101); only anchor/audience (5005)', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 5 });
    const client = cloud.createClient();
    await expect(client.switchRole('anchor')).rejects.toMatchObject({ code: 5100, extraCode: 5101 });
    const entering = client.enterRoom(config('alice', { roomId: 123, scene: 'live' }));
    await expect(client.switchRole('audience')).resolves.toBeUndefined();
    await entering;
    expect(client.role).toBe('audience');
    await expect(client.switchRole('host' as 'anchor')).rejects.toMatchObject({ code: 5000, extraCode: 5005 });
  });

  it('switchRoom needs in-room (5101); the same room gives 5020; userSig is required (5001)', async () => {
    const client = new SimulatedCloud().createClient();
    await expect(client.switchRoom({ roomId: 456, userSig: 'sig' })).rejects.toMatchObject({ code: 5100, extraCode: 5101 });
    await client.enterRoom(config('alice'));
    await expect(client.switchRoom({ roomId: 123, userSig: 'sig' })).rejects.toMatchObject({ code: 5000, extraCode: 5020 });
    await expect(client.switchRoom({ roomId: 456 })).rejects.toMatchObject({ code: 5000, extraCode: 5001 });
    await expect(client.switchRoom({ strRoomId: 'lobby', userSig: 'sig' })).rejects.toMatchObject({ code: 5000, extraCode: 5019 });
    await expect(client.switchRoom({ roomId: 0.5, userSig: 'sig' })).rejects.toMatchObject({ code: 5000, extraCode: 5013 });
    expect(client.room).toEqual(ROOM);
  });
});
