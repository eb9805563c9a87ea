import { createActor } from 'xstate';
import { trtcImplementations } from './adapters/trtc.js';
import type { SwitchCredentials } from './adapters/trtc.js';
import type { RoomController, RoomControllerOptions, RoomSnapshot } from './controller.types.js';
import { createDeviceCommands } from './device-commands.js';
import { isRoomError, RoomError, roomErrors, toRoomError } from './errors.js';
import {
  checkEmittedType,
  checkListener,
  parseBound,
  parseDuplicateUser,
  parseGrace,
  parseEnterConfig,
  parseObserver,
  parseRedact,
  parseRole,
  parseSwitchRoleOptions,
  parseSwitchRoom,
} from './machines/room/room.config.js';
import { objectOf, snapshotOf } from './machines/room/room.reading.js';
import { roomMachine } from './machines/room/room.machine.js';
import type { EnterConfig, RoomEmitted, RoomEvent, RoomStateName } from './machines/room/room.types.js';
import { createViewMemo } from './machines/room/room.view.js';
import { onPageHide } from './page-hide.js';
import { createPresence, presenceKey } from './presence.js';
import { isolated } from './listeners.js';
import { createRemoteCommands } from './remote-commands.js';
import { createSession } from './session.js';
import { createInspectionHub, createInspectionRedactor, greetingFor } from './inspect/inspection.js';
import type { InspectionObserver } from './inspect/inspection.js';
import { createRedactor } from './inspect/redact.js';
import { createSdkCallLog } from './inspect/sdk-calls.js';

export type { RoomActor, RoomController, RoomControllerOptions, RoomSnapshot } from './controller.types.js';

export const DEFAULT_ENTER_TIMEOUT_MS = 15_000;
export const DEFAULT_EXIT_TIMEOUT_MS = 5_000;

const BUSY_HINTS: Partial<Record<RoomStateName, string>> = {
  entering: 'an enter() is already in progress',
  inRoom: 'the room is entered already; exit() first',
  exiting: 'an exit is in progress; await exit() first',
};

/** The top-level state of a snapshot: idle, entering, inRoom, exiting, kicked or destroyed. */
export function stateOf(snapshot: RoomSnapshot): RoomStateName {
  const value = snapshot.value;
  return typeof value === 'string' ? value : (Object.keys(value)[0] as RoomStateName);
}

/** The controller's first instance: a factory that throws gives a typed error, with what it threw as cause. */
function firstInstance<T>(take: () => T): T {
  try {
    return take();
  } catch (error) {
    if (isRoomError(error)) throw error;
    throw new RoomError('INVALID_PARAMETER', 'createRoomController(): the `trtc` factory threw while making the first instance', { field: 'trtc', cause: error });
  }
}

type Outcome = Extract<RoomEmitted, { type: 'enter.settled' | 'exit.settled' | 'switch.settled' }>['type'];

/**
 * Creates a controller that owns one room session over one TRTC instance (or a factory of them).
 * The machine decides every SDK call and how every command ends; this is wiring: each command is
 * checked, sent as an event, and its promise settled by the outcome the machine emits.
 */
export function createRoomController(options: RoomControllerOptions): RoomController {
  const command = 'createRoomController';
  const given = objectOf(options, 'options', command, 'options like { trtc: () => TRTC.create() }');
  const read = snapshotOf(given, ['trtc', 'enterTimeoutMs', 'exitTimeoutMs', 'inspect', 'redact', 'duplicateUser', 'reconnectGraceMs'], command);
  const enterTimeoutMs = parseBound('enterTimeoutMs', read.enterTimeoutMs, DEFAULT_ENTER_TIMEOUT_MS);
  const exitTimeoutMs = parseBound('exitTimeoutMs', read.exitTimeoutMs, DEFAULT_EXIT_TIMEOUT_MS);
  const observer = read.inspect === undefined ? undefined : parseObserver(read.inspect, command);
  const redactor = createRedactor(parseRedact(read.redact));
  const duplicateUser = parseDuplicateUser(read.duplicateUser);
  const reconnectGraceMs = parseGrace(read.reconnectGraceMs);
  const calls = createSdkCallLog(redactor);
  const inspection = createInspectionHub(createInspectionRedactor(redactor));
  if (observer) inspection.add(observer);
  const session = firstInstance(() =>
    createSession(read.trtc as RoomControllerOptions['trtc'], {
      wrap: calls.wrap,
      mask: (text) => redactor.mask(text),
      rosterChanged: ({ count, changes }) => {
        if (actor.getSnapshot().status === 'active') actor.send({ type: 'sdk.remote', count, changes });
      },
    }),
  );
  const actor = createActor(roomMachine.provide(trtcImplementations(session)), {
    input: { enterTimeoutMs, exitTimeoutMs, reconnectGraceMs, canRenewInstance: typeof read.trtc === 'function' },
    // Given at creation, the observer sees the actors start; later ones attach to the system on demand.
    ...(observer ? { inspect: inspection.observer } : {}),
  });
  let systemInspection: { unsubscribe(): void } | undefined;
  function inspect(added: InspectionObserver): () => void {
    const remove = inspection.add(parseObserver(added, 'inspect'), greetingFor(actor));
    if (!observer && !systemInspection) systemInspection = actor.system.inspect(inspection.observer);
    return () => {
      remove();
      if (inspection.size === 0 && systemInspection) {
        systemInspection.unsubscribe();
        systemInspection = undefined;
      }
    };
  }
  actor.start();
  const presence = createPresence(duplicateUser, () => {
    if (actor.getSnapshot().status === 'active') actor.send({ type: 'presence.duplicate' });
  });
  // The SDK sends no `leave` when the page goes away (measured: the socket just closes, and the
  // others see the user until the server times it out): the room is left as the page hides, as
  // exit() leaves it (out of a room that makes no SDK call).
  const stopWatchingPage = onPageHide(() => {
    if (actor.getSnapshot().status === 'active') actor.send({ type: 'room.exit' });
  });
  // This controller's claim on its room follows the machine: held from the enter to the session's end.
  let claimed = false;
  actor.subscribe({
    next(next) {
      const now = stateOf(next);
      const holding = now === 'entering' || now === 'inRoom';
      if (holding && !claimed && next.context.target) presence.claim(presenceKey(next.context.target));
      else if (!holding && claimed) presence.release();
      claimed = holding;
    },
    complete: () => {
      presence.close();
      stopWatchingPage();
    },
  });

  const snapshot = () => actor.getSnapshot();
  const state = () => stateOf(snapshot());

  /** Sends a command's event and settles with the outcome the machine emits for it (it may come within the send). */
  function outcome(type: Outcome, event: RoomEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      const subscription = actor.on(type, ({ error }) => {
        subscription.unsubscribe();
        if (error) reject(error);
        else resolve();
      });
      actor.send(event);
    });
  }

  /** A command that needs the SDK asks the factory again if it failed to replace a wedged instance. */
  function instanceFor(command: string, code: 'ENTER_FAILED' | 'MEDIA_FAILED' = 'MEDIA_FAILED'): void {
    try {
      session.ensureInstance();
    } catch (error) {
      throw toRoomError(code, command, error);
    }
  }

  /** Every command but destroy() refuses a destroyed controller first, whatever else is wrong. */
  function ensureAlive(command: string): void {
    if (snapshot().status !== 'active') throw roomErrors.destroyed(command);
  }

  function refuse(command: string): never {
    ensureAlive(command);
    throw roomErrors.invalidState(command, BUSY_HINTS[state()] ?? `the room is ${state()}`);
  }

  async function enter(config: EnterConfig): Promise<void> {
    ensureAlive('enter');
    const { target, options: enterOptions } = parseEnterConfig(config);
    const duplicate = duplicateUser !== 'allow' && presence.heldElsewhere(presenceKey(target)) ? duplicateUser : undefined;
    const event = { type: 'room.enter', target, ...(duplicate ? { duplicate } : {}) } as const;
    // The machine decides: an enter it would not take is refused here, before any SDK call.
    if (!snapshot().can(event)) refuse('enter');
    instanceFor('enter', 'ENTER_FAILED');
    // Only an enter that goes on adds its secrets: the redactor keeps the latest few, and refused
    // attempts must not push out those of the session in progress.
    redactor.addSecret(enterOptions.userSig);
    redactor.addSecret(enterOptions.privateMapKey);
    session.giveEnterOptions(enterOptions);
    try {
      await outcome('enter.settled', event);
    } finally {
      session.takeEnterOptions();
    }
  }

  async function switchWith(command: string, event: RoomEvent, credentials: SwitchCredentials): Promise<void> {
    if (!snapshot().can(event)) refuse(command);
    redactor.addSecret(credentials.userSig);
    redactor.addSecret(credentials.privateMapKey);
    session.giveSwitchOptions({ userSig: credentials.userSig, privateMapKey: credentials.privateMapKey });
    try {
      await outcome('switch.settled', event);
    } finally {
      session.takeSwitchOptions();
    }
  }

  const host = { actor, session, ensureAlive, refuse, instanceFor };
  const devices = createDeviceCommands(host);
  const remote = createRemoteCommands(host);
  const memo = createViewMemo();

  return {
    enter,
    async exit() {
      ensureAlive('exit');
      await outcome('exit.settled', { type: 'room.exit' });
    },
    async destroy() {
      if (snapshot().status !== 'active') return;
      await new Promise<void>((resolve) => {
        const subscription = actor.on('destroyed', () => {
          subscription.unsubscribe();
          resolve();
        });
        actor.send({ type: 'room.destroy' });
      });
      // Media commands queued behind one that was waiting settle too (DESTROYED) before this resolves.
      await devices.drained();
    },

    startLocalAudio: (o) => devices.start('microphone', 'startLocalAudio', o),
    updateLocalAudio: (o) => devices.update('microphone', 'updateLocalAudio', o),
    stopLocalAudio: () => devices.stop('microphone', 'stopLocalAudio'),
    startLocalVideo: (o) => devices.start('camera', 'startLocalVideo', o),
    updateLocalVideo: (o) => devices.update('camera', 'updateLocalVideo', o),
    stopLocalVideo: () => devices.stop('camera', 'stopLocalVideo'),
    startScreenShare: (o) => devices.start('screen', 'startScreenShare', o),
    updateScreenShare: (o) => devices.update('screen', 'updateScreenShare', o),
    stopScreenShare: () => devices.stop('screen', 'stopScreenShare'),

    ...remote,

    async switchRole(role, switchOptions) {
      ensureAlive('switchRole');
      const event = { type: 'room.switchRole', role: parseRole(role) } as const;
      await switchWith('switchRole', event, parseSwitchRoleOptions(switchOptions));
    },
    async switchRoom(switchOptions) {
      ensureAlive('switchRoom');
      const { room, ...credentials } = parseSwitchRoom(switchOptions, snapshot().context.target);
      await switchWith('switchRoom', { type: 'room.switchRoom', room }, credentials);
    },

    view: () => memo({ state: state(), context: snapshot().context, remoteUsers: session.roster.snapshot() }),
    getSnapshot: snapshot,
    subscribe(listener) {
      checkListener('subscribe', listener);
      const subscription = actor.subscribe(isolated('subscribe', listener));
      return () => subscription.unsubscribe();
    },
    on(type, listener) {
      checkEmittedType(type);
      checkListener('on', listener);
      // XState types the handler by an intersection TypeScript cannot narrow; the event is RoomEmittedOf<T>.
      const subscription = actor.on(type, isolated(`on('${type}')`, listener as (event: RoomEmitted) => void));
      return () => subscription.unsubscribe();
    },
    inspect,
    onSdkCall(listener) {
      checkListener('onSdkCall', listener);
      return calls.subscribe(listener);
    },
    actor,
  };
}
