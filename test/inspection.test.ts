import { createInspector } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createRoomController, RoomError } from '../src/index.js';
import type { RoomControllerOptions, SdkCall } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { createRedactor, REDACTED } from '../src/inspect/redact.js';

const SDK_APP_ID = 1400000000;
const USER_SIG = 'eJw1jc0KgjAQhF9l2XOH-SECRET-USERSIG';
const PRIVATE_MAP_KEY = 'eJyrVkrNK-SECRET-PRIVATEMAPKEY';
const SWITCH_SIG = 'eJw1-SECRET-SWITCH-USERSIG';

/** Every string inside a value, walked the way a serialiser would (actor refs by their snapshot). */
function textOf(value: unknown, seen = new WeakSet<object>()): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  if (seen.has(value)) return '';
  seen.add(value);
  const parts: string[] = [];
  const snapshot = (value as { getSnapshot?: unknown }).getSnapshot;
  if (typeof snapshot === 'function') parts.push(textOf(snapshot.call(value), seen));
  for (const key of Object.keys(value)) {
    if (key === 'logic' || key === 'system' || key === '_parent' || key === '_actorScope' || key === 'machine') continue;
    parts.push(key, textOf((value as Record<string, unknown>)[key], seen));
  }
  return parts.join(' ');
}

function session(options: Partial<RoomControllerOptions> = {}) {
  const cloud = new SimulatedCloud();
  const events: InspectionEvent[] = [];
  const calls: SdkCall[] = [];
  const room = createRoomController({
    trtc: () => cloud.createClient({ label: 'alice' }),
    enterTimeoutMs: 300,
    exitTimeoutMs: 150,
    inspect: (event) => events.push(event),
    ...options,
  });
  room.onSdkCall((call) => calls.push(call));
  const config = { sdkAppId: SDK_APP_ID, userId: 'alice', userSig: USER_SIG, privateMapKey: PRIVATE_MAP_KEY, roomId: 8888 };
  return { cloud, room, events, calls, config };
}

describe('inspection', () => {
  it('a full session (enter with secrets, kick, enter again, switch, exit, destroy) shows no secret in any inspection event or SDK call', async () => {
    const { cloud, room, events, calls, config } = session();
    await room.enter(config);
    await room.startLocalAudio();
    await cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: 8888, userIds: ['alice'] });
    await cloud.flush();
    expect(room.view().state).toBe('kicked');
    await room.enter(config);
    await room.switchRoom({ roomId: 9999, userSig: SWITCH_SIG, privateMapKey: PRIVATE_MAP_KEY });
    await room.exit();
    await room.destroy();

    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual(['@xstate.action', '@xstate.actor', '@xstate.event', '@xstate.microstep', '@xstate.snapshot']);
    const sent = events.filter((event) => event.type === '@xstate.event').map((event) => (event as { event: { type: string } }).event.type);
    expect(sent).toEqual(expect.arrayContaining(['room.enter', 'sdk.kickedOut', 'room.switchRoom', 'room.exit', 'room.destroy']));
    // The calls that carried the secrets are in the log, with the secrets replaced.
    const enterCall = calls.find((call) => call.method === 'enterRoom');
    expect(enterCall?.args[0]).toMatchObject({ userId: 'alice', userSig: REDACTED, privateMapKey: REDACTED });
    expect(calls.find((call) => call.method === 'switchRoom')?.args[0]).toMatchObject({ userSig: REDACTED, roomId: 9999 });

    const everything = textOf(events) + textOf(calls);
    for (const secret of [USER_SIG, PRIVATE_MAP_KEY, SWITCH_SIG]) expect(everything).not.toContain(secret);
  });

  it('redacts an SDK error that quotes the userSig, wherever it lands', async () => {
    const client = new SimulatedCloud().createClient();
    client.injectFault('enterRoom', { kind: 'reject', code: 5000, message: `userSig ${USER_SIG} expired` });
    const { room, events, calls, config } = session({ trtc: client });
    const failure = await room.enter(config).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ENTER_FAILED', message: expect.stringContaining(`userSig ${REDACTED} expired`) });
    // Not only inspection: the snapshot, the persisted snapshot and the view never hold it either.
    for (const held of [room.getSnapshot(), room.actor.getPersistedSnapshot(), room.view(), (failure as Error).message]) {
      expect(JSON.stringify(held)).not.toContain(USER_SIG);
    }
    const everything = textOf(events) + textOf(calls);
    expect(everything).toContain(`userSig ${REDACTED} expired`);
    expect(everything).not.toContain(USER_SIG);
    expect(calls.find((call) => call.method === 'enterRoom' && call.status === 'rejected')?.error).toEqual({
      code: 5000,
      message: `userSig ${REDACTED} expired`,
    });
  });
});

describe('redaction', () => {
  it('keys marked secret are hidden in inspection events, and marked values wherever they appear', async () => {
    const { room, events, calls, config } = session({ redact: { keys: ['userId'], values: ['8888'] } });
    await room.enter(config);
    const everything = textOf(events) + textOf(calls);
    expect(everything).not.toMatch(/"?userId"?\s*:?\s*"?alice/);
    expect(everything).not.toContain('8888');
    const entered = events.find((event) => event.type === '@xstate.event' && (event.event as { type: string }).type === 'room.enter');
    expect((entered as { event: unknown }).event).toEqual({ type: 'room.enter', target: { sdkAppId: SDK_APP_ID, userId: REDACTED, roomId: REDACTED } });
    // The machine itself still has the real values: only what leaves for inspection is redacted.
    expect(room.getSnapshot().context.target).toMatchObject({ userId: 'alice', roomId: 8888 });
  });

  it('copies are plain: cycles, errors, class instances and functions become data', () => {
    const { redact } = createRedactor({ values: ['hush'] });
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    class Track {
      id = 1;
    }
    const error = Object.assign(new Error('the hush word'), { code: 5000 });
    expect(redact({ cyclic, track: new Track(), error, fn: () => 1, when: new Date(0), big: 1n, list: [undefined, 'hush!'] })).toEqual({
      cyclic: { name: 'a', self: '[circular]' },
      track: '[Track]',
      error: { code: 5000, name: 'Error', message: `the ${REDACTED} word` },
      when: '1970-01-01T00:00:00.000Z',
      big: '1',
      list: [null, `${REDACTED}!`],
    });
    const nested = createRedactor({ values: ['abc'] });
    nested.addSecret('xxxxabcyyyy');
    expect(nested.mask('sig xxxxabcyyyy and abc')).toBe(`sig ${REDACTED} and ${REDACTED}`);
    expect(redact({ UserSig: 'x', nested: { privatemapkey: 'y', turn: { credential: 'z' } } })).toEqual({
      UserSig: REDACTED,
      nested: { privatemapkey: REDACTED, turn: { credential: REDACTED } },
    });
  });
});

describe('room.inspect() and the inspect option', () => {
  it('an observer added later sees what follows, and stops seeing it once removed', async () => {
    const cloud = new SimulatedCloud();
    const room = createRoomController({ trtc: () => cloud.createClient() });
    const seen: string[] = [];
    const stop = room.inspect({ next: (event) => event.type === '@xstate.event' && seen.push((event.event as { type: string }).type) });
    await room.enter({ sdkAppId: SDK_APP_ID, userId: 'alice', userSig: USER_SIG, roomId: 8888 });
    expect(seen).toContain('room.enter');
    stop();
    const actors: string[] = [];
    const stopActors = room.inspect((event) => event.type === '@xstate.actor' && actors.push(String((event.actorRef as { id?: string }).id)));
    // A late observer still hears of the actors already running (inspectors read their definitions).
    expect(actors).toEqual(expect.arrayContaining(['microphone', 'camera', 'screen', 'sdkEvents']));
    expect(actors).toHaveLength(5);
    stopActors();
    const before = seen.length;
    await room.exit();
    expect(seen.length).toBe(before);
  });

  it('a throwing observer does not break the room or the other observers', async () => {
    const { room, events, config } = session();
    room.inspect(() => {
      throw new Error('inspector bug');
    });
    room.onSdkCall(() => {
      throw new Error('log bug');
    });
    await room.enter(config);
    expect(room.view().state).toBe('inRoom');
    expect(events.some((event) => event.type === '@xstate.event')).toBe(true);
  });

  it('refuses what is not an observer, before anything starts', () => {
    const cloud = new SimulatedCloud();
    const make = (options: Partial<RoomControllerOptions>) => () => createRoomController({ trtc: () => cloud.createClient(), ...options });
    expect(make({ inspect: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'inspect' }));
    expect(make({ redact: { keys: [1] as never } })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'redact.keys' }));
    expect(make({ redact: 'userId' as never })).toThrow(RoomError);
    const room = createRoomController({ trtc: () => cloud.createClient() });
    expect(() => room.inspect({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });

  it('@statelyai/inspect gets redacted events it can read: states, events, actors with their snapshots', async () => {
    const sent: Array<{ type: string; name?: string; snapshot?: { value?: unknown }; event?: { type?: string } }> = [];
    const inspector = createInspector({ send: (event: (typeof sent)[number]) => sent.push(event), start() {}, stop() {} } as never);
    const { cloud, room, config } = session({ inspect: inspector.inspect, redact: { values: ['alice'] } });
    await room.enter(config);
    await cloud.dismissRoom({ sdkAppId: SDK_APP_ID, roomId: 8888 });
    await cloud.flush();
    await room.destroy();
    // The inspector converts on a later tick (setTimeout in Node).
    await new Promise((resolve) => setTimeout(resolve, 20));

    const values = sent.filter((event) => event.type === '@xstate.snapshot').map((event) => JSON.stringify(event.snapshot?.value));
    expect(values).toEqual(expect.arrayContaining(['{"entering":"calling"}', '{"inRoom":"active"}', '"kicked"', '"destroyed"']));
    expect(sent.filter((event) => event.type === '@xstate.actor').map((event) => event.name)).toEqual(
      expect.arrayContaining(['room', 'microphone', 'enterRoom']),
    );
    const text = JSON.stringify(sent);
    expect(text).toContain(REDACTED);
    for (const secret of [USER_SIG, PRIVATE_MAP_KEY, '"alice"']) expect(text).not.toContain(secret);
  });
});
