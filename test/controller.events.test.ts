import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoomError, stateOf as topState } from '../src/index.js';
import type { RoomEmitted } from '../src/index.js';
import { SimulatedRtcError } from '../src/adapters/simulator/index.js';
import { createHarness, enterConfig, reach, ROOM_ID, SDK_APP_ID, stateOf } from './support/harness.js';

function collect(harness: ReturnType<typeof createHarness>): string[] {
  const seen: string[] = [];
  const describe = (event: RoomEmitted): string => {
    switch (event.type) {
      case 'kicked':
        return `kicked:${event.reason}`;
      case 'connection':
        return `connection:${event.status}`;
      case 'error':
        return `error:${event.error.code}`;
      case 'warning':
        return `warning:${event.warning.sdkCode}`;
      default:
        return event.type;
    }
  };
  // Command outcomes (`*.settled`) are checked with the commands that wait for them.
  harness.room.actor.on('*', (event) => {
    if (!event.type.endsWith('.settled')) seen.push(describe(event));
  });
  return seen;
}

describe('emitted events', () => {
  it('a whole session: entered, kicked, entered again, exited, destroyed', async () => {
    const harness = createHarness();
    const seen = collect(harness);
    await harness.room.enter(enterConfig());
    await harness.cloud.dismissRoom({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID });
    await harness.cloud.flush();
    await harness.room.enter(enterConfig());
    await harness.room.exit();
    await harness.room.destroy();
    expect(seen).toEqual([
      'connection:connected',
      'entered',
      // The SDK reports the dropped connection before the kick (trtc-facts.md): within the grace,
      // so no reconnecting flashes before it.
      'connection:disconnected',
      'kicked:room_disband',
      'connection:connected',
      'entered',
      'connection:disconnected',
      'exited',
      'destroyed',
    ]);
  });

  it('on() listeners see the new state, and their unsubscribe works', async () => {
    const harness = createHarness();
    const states: string[] = [];
    const stop = harness.room.on('kicked', ({ reason }) => states.push(`${reason}@${stateOf(harness.room)}`));
    await reach(harness, 'kicked');
    stop();
    await harness.room.enter(enterConfig());
    await harness.cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] });
    await harness.cloud.flush();
    expect(stateOf(harness.room)).toBe('kicked');
    expect(states).toEqual(['banned@kicked']);
  });

  it('subscribe() returns an unsubscribe function', async () => {
    const harness = createHarness();
    const values: string[] = [];
    const stop = harness.room.subscribe((snapshot) => {
      if (values.at(-1) !== topState(snapshot)) values.push(topState(snapshot));
    });
    await harness.room.enter(enterConfig());
    stop();
    await harness.room.exit();
    expect(values).toEqual(['entering', 'inRoom']);
  });

  it('a listener that throws does not break the controller', async () => {
    const harness = createHarness();
    harness.room.on('entered', () => {
      throw new Error('listener bug');
    });
    const unhandled: unknown[] = [];
    const onError = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onError);
    try {
      await harness.room.enter(enterConfig());
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(stateOf(harness.room)).toBe('inRoom');
      await harness.room.exit();
      expect(stateOf(harness.room)).toBe('idle');
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});

describe('kick reasons', () => {
  it.each([
    ['kick', 'kick'],
    ['banned', 'banned'],
    ['room_disband', 'room_disband'],
    ['room-disband', 'room_disband'],
    ['a reason the SDK does not document', 'banned'],
  ])('the SDK says %s: the controller says %s', async (sdkReason, reason) => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.recorder.fireLate(1, 'kicked-out', { reason: sdkReason });
    expect(stateOf(harness.room)).toBe('kicked');
    expect(harness.room.getSnapshot().context.kickReason).toBe(reason);
  });
});

describe('errors carry the SDK codes and cause', () => {
  it('a refused enter: ENTER_FAILED, the same RoomError in the promise and the error event', async () => {
    const harness = createHarness();
    const emitted: RoomError[] = [];
    harness.room.on('error', ({ error }) => emitted.push(error));
    harness.client().injectFault('enterRoom', { kind: 'reject', code: 5400, extraCode: -100013, message: 'no credit' });
    const error = await harness.room.enter(enterConfig()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100013 });
    expect((error as RoomError).cause).toBeInstanceOf(SimulatedRtcError);
    expect((error as RoomError).message).toContain('no credit');
    expect(emitted).toEqual([error]);
    expect(harness.room.getSnapshot().context.error).toEqual((error as RoomError).toJSON());
    // After a failed enter, the same instance enters fine (trtc-facts.md).
    await harness.room.enter(enterConfig());
    expect(harness.clients).toHaveLength(1);
  });

  it('an enter that throws synchronously is an ENTER_FAILED rejection, not a crash', async () => {
    const harness = createHarness();
    harness.client().injectFault('enterRoom', { kind: 'throw', code: 5999 });
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5999 });
    expect(stateOf(harness.room)).toBe('idle');
  });

  it('an exitRoom that fails once is tried again: exit() resolves and the instance is kept', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.client().injectFault('exitRoom', { kind: 'reject' });
    await expect(harness.room.exit()).resolves.toBeUndefined();
    expect(harness.client().calls.filter((c) => c.method === 'exitRoom' && c.phase === 'call')).toHaveLength(2);
    expect(harness.clients.map((c) => c.state)).toEqual(['idle']);
    expect(harness.room.view().error).toBeUndefined();
  });

  it('a failing exit: EXIT_FAILED after two tries, the room is left anyway and the instance replaced', async () => {
    const harness = createHarness();
    const seen = collect(harness);
    await harness.room.enter(enterConfig());
    harness.client().injectFault('exitRoom', { kind: 'reject' });
    harness.client().injectFault('exitRoom', { kind: 'reject' });
    await expect(harness.room.exit()).rejects.toMatchObject({ code: 'EXIT_FAILED', sdkCode: 5500 });
    expect(stateOf(harness.room)).toBe('idle');
    expect(harness.clients.map((c) => c.state)).toEqual(['destroyed', 'idle']);
    expect(seen.slice(-3)).toEqual(['connection:disconnected', 'exited', 'error:EXIT_FAILED']);
    // The failure is reported once: a later exit() in idle has nothing to do and resolves.
    await expect(harness.room.exit()).resolves.toBeUndefined();
  });

  it('a plain instance whose exit fails ends destroyed', async () => {
    const harness = createHarness({ factory: false });
    await harness.room.enter(enterConfig());
    harness.client().injectFault('exitRoom', { kind: 'throw' });
    harness.client().injectFault('exitRoom', { kind: 'throw' });
    await expect(harness.room.exit()).rejects.toMatchObject({ code: 'EXIT_FAILED' });
    expect(stateOf(harness.room)).toBe('destroyed');
  });
});

describe('connection while in the room', () => {
  it('a drop shows reconnecting, a 5501 warning keeps the room, the return clears it', async () => {
    const harness = createHarness();
    const seen = collect(harness);
    await harness.room.enter(enterConfig());
    harness.client().dropConnection();
    expect(harness.room.getSnapshot().context.connection).toBe('connected');
    await vi.waitFor(() => expect(harness.room.getSnapshot().context.connection).toBe('reconnecting'));
    harness.client().warnReconnectFailing();
    expect(stateOf(harness.room)).toBe('inRoom');
    expect(harness.room.getSnapshot().context.warning).toMatchObject({ sdkCode: 5500, sdkExtraCode: 5501 });
    harness.client().restoreConnection();
    expect(harness.room.getSnapshot().context).toMatchObject({ connection: 'connected', warning: null });
    expect(seen).toEqual(['connection:connected', 'entered', 'connection:reconnecting', 'warning:5500', 'connection:connected']);
  });

  it('a failed rejoin: idle with CONNECTION_LOST, and a new enter works', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.client().dropConnection();
    harness.client().failRejoin();
    expect(stateOf(harness.room)).toBe('idle');
    expect(harness.room.getSnapshot().context).toMatchObject({
      connection: 'disconnected',
      error: { code: 'CONNECTION_LOST', sdkCode: 5400, sdkExtraCode: 0 },
    });
    await harness.room.enter(enterConfig());
    expect(stateOf(harness.room)).toBe('inRoom');
  });
});

describe('several controllers in one cloud', () => {
  it('the same userId entering elsewhere kicks the first controller with "kick"', async () => {
    const alice = createHarness();
    await alice.room.enter(enterConfig('alice'));
    const elsewhere = alice.cloud.createClient({ label: 'alice-2' });
    await elsewhere.enterRoom(enterConfig('alice'));
    await alice.cloud.flush();
    expect(stateOf(alice.room)).toBe('kicked');
    expect(alice.room.getSnapshot().context.kickReason).toBe('kick');
    expect(alice.cloud.usersIn({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID })).toEqual(['alice']);
    expect(elsewhere.state).toBe('inRoom');
  });
});

describe('the error type', () => {
  it('RoomError round-trips through plain data', () => {
    const error = new RoomError('ENTER_FAILED', 'x', { sdkCode: 5400, sdkExtraCode: -1, cause: new Error('c') });
    const copy = RoomError.fromData(JSON.parse(JSON.stringify(error)) as ReturnType<RoomError['toJSON']>);
    expect(copy).toBeInstanceOf(Error);
    expect(copy.toJSON()).toEqual(error.toJSON());
    expect(copy.name).toBe('RoomError');
  });
});

describe('the SDK wedging as it really does (trtc-facts.md)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('unreachable signalling: the 5501 warning shows while entering, the bound ends it, a fresh instance enters', async () => {
    vi.useFakeTimers();
    const harness = createHarness({ enterTimeoutMs: 15_000 });
    harness.client().injectFault('enterRoom', { kind: 'unreachable' });
    const entering = harness.room.enter(enterConfig()).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(stateOf(harness.room)).toBe('entering');
    expect(harness.room.getSnapshot().context.warning).toMatchObject({ sdkCode: 5500, sdkExtraCode: 5501 });

    await vi.advanceTimersByTimeAsync(11_000);
    expect(await entering).toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(harness.clients[0]?.state).toBe('destroyed');

    const again = harness.room.enter(enterConfig());
    await vi.advanceTimersByTimeAsync(0);
    await again;
    expect(harness.client().state).toBe('inRoom');
    expect(harness.recorder.violations()).toEqual([]);
  });

  it('a server that never answers: the SDK gives up at ~10 s, inside the 15 s bound: ENTER_FAILED 5400', async () => {
    vi.useFakeTimers();
    const harness = createHarness({ enterTimeoutMs: 15_000 });
    harness.client().injectFault('enterRoom', { kind: 'noAnswer' });
    const entering = harness.room.enter(enterConfig()).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await entering).toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5400 });
    expect(harness.clients).toHaveLength(1);
  });
});
