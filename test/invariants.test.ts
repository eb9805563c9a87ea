import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomController, RoomStateName } from '../src/index.js';
import type { SimulatedFault, SimulatedMethod } from '../src/adapters/simulator/index.js';
import { createHarness, enterConfig, reach, ROOM_ID, SDK_APP_ID, stateOf } from './support/harness.js';
import type { Harness } from './support/harness.js';

const count = (harness: Harness, method: string, instance = 1) =>
  harness.recorder.log.filter((e) => e.method === method && e.phase === 'call' && e.instance === instance).length;

const kicks: Array<[string, (harness: Harness) => Promise<void>]> = [
  [
    'kick (same userId elsewhere)',
    async ({ cloud }) => {
      await cloud.createClient({ label: 'alice-elsewhere' }).enterRoom(enterConfig('alice'));
    },
  ],
  ['banned (RemoveUser)', async ({ cloud }) => void (await cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] }))],
  ['room_disband (DismissRoom)', async ({ cloud }) => void (await cloud.dismissRoom({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID }))],
];

describe('1. no exitRoom between a kicked-out event and the next successful enterRoom', () => {
  it.each(kicks)('kicked by %s: exit() and destroy() call no exitRoom', async (_, kick) => {
    const harness = createHarness();
    await harness.room.enter(enterConfig('alice'));
    await kick(harness);
    await harness.cloud.flush();
    expect(stateOf(harness.room)).toBe('kicked');

    await harness.room.exit();
    await harness.room.destroy();
    expect(count(harness, 'exitRoom')).toBe(0);
    expect(harness.recorder.violations()).toEqual([]);
  });

  it('a failed rejoin ends the session without exitRoom; exit() after it makes no call', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.client().dropConnection();
    harness.client().failRejoin();
    expect(stateOf(harness.room)).toBe('idle');
    expect(harness.room.getSnapshot().context.error).toMatchObject({ code: 'CONNECTION_LOST', sdkCode: 5400 });
    await harness.room.exit();
    await harness.room.destroy();
    expect(count(harness, 'exitRoom')).toBe(0);
    expect(harness.recorder.violations()).toEqual([]);
  });

  it('after a kick, entering again and exiting does call exitRoom (the rule ends with the new enter)', async () => {
    const harness = createHarness();
    await reach(harness, 'kicked');
    await harness.room.enter(enterConfig());
    await harness.room.exit();
    expect(count(harness, 'exitRoom')).toBe(1);
    expect(harness.recorder.violations()).toEqual([]);
  });
});

describe('2. destroy is called at most once, and nothing after it', () => {
  const states: RoomStateName[] = ['idle', 'entering', 'inRoom', 'exiting', 'kicked'];
  it.each(states)('destroy() from %s, then every command again', async (state) => {
    const harness = createHarness();
    await reach(harness, state);
    await Promise.all([harness.room.destroy(), harness.room.destroy()]);
    await harness.room.destroy();
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'DESTROYED' });
    await expect(harness.room.exit()).rejects.toMatchObject({ code: 'DESTROYED' });
    await Promise.all(harness.pending);
    await harness.cloud.flush();

    expect(count(harness, 'destroy')).toBe(1);
    expect(harness.recorder.violations()).toEqual([]);
    // The SDK never saw destroy() while still in a room (it would throw 5100 and half-die), except
    // where `reach` wedged the exit on purpose: then destroying the stuck instance is the way out.
    const threw = harness.client().calls.filter((c) => c.method === 'destroy' && c.phase === 'throw');
    expect(threw).toHaveLength(state === 'exiting' ? 1 : 0);
  });
});

describe('3. lifecycle calls never overlap', () => {
  it('enter, exit and destroy fired together in every order', async () => {
    const orders: Array<Array<'enter' | 'exit' | 'destroy'>> = [
      ['enter', 'exit', 'destroy'],
      ['enter', 'destroy', 'exit'],
      ['enter', 'exit', 'enter', 'exit'],
      ['enter', 'enter', 'exit', 'exit'],
    ];
    for (const order of orders) {
      const harness = createHarness();
      const run = { enter: () => harness.room.enter(enterConfig()), exit: () => harness.room.exit(), destroy: () => harness.room.destroy() };
      await Promise.allSettled(order.map((command) => run[command]()));
      await harness.cloud.flush();
      expect(harness.recorder.violations(), order.join(',')).toEqual([]);
    }
  });

  it('destroy() while exiting waits for the exit before destroying', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    const exit = harness.room.exit();
    const destroy = harness.room.destroy();
    await Promise.all([exit, destroy]);
    const order = harness.recorder.log.filter((e) => e.method === 'exitRoom' || e.method === 'destroy').map((e) => `${e.method}:${e.phase}`);
    expect(order).toEqual(['exitRoom:call', 'exitRoom:resolve', 'destroy:call']);
  });
});

describe('4. exitRoom only for a room that was entered or is being entered', () => {
  it('exit() in idle, after a failed enter, and in kicked makes no SDK call', async () => {
    const harness = createHarness();
    await harness.room.exit();
    harness.client().injectFault('enterRoom', { kind: 'reject' });
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100018 });
    await harness.room.exit();
    await reach(harness, 'kicked');
    await harness.room.exit();
    expect(count(harness, 'exitRoom')).toBe(0);
    expect(harness.recorder.violations()).toEqual([]);
  });
});

describe('5. listeners are balanced', () => {
  it('the listener count is the same after 1 and after 1000 enter/exit cycles', async () => {
    const harness = createHarness();
    const counts: number[] = [];
    for (let cycle = 1; cycle <= 1000; cycle += 1) {
      await harness.room.enter(enterConfig());
      await harness.room.exit();
      if (cycle === 1 || cycle === 1000) counts.push(harness.client().listenerCount());
      expect(harness.recorder.activeListeners()).toBe(0);
    }
    expect(counts[0]).toBe(counts[1]);
    // Only the test recorder's own two watchers remain.
    expect(counts[1]).toBe(2);
    expect(harness.recorder.violations()).toEqual([]);
  }, 30_000);

  it.each<RoomStateName>(['entering', 'inRoom', 'kicked'])('every listener is removed before destroy, from %s', async (state) => {
    const harness = createHarness();
    await reach(harness, state);
    await harness.room.destroy();
    expect(harness.recorder.activeListeners()).toBe(0);
    const destroyAt = harness.recorder.log.find((e) => e.method === 'destroy')?.seq ?? 0;
    expect(harness.recorder.log.filter((e) => e.method === 'off' && e.seq > destroyAt)).toEqual([]);
  });
});

describe('6. every command settles within its bound, whatever the SDK does', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const faults: Array<[SimulatedMethod, SimulatedFault]> = [
    ['enterRoom', { kind: 'hang' }],
    ['enterRoom', { kind: 'reject' }],
    ['enterRoom', { kind: 'throw' }],
    ['exitRoom', { kind: 'hang' }],
    ['exitRoom', { kind: 'reject' }],
    ['exitRoom', { kind: 'throw' }],
    ['destroy', { kind: 'throw' }],
  ];

  async function settledWithin(ms: number, promise: Promise<unknown>): Promise<boolean> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await vi.advanceTimersByTimeAsync(ms);
    return settled;
  }

  it.each(faults)('%s that does %o: enter, exit and destroy all settle in time', async (method, fault) => {
    vi.useFakeTimers();
    const harness = createHarness({ enterTimeoutMs: 1000, exitTimeoutMs: 500 });
    const { room } = harness;
    harness.client().injectFault(method, fault);
    expect(await settledWithin(1000, room.enter(enterConfig()))).toBe(true);
    if (stateOf(room) === 'inRoom') {
      expect(await settledWithin(500, room.exit())).toBe(true);
      harness.client().injectFault(method, fault);
      expect(await settledWithin(1000, room.enter(enterConfig()))).toBe(true);
    }
    harness.client().injectFault(method, fault);
    expect(await settledWithin(500, room.destroy())).toBe(true);
    expect(stateOf(room)).toBe('destroyed');
    expect(harness.recorder.violations()).toEqual([]);
  });
});

describe('7. SDK events that arrive late change nothing', () => {
  const late: Array<[string, unknown]> = [
    ['kicked-out', { reason: 'banned' }],
    ['error', { code: 5400, extraCode: 0, message: 'reJoin room failed' }],
    ['error', { code: 5500, extraCode: 5501, message: 'firewall' }],
    ['connection-state-changed', { prevState: 'CONNECTED', state: 'DISCONNECTED' }],
  ];

  async function afterward(room: RoomController, fire: () => void): Promise<void> {
    const before = JSON.stringify(room.getSnapshot());
    const emitted: string[] = [];
    room.actor.on('*', (event) => emitted.push(event.type));
    fire();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(JSON.stringify(room.getSnapshot())).toBe(before);
    expect(emitted).toEqual([]);
  }

  it.each<RoomStateName>(['idle', 'kicked', 'destroyed'])('after the room was left, ending %s', async (end) => {
    const harness = createHarness();
    await reach(harness, end === 'kicked' ? 'kicked' : 'inRoom');
    if (end === 'idle') await harness.room.exit();
    if (end === 'destroyed') await harness.room.destroy();
    expect(stateOf(harness.room)).toBe(end);
    for (const [event, payload] of late) await afterward(harness.room, () => harness.recorder.fireLate(1, event, payload));
  });
});

describe('8. snapshots are serialisable and hold no secret', () => {
  it('no userSig, privateMapKey or TURN credential in any snapshot or persisted snapshot of a full session', async () => {
    const harness = createHarness();
    const secrets = ['userSig-of-alice-SECRET', 'PRIVATE-MAP-KEY', 'TURN-PASSWORD'];
    const config = enterConfig('alice', {
      privateMapKey: secrets[1],
      proxy: { turnServer: { url: 'turn:127.0.0.1:3478', username: 'u', credential: secrets[2] } },
    });
    const seen: string[] = [];
    const capture = () => {
      seen.push(JSON.stringify(harness.room.getSnapshot()));
      seen.push(JSON.stringify(structuredClone(harness.room.actor.getPersistedSnapshot())));
    };
    harness.room.subscribe(capture);

    const entering = harness.room.enter(config);
    capture(); // while enterRoom is in flight: the invoked actor's input is persisted too
    await entering;
    await harness.cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] });
    await harness.cloud.flush();
    await harness.room.enter(config);
    await harness.room.exit();
    await harness.room.destroy();

    expect(seen.length).toBeGreaterThan(10);
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('calls abandoned by the machine', () => {
  it('destroy() while entering with the microphone on: the enter that still succeeds is left before destroy', async () => {
    const harness = createHarness();
    await harness.room.startLocalAudio();
    const entering = harness.room.enter(enterConfig()).catch((error: unknown) => error);
    await harness.room.destroy();
    await entering;
    await harness.cloud.flush();
    const calls = harness.client().calls.filter((c) => c.method !== 'on' && c.method !== 'off').map((c) => `${c.method}:${c.phase}`);
    expect(calls).not.toContain('destroy:throw');
    expect(calls.indexOf('destroy:call')).toBeGreaterThan(calls.lastIndexOf('exitRoom:resolve'));
    expect(harness.client().state).toBe('destroyed');
    expect(harness.recorder.violations()).toEqual([]);
  });

  it('kicked while entering: the enter that resolves afterwards is not left (the SDK has left), no exitRoom', async () => {
    const harness = createHarness();
    const entering = harness.room.enter(enterConfig()).catch((error: unknown) => error);
    harness.recorder.fireLate(1, 'kicked-out', { reason: 'kick' });
    expect(await entering).toMatchObject({ code: 'KICKED' });
    await harness.cloud.flush();
    await harness.room.destroy();
    expect(harness.client().calls.filter((c) => c.method === 'exitRoom')).toEqual([]);
  });

  it('a room switch still in flight after a kick: the next enter() waits for it within its bound, then recovers', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.client().injectFault('switchRoom', { kind: 'hang' });
    const switching = harness.room.switchRoom({ roomId: 9000, userSig: 'sig-9000' }).catch((error: unknown) => error);
    await harness.cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] });
    await harness.cloud.flush();
    expect(await switching).toMatchObject({ code: 'KICKED' });
    // The first instance never calls enterRoom while its switchRoom is in flight.
    await expect(harness.room.enter(enterConfig())).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(harness.clients[0]?.calls.filter((c) => c.method === 'enterRoom' && c.phase === 'call')).toHaveLength(1);
    await harness.room.enter(enterConfig());
    expect(stateOf(harness.room)).toBe('inRoom');
    expect(harness.recorder.violations()).toEqual([]);
  });
});
