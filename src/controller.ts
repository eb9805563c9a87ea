import { createActor } from 'xstate';
import type { Actor, SnapshotFrom } from 'xstate';
import { trtcImplementations } from './adapters/trtc.js';
import type { TrtcLike, TrtcSession } from './adapters/trtc.js';
import { parseEnterConfig } from './machines/room/room.config.js';
import { RoomError } from './machines/room/room.errors.js';
import type { RoomErrorCode } from './machines/room/room.errors.js';
import { roomMachine } from './machines/room/room.machine.js';
import type { RoomMachine } from './machines/room/room.machine.js';
import type {
  EnterConfig,
  RoomEmitted,
  RoomEmittedOf,
  RoomEmittedType,
  RoomStateName,
} from './machines/room/room.types.js';

export const DEFAULT_ENTER_TIMEOUT_MS = 15_000;
export const DEFAULT_EXIT_TIMEOUT_MS = 5_000;

export interface RoomControllerOptions {
  /**
   * The TRTC instance to drive, or (better) a factory for one: `() => TRTC.create()`. With a
   * factory, an instance that wedges (an enter or exit past its bound) is replaced by a fresh one;
   * with a plain instance the controller ends `destroyed`.
   */
  trtc: TrtcLike | (() => TrtcLike);
  /** Bound on `enterRoom`, in ms. The SDK's own join timeout is about 10 s. Default 15 000. */
  enterTimeoutMs?: number;
  /** Bound on `exitRoom`, in ms. Default 5 000. */
  exitTimeoutMs?: number;
}

export type RoomActor = Actor<RoomMachine>;
export type RoomSnapshot = SnapshotFrom<RoomMachine>;

export interface RoomController {
  /** Enters a room. Resolves once in the room; rejects with a RoomError otherwise. */
  enter(config: EnterConfig): Promise<void>;
  /** Leaves the room. Resolves at once, with no SDK call, when not in a room. */
  exit(): Promise<void>;
  /** Exits if needed, then destroys the SDK instance. Always resolves; idempotent. */
  destroy(): Promise<void>;
  getSnapshot(): RoomSnapshot;
  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: RoomSnapshot) => void): () => void;
  /** Listens to one emitted event (`entered`, `exited`, `kicked`, `error`, ...); returns the unsubscribe function. */
  on<T extends RoomEmittedType>(type: T, listener: (event: RoomEmittedOf<T>) => void): () => void;
  /** The XState actor, for inspection and framework bindings. */
  readonly actor: RoomActor;
}

const BUSY_HINTS: Partial<Record<RoomStateName, string>> = {
  entering: 'an enter() is already in progress',
  inRoom: 'the room is entered already; exit() first',
  exiting: 'an exit is in progress; await exit() first',
};

function stateOf(snapshot: RoomSnapshot): RoomStateName {
  return snapshot.value;
}

function isTrtcLike(value: unknown): value is TrtcLike {
  if (typeof value !== 'object' || value === null) return false;
  const methods = ['enterRoom', 'exitRoom', 'destroy', 'on', 'off'] as const;
  return methods.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

function checkTimeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RoomError('INVALID_PARAMETER', `createRoomController(): ${name} must be a positive number of ms (got ${String(value)})`, {
      field: name,
    });
  }
  return value;
}

function createSession(source: RoomControllerOptions['trtc']): TrtcSession & { giveEnterOptions(options: EnterConfig): void } {
  const factory = typeof source === 'function' ? source : undefined;
  const take = (): TrtcLike => {
    const instance = factory ? factory() : source;
    if (!isTrtcLike(instance)) {
      throw new RoomError(
        'INVALID_PARAMETER',
        'createRoomController(): `trtc` must be a TRTC instance or a factory returning one (TRTC.create()): enterRoom, exitRoom, destroy, on and off are needed',
        { field: 'trtc' },
      );
    }
    return instance;
  };
  let trtc = take();
  let enterOptions: EnterConfig | undefined;
  return {
    get trtc() {
      return trtc;
    },
    giveEnterOptions(options) {
      enterOptions = options;
    },
    takeEnterOptions() {
      const options = enterOptions;
      enterOptions = undefined;
      return options;
    },
    renew() {
      trtc = take();
    },
  };
}

/** Creates a controller that owns one room session over one TRTC instance (or a factory of them). */
export function createRoomController(options: RoomControllerOptions): RoomController {
  const enterTimeoutMs = checkTimeout('enterTimeoutMs', options.enterTimeoutMs, DEFAULT_ENTER_TIMEOUT_MS);
  const exitTimeoutMs = checkTimeout('exitTimeoutMs', options.exitTimeoutMs, DEFAULT_EXIT_TIMEOUT_MS);
  const session = createSession(options.trtc);
  const actor = createActor(roomMachine.provide(trtcImplementations(session)), {
    input: { enterTimeoutMs, exitTimeoutMs, canRenewInstance: typeof options.trtc === 'function' },
  });

  // The last error emitted, so promises reject with the very RoomError (and its SDK cause).
  let lastError: RoomError | undefined;
  actor.on('error', ({ error }) => {
    lastError = error;
  });
  actor.start();

  const reported = (code: RoomErrorCode, fallback: () => RoomError): RoomError => {
    const data = actor.getSnapshot().context.error;
    if (data?.code !== code) return fallback();
    return lastError?.code === code ? lastError : RoomError.fromData(data);
  };

  const whenNot = (pending: readonly RoomStateName[]): Promise<RoomSnapshot> =>
    new Promise((resolve, reject) => {
      const settled = (snapshot: RoomSnapshot) => !pending.includes(stateOf(snapshot)) || snapshot.status !== 'active';
      if (settled(actor.getSnapshot())) return resolve(actor.getSnapshot());
      const subscription = actor.subscribe({
        next: (snapshot) => {
          if (!settled(snapshot)) return;
          subscription.unsubscribe();
          resolve(snapshot);
        },
        error: (error) => reject(error),
      });
    });

  const destroyedError = (command: string) =>
    new RoomError('DESTROYED', `${command}(): this controller was destroyed; create a new one with createRoomController()`);

  async function enter(config: EnterConfig): Promise<void> {
    const state = stateOf(actor.getSnapshot());
    if (state === 'destroyed') throw destroyedError('enter');
    const { target, options: enterOptions } = parseEnterConfig(config);
    const event = { type: 'room.enter', target } as const;
    // The machine decides: an enter it would not take is refused here, before any SDK call.
    if (!actor.getSnapshot().can(event)) {
      throw new RoomError('INVALID_STATE', `enter() is not possible now: ${BUSY_HINTS[state] ?? `the room is ${state}`}`);
    }

    session.giveEnterOptions(enterOptions);
    actor.send(event);
    const outcome = await whenNot(['entering']);
    session.takeEnterOptions();

    switch (stateOf(outcome)) {
      case 'inRoom':
        return;
      case 'exiting':
        throw new RoomError('CANCELLED', 'enter() was cancelled by exit(): the room was entered and is being left');
      case 'kicked': {
        const reason = outcome.context.kickReason ?? 'banned';
        throw new RoomError('KICKED', `enter(): kicked out of the room while entering (reason: ${reason})`, { kickReason: reason });
      }
      case 'destroyed':
        throw reported('ENTER_TIMEOUT', () => destroyedError('enter'));
      default:
        throw reported(outcome.context.error?.code ?? 'ENTER_FAILED', () =>
          new RoomError('ENTER_FAILED', 'enter(): the enter did not complete'),
        );
    }
  }

  async function exit(): Promise<void> {
    if (stateOf(actor.getSnapshot()) === 'destroyed') throw destroyedError('exit');
    const errorBefore = actor.getSnapshot().context.error;
    // In idle and kicked the machine ignores it: there is no room to leave, and no SDK call.
    actor.send({ type: 'room.exit' });
    const outcome = await whenNot(['entering', 'inRoom', 'exiting']);
    const error = outcome.context.error;
    const code = error?.code;
    if (error !== errorBefore && (code === 'EXIT_FAILED' || code === 'EXIT_TIMEOUT')) {
      throw reported(code, () => new RoomError(code, 'exit() failed'));
    }
  }

  async function destroy(): Promise<void> {
    if (actor.getSnapshot().status !== 'active') return;
    actor.send({ type: 'room.destroy' });
    await whenNot(['idle', 'entering', 'inRoom', 'exiting', 'kicked']);
  }

  return {
    enter,
    exit,
    destroy,
    getSnapshot: () => actor.getSnapshot(),
    subscribe(listener) {
      const subscription = actor.subscribe(listener);
      return () => subscription.unsubscribe();
    },
    on(type, listener) {
      // XState types the handler by an intersection TypeScript cannot narrow; the event is RoomEmittedOf<T>.
      const subscription = actor.on(type, listener as (event: RoomEmitted) => void);
      return () => subscription.unsubscribe();
    },
    actor,
  };
}
