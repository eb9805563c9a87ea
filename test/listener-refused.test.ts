import { describe, expect, it, vi } from 'vitest';
import { createRoomController, describeEnding } from '../src/index.js';
import type { RoomController, RoomEmittedOf } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../src/adapters/simulator/index.js';
import { enterConfig, stateOf } from './support/harness.js';
import { describeViolation, ScriptedSdk } from './support/scripted-sdk.js';
import type { OnBehaviour } from './support/scripted-sdk.js';

/**
 * A simulated instance whose `on()` throws while `refuses(n)` says so, `n` counting the listeners
 * asked for (from 1); the listeners it did add stay countable on the client.
 */
function refusingListeners(client: SimulatedClient, refuses: (n: number) => boolean) {
  let asked = 0;
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key !== 'on') return Reflect.get(target, key, receiver) as unknown;
      return (event: string, handler: (payload: unknown) => void) => {
        asked += 1;
        if (refuses(asked)) throw new Error(`on(${event}) refused`);
        target.on(event, handler);
      };
    },
  });
}

/** From the `n`-th listener on: the instance cannot be listened to at all. */
const fromListener = (n: number) => (asked: number) => asked >= n;

/** Refuses once, the first time `now()` holds: one phase's listeners, not the others'. */
function oncePhase(now: () => boolean) {
  let refused = false;
  return () => {
    if (refused || !now()) return false;
    refused = true;
    return true;
  };
}

/** A factory whose first instance refuses listeners as `refuses` says; the next ones are plain. */
function firstRefusing(refuses: (client: SimulatedClient) => (n: number) => boolean) {
  const cloud = new SimulatedCloud();
  const made: SimulatedClient[] = [];
  const factory = () => {
    const client = cloud.createClient();
    made.push(client);
    return made.length === 1 ? refusingListeners(client, refuses(client)) : client;
  };
  return { factory, made };
}

function errorsOf(room: RoomController) {
  const errors: Array<RoomEmittedOf<'error'>['error']> = [];
  room.on('error', (event) => errors.push(event.error));
  return errors;
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return 'accepted';
}

/** The SDK methods called on a client, but listeners. */
const callsOn = (client: SimulatedClient | undefined) =>
  client?.calls.filter((call) => call.phase === 'call' && call.method !== 'on' && call.method !== 'off').map((call) => call.method);


describe('an SDK whose on() throws', () => {
  it('with a factory: the enter fails with ENTER_FAILED, the instance is destroyed with no listener left, and the next enter uses a fresh one', async () => {
    const { factory, made } = firstRefusing(() => fromListener(3));
    const room = createRoomController({ trtc: factory });
    const errors = errorsOf(room);
    const error = await refusal(() => room.enter(enterConfig()));
    expect(error).toMatchObject({ code: 'ENTER_FAILED', cause: expect.objectContaining({ message: expect.stringContaining('refused') }) });
    expect(errors.map((e) => e.code)).toEqual(['ENTER_FAILED']);
    const [deaf] = made;
    expect(deaf?.state).toBe('destroyed');
    expect(deaf?.listenerCount()).toBe(0);
    expect(room.actor.getSnapshot().status).toBe('active');
    expect(stateOf(room)).toBe('idle');

    await room.enter(enterConfig());
    expect(stateOf(room)).toBe('inRoom');
    expect(made[1]?.state).toBe('inRoom');
    await room.destroy();
    expect(made[1]?.state).toBe('destroyed');
  });

  it('with a plain instance: the controller ends destroyed, and destroy() resolves without another call', async () => {
    const client = new SimulatedCloud().createClient();
    const room = createRoomController({ trtc: refusingListeners(client, fromListener(1)) });
    const error = await refusal(() => room.enter(enterConfig()));
    expect(error).toMatchObject({ code: 'ENTER_FAILED' });
    expect((error as Error).message).toContain('factory');
    expect(client.state).toBe('destroyed');
    expect(client.listenerCount()).toBe(0);
    expect(stateOf(room)).toBe('destroyed');
    const calls = client.calls.length;
    await room.destroy();
    expect(client.calls.length).toBe(calls);
    expect(await refusal(() => room.enter(enterConfig()))).toMatchObject({ code: 'DESTROYED' });
  });

  it('with the microphone on: it is stopped before the instance is destroyed, and the enter fails then', async () => {
    const { factory, made } = firstRefusing(() => fromListener(1));
    const room = createRoomController({ trtc: factory });
    await room.startLocalAudio();
    expect(await refusal(() => room.enter(enterConfig()))).toMatchObject({ code: 'ENTER_FAILED' });
    const methods = callsOn(made[0]) ?? [];
    expect(methods.indexOf('stopLocalAudio')).toBeGreaterThan(-1);
    expect(methods.indexOf('stopLocalAudio')).toBeLessThan(methods.indexOf('destroy'));
    expect(made[0]?.state).toBe('destroyed');
    expect(stateOf(room)).toBe('idle');
    expect(room.view().local.microphone).toBe('off');
  });

  it('refusing as the enter begins: the enter that listening came before never reaches the instance, devices on or not', async () => {
    for (const microphone of [false, true]) {
      const { factory, made } = firstRefusing(() => fromListener(1));
      const room = createRoomController({ trtc: factory });
      if (microphone) await room.startLocalAudio();
      expect(await refusal(() => room.enter(enterConfig()))).toMatchObject({ code: 'ENTER_FAILED' });
      await vi.waitFor(() => expect(made[0]?.state).toBe('destroyed'));
      expect(callsOn(made[0]), `microphone ${microphone ? 'on' : 'off'}`).toEqual(microphone ? ['startLocalAudio', 'stopLocalAudio', 'destroy'] : ['destroy']);
      await room.destroy();
    }
  });

  // Leaving listens again for what ends a session; an instance already known to refuse is told of once.
  it('each refusal is told once: one error per ending, none for a destroy out of a room', async () => {
    const enterWithMicrophone = firstRefusing(() => fromListener(1));
    const withMicrophone = createRoomController({ trtc: enterWithMicrophone.factory });
    const enterErrors = errorsOf(withMicrophone);
    await withMicrophone.startLocalAudio();
    await refusal(() => withMicrophone.enter(enterConfig()));
    await vi.waitFor(() => expect(enterWithMicrophone.made[0]?.state).toBe('destroyed'));
    expect(enterErrors.map((e) => e.code)).toEqual(['ENTER_FAILED']);
    await withMicrophone.destroy();

    const inRoom = firstRefusing((client) => (asked: number) => asked > 1 && client.state === 'inRoom');
    const deafInRoom = createRoomController({ trtc: inRoom.factory });
    const roomErrors = errorsOf(deafInRoom);
    await deafInRoom.enter(enterConfig());
    await vi.waitFor(() => expect(inRoom.made[0]?.state).toBe('destroyed'));
    expect(roomErrors.map((e) => e.code)).toEqual(['CONNECTION_LOST']);
    await deafInRoom.destroy();

    const client = new SimulatedCloud().createClient();
    const outOfRoom = createRoomController({ trtc: refusingListeners(client, fromListener(1)) });
    const idleErrors = errorsOf(outOfRoom);
    await outOfRoom.startLocalAudio();
    await outOfRoom.destroy();
    expect(callsOn(client)).toEqual(['startLocalAudio', 'stopLocalAudio', 'destroy']);
    expect(idleErrors).toEqual([]);
  });

  it('refusing as the room is reached: connected and disconnected are told, entered is not', async () => {
    const { factory, made } = firstRefusing((client) => oncePhase(() => client.state === 'inRoom'));
    const room = createRoomController({ trtc: factory });
    const told: string[] = [];
    room.on('connection', ({ status }) => told.push(status));
    room.on('entered', () => told.push('entered'));
    room.on('exited', () => told.push('exited'));
    await room.enter(enterConfig());
    await vi.waitFor(() => expect(made[0]?.state).toBe('destroyed'));
    expect(told).toEqual(['connected', 'disconnected', 'exited']);
    told.length = 0;
    await room.enter(enterConfig());
    expect(told).toEqual(['connected', 'entered']);
    await room.destroy();
  });

  it('refusing only as the room is entered: the room is left (exitRoom), then the instance retired, with CONNECTION_LOST', async () => {
    const { factory, made } = firstRefusing((client) => oncePhase(() => client.state === 'inRoom'));
    const room = createRoomController({ trtc: factory });
    const errors = errorsOf(room);
    const exited = vi.fn();
    room.on('exited', exited);
    await room.enter(enterConfig());
    await vi.waitFor(() => expect(stateOf(room)).toBe('idle'));
    const deaf = made[0];
    expect(callsOn(deaf)).toEqual(['enterRoom', 'exitRoom', 'destroy']);
    expect(deaf?.listenerCount()).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['CONNECTION_LOST']);
    expect(exited).toHaveBeenCalledOnce();
    expect(room.getSnapshot().context.error?.code).toBe('CONNECTION_LOST');
    await room.enter(enterConfig());
    expect(made[1]?.state).toBe('inRoom');
    await room.destroy();
  });

  it('refusing only as the room is left: exit() resolves and the instance is retired after', async () => {
    const client = new SimulatedCloud().createClient();
    let leaving = false;
    const room = createRoomController({ trtc: refusingListeners(client, oncePhase(() => leaving)) });
    const errors = errorsOf(room);
    await room.enter(enterConfig());
    leaving = true;
    await room.exit();
    expect(callsOn(client)).toEqual([
      'enterRoom',
      'exitRoom',
      'destroy',
    ]);
    expect(errors.map((e) => e.code)).toEqual(['CONNECTION_LOST']);
    expect(client.listenerCount()).toBe(0);
    expect(stateOf(room)).toBe('destroyed');
    // The session ended as asked: the refusal is told (`error`), not recorded as its ending.
    expect(room.view().error).toBeUndefined();
    expect(describeEnding(room.view())?.key).toBe('destroyed');
  });

  it('refusing only as the room is left, with a factory: back to idle, the ending an exit as asked, the next enter on a fresh instance', async () => {
    let leaving = false;
    const { factory, made } = firstRefusing(() => oncePhase(() => leaving));
    const room = createRoomController({ trtc: factory });
    const errors = errorsOf(room);
    await room.enter(enterConfig());
    leaving = true;
    await room.exit();
    await vi.waitFor(() => expect(callsOn(made[0])).toEqual(['enterRoom', 'exitRoom', 'destroy']));
    expect(errors.map((e) => e.code)).toEqual(['CONNECTION_LOST']);
    expect(stateOf(room)).toBe('idle');
    expect(room.view().error).toBeUndefined();
    expect(describeEnding(room.view())).toBeNull();
    leaving = false;
    await room.enter(enterConfig());
    expect(made[1]?.state).toBe('inRoom');
    await room.destroy();
  });
});

/** The same refusals over the scripted SDK, whose checker knows which kicks could be heard. */
describe("an SDK whose on() throws, under the scripted SDK's checker", () => {
  const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const violationsOf = (sdk: ScriptedSdk) => sdk.violations.map(describeViolation);

  /** How many listeners a room holds (as many as entering adds): counted on a session nothing refuses. */
  async function listenersInRoom(): Promise<number> {
    const probe = new ScriptedSdk();
    const room = createRoomController({ trtc: () => probe.create() });
    await room.enter(enterConfig());
    const count = probe.current?.listenerCount ?? 0;
    await room.destroy();
    return count;
  }

  it('refusing as the enter begins, the microphone on: no enterRoom on the deaf instance (V6), a fresh one for the next enter', async () => {
    const sdk = new ScriptedSdk();
    const room = createRoomController({ trtc: () => sdk.create() });
    await room.startLocalAudio();
    sdk.nextOn('throw');
    expect(await refusal(() => room.enter(enterConfig()))).toMatchObject({ code: 'ENTER_FAILED' });
    await room.enter(enterConfig());
    await room.destroy();
    expect(sdk.instances.map((instance) => instance.destroyed)).toEqual([true, true]);
    expect(violationsOf(sdk)).toEqual([]);
    expect(sdk.checkListeners()).toEqual([]);
  });

  it('refusing as the room is entered: entered is never said, so a switch the app asks for on entered never reaches the deaf instance', async () => {
    const sdk = new ScriptedSdk();
    const room = createRoomController({ trtc: () => sdk.create() });
    const errors = errorsOf(room);
    const entered = vi.fn(() => void room.switchRoom({ roomId: 9000, userSig: 'userSig-for-9000' }).catch(() => undefined));
    room.on('entered', entered);
    sdk.nextOn(...Array<OnBehaviour>(await listenersInRoom()).fill('add'), 'throw'); // entering's all, the room's first
    await room.enter(enterConfig());
    await vi.waitFor(() => expect(sdk.instances[0]?.destroyed).toBe(true));
    expect(entered).not.toHaveBeenCalled();
    expect(errors.map((error) => error.code)).toEqual(['CONNECTION_LOST']);
    expect(sdk.instances[0]?.history).not.toContain('switchRoom(9000)');
    expect(violationsOf(sdk)).toEqual([]);
    await room.destroy();
  });

  it('listening as the room is entered: a switch the app asks for on entered goes to an instance that hears kicks', async () => {
    const sdk = new ScriptedSdk();
    const room = createRoomController({ trtc: () => sdk.create() });
    let switched: Promise<unknown> | undefined;
    room.on('entered', () => {
      switched = room.switchRoom({ roomId: 9000, userSig: 'userSig-for-9000' });
    });
    await room.enter(enterConfig());
    await switched;
    expect(sdk.instances[0]?.history).toContain('switchRoom(9000)');
    expect(violationsOf(sdk)).toEqual([]);
    await room.destroy();
    expect(sdk.checkListeners()).toEqual([]);
  });

  it('refusing as the room is left, a kick while exitRoom is pending: unheard, so exitRoom is tried again', async () => {
    const sdk = new ScriptedSdk();
    const room = createRoomController({ trtc: () => sdk.create() });
    await room.enter(enterConfig());
    const deaf = sdk.current!;
    deaf.alwaysOn('throw');
    sdk.next('exitRoom', 'late');
    const exited = room.exit();
    await flush();
    deaf.emit('kicked-out', { reason: 'kick' });
    sdk.settleOldest('exitRoom', 'reject');
    await exited;
    await vi.waitFor(() => expect(deaf.destroyed).toBe(true));
    expect(deaf.history.filter((entry) => entry === 'exitRoom')).toHaveLength(2);
    expect(violationsOf(sdk)).toEqual([]);
    await room.destroy();
    expect(sdk.checkListeners()).toEqual([]);
  });
});
