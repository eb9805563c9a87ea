import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { createRoomController, RoomError } from '../src/index.js';
import type { EnterConfig, RoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { createHarness, enterConfig, stateOf } from './support/harness.js';

/** Calls the controller made on the SDK, but listeners. */
const sdkCalls = (harness: ReturnType<typeof createHarness>) =>
  harness.recorder.log.filter((entry) => entry.phase === 'call' && entry.method !== 'on' && entry.method !== 'off').map((entry) => entry.method);

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return 'accepted';
}

const invalidParameter = (field: string) => ({ code: 'INVALID_PARAMETER', field });

describe('enter() reads its config once, and checks what it hands on', () => {
  it('a getter that would answer differently later is read once: the SDK gets what was checked', async () => {
    const harness = createHarness();
    let reads = 0;
    const config = {
      ...enterConfig(),
      get roomId() {
        reads += 1;
        return reads > 1 ? ('evil' as unknown as number) : 1001;
      },
    };
    await harness.room.enter(config);
    expect(reads).toBe(1);
    expect(harness.room.getSnapshot().context.target?.roomId).toBe(1001);
    expect(harness.client().room?.roomId).toBe(1001);
  });

  it('a config inheriting its fields hands them on as checked', async () => {
    const harness = createHarness();
    await harness.room.enter(Object.create(enterConfig()) as EnterConfig);
    expect(stateOf(harness.room)).toBe('inRoom');
  });

  it('a getter that throws is INVALID_PARAMETER naming the field, with what it threw as cause', async () => {
    const harness = createHarness();
    const boom = new Error('boom');
    const config = {
      ...enterConfig(),
      get userId(): string {
        throw boom;
      },
    };
    const error = await refusal(() => harness.room.enter(config));
    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject({ ...invalidParameter('userId'), cause: boom });
    expect(sdkCalls(harness)).toEqual([]);
    await harness.room.enter(enterConfig());
    expect(stateOf(harness.room)).toBe('inRoom');
  });

  it('a Proxy that throws on every read is refused the same way', async () => {
    const harness = createHarness();
    const hostile = new Proxy({}, { get: () => { throw new TypeError('trap'); } });
    expect(await refusal(() => harness.room.enter(hostile as EnterConfig))).toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(sdkCalls(harness)).toEqual([]);
  });
});

describe('createRoomController() options', () => {
  const trtc = () => new SimulatedCloud().createClient();
  it.each([
    ['no options', undefined, 'options'],
    ['null', null, 'options'],
    ['enterTimeoutMs past what a timer takes', { trtc, enterTimeoutMs: 2 ** 31 }, 'enterTimeoutMs'],
    ['exitTimeoutMs 1e10', { trtc, exitTimeoutMs: 1e10 }, 'exitTimeoutMs'],
  ])('%s → INVALID_PARAMETER', (_, options, field) => {
    expect(() => createRoomController(options as never)).toThrow(RoomError);
    try {
      createRoomController(options as never);
    } catch (error) {
      expect(error).toMatchObject(invalidParameter(field));
    }
  });

  it('a factory that throws at creation is a RoomError with what it threw as cause', () => {
    const thrown = new Error('no SDK here');
    let error: unknown;
    try {
      createRoomController({
        trtc: () => {
          throw thrown;
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject({ ...invalidParameter('trtc'), cause: thrown });
  });

  it('the largest bound a timer takes is accepted', () => {
    const room = createRoomController({ trtc, enterTimeoutMs: 2 ** 31 - 1, exitTimeoutMs: 2 ** 31 - 1 });
    expect(stateOf(room)).toBe('idle');
  });
});

type Command = [string, (room: RoomController) => Promise<unknown>, string];

const COMMANDS: Command[] = [
  ["switchRole('anchor', null)", (room) => room.switchRole('anchor', null as never), 'options'],
  ['switchRole with a numeric privateMapKey', (room) => room.switchRole('anchor', { privateMapKey: 5 as never }), 'privateMapKey'],
  ['switchRoom with a numeric privateMapKey', (room) => room.switchRoom({ roomId: 9000, userSig: 'sig', privateMapKey: 5 as never }), 'privateMapKey'],
  ['startLocalAudio(5)', (room) => room.startLocalAudio(5 as never), 'options'],
  ["startLocalAudio('x')", (room) => room.startLocalAudio('x' as never), 'options'],
  ['updateLocalAudio(undefined)', (room) => room.updateLocalAudio(undefined as never), 'options'],
  ['updateLocalAudio(null)', (room) => room.updateLocalAudio(null as never), 'options'],
  ["updateLocalAudio({ mute: 'yes' })", (room) => room.updateLocalAudio({ mute: 'yes' as never }), 'mute'],
  ['startLocalVideo({ view: 123 })', (room) => room.startLocalVideo({ view: 123 as never }), 'view'],
  ['updateLocalVideo({ option: { rotation: 45 } })', (room) => room.updateLocalVideo({ option: { rotation: 45 as never } }), 'option.rotation'],
  ['startRemoteVideo(undefined)', (room) => room.startRemoteVideo(undefined as never), 'options'],
  ['stopRemoteVideo(null)', (room) => room.stopRemoteVideo(null as never), 'options'],
  ["muteRemoteAudio(undefined, 'x')", (room) => room.muteRemoteAudio(undefined as never, 'x' as never), 'userId'],
  ["setRemoteAudioVolume('bob', NaN)", (room) => room.setRemoteAudioVolume('bob', Number.NaN), 'volume'],
  ['setRemoteAudioVolume(5, -5)', (room) => room.setRemoteAudioVolume(5 as never, -5), 'userId'],
  ["setRemoteAudioVolume('bob', 101)", (room) => room.setRemoteAudioVolume('bob', 101), 'volume'],
  ["enableAudioVolumeEvaluation('abc')", (room) => room.enableAudioVolumeEvaluation('abc' as never), 'intervalMs'],
  ['enableAudioVolumeEvaluation(-100)', (room) => room.enableAudioVolumeEvaluation(-100), 'intervalMs'],
  ['enableAudioVolumeEvaluation(Infinity)', (room) => room.enableAudioVolumeEvaluation(Number.POSITIVE_INFINITY), 'intervalMs'],
];

describe('every command checks its arguments before any SDK call', () => {
  it.each(COMMANDS)('%s → INVALID_PARAMETER, no SDK call, the controller still works', async (_, run, field) => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    await harness.room.startLocalAudio();
    await harness.room.startLocalVideo();
    const before = sdkCalls(harness).length;
    const error = await refusal(() => run(harness.room));
    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject(invalidParameter(field));
    expect(sdkCalls(harness).slice(before)).toEqual([]);
    await harness.room.updateLocalAudio({ mute: true });
    expect(harness.room.view().muted.microphone).toBe(true);
    await harness.room.exit();
    expect(stateOf(harness.room)).toBe('idle');
  });
});

describe('no secret in any error, its cause chain included', () => {
  const SIG = 'userSig-of-alice-SECRET';

  /** An SDK error quoting the userSig everywhere the real RtcError can: message, data, originError, a nested cause. */
  const quoting = () => {
    const origin = new Error(`socket said ${SIG}`, { cause: { detail: [`again ${SIG}`] } });
    return Object.assign(new Error(`join refused for ${SIG}`), { code: 5400, extraCode: -100018, functionName: 'enterRoom', data: { userSig: SIG }, originError: origin });
  };

  it('a rejected enterRoom: the RoomError and its cause, inspected to any depth', async () => {
    const harness = createHarness();
    const client = harness.client();
    const original = client.enterRoom.bind(client);
    client.enterRoom = ((config: EnterConfig) => original(config).then(() => Promise.reject(quoting()))) as typeof client.enterRoom;
    const error = await refusal(() => harness.room.enter(enterConfig()));
    expect(error).toMatchObject({ code: 'ENTER_FAILED', sdkCode: 5400, sdkExtraCode: -100018 });
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(SIG);
    expect((error as RoomError).cause).toMatchObject({ code: 5400, extraCode: -100018, functionName: 'enterRoom' });
  });

  it('a failed rejoin (CONNECTION_LOST): the recorded error and its cause', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    const lost = new Promise<RoomError>((resolve) => harness.room.on('error', ({ error }) => resolve(error)));
    harness.client().emit('error', quoting());
    const error = await lost;
    expect(error.code).toBe('CONNECTION_LOST');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(SIG);
    expect(JSON.stringify(harness.room.getSnapshot().context)).not.toContain(SIG);
  });
});

describe("an app's listener that throws cannot break the controller", () => {
  it('on(), subscribe(), onSdkCall() and inspect() listeners: reported, and the room goes on', async () => {
    const reported: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void reported.push(args[1]));
    try {
      const harness = createHarness();
      const thrown = new Error('app bug');
      const fail = () => {
        throw thrown;
      };
      harness.room.on('entered', fail);
      harness.room.subscribe(fail);
      harness.room.onSdkCall(fail);
      harness.room.inspect(fail);
      await harness.room.enter(enterConfig());
      expect(stateOf(harness.room)).toBe('inRoom');
      await harness.room.exit();
      await harness.room.destroy();
      expect(stateOf(harness.room)).toBe('destroyed');
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every((error) => error === thrown)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a factory that hands back an instance it gave before', () => {
  it('is refused once that instance was destroyed: INVALID_PARAMETER, and the old instance is never called again', async () => {
    const client = new SimulatedCloud().createClient();
    const room = createRoomController({ trtc: () => client, enterTimeoutMs: 50, exitTimeoutMs: 50 });
    client.injectFault('enterRoom', { kind: 'hang' });
    expect(await refusal(() => room.enter(enterConfig()))).toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(client.state).toBe('destroyed');
    const callsAfterDestroy = client.calls.length;
    const error = await refusal(() => room.enter(enterConfig()));
    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject(invalidParameter('trtc'));
    expect((error as RoomError).message).toContain('destroyed');
    expect(client.calls.slice(callsAfterDestroy).filter((call) => call.method !== 'off')).toEqual([]);
    await room.destroy();
  });
});
