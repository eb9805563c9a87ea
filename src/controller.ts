import { createActor } from 'xstate';
import type { Actor, InspectionEvent, SnapshotFrom } from 'xstate';
import { trtcImplementations } from './adapters/trtc.js';
import type { SwitchCredentials } from './adapters/trtc.js';
import type {
  LocalAudioOptions,
  LocalVideoOptions,
  RemoteVideoOptions,
  ScreenShareOptions,
  StopRemoteVideoOptions,
  SwitchRoomOptions,
  TrtcLike,
} from './adapters/trtc.types.js';
import type { DeviceKind } from './machines/device/device.types.js';
import { parseEnterConfig, parseRoom } from './machines/room/room.config.js';
import { RoomError, roomErrors, toRoomError } from './errors.js';
import type { RoomErrorCode } from './errors.js';
import { roomMachine } from './machines/room/room.machine.js';
import type { RoomMachine } from './machines/room/room.machine.js';
import type {
  EnterConfig,
  RemoteCall,
  RemoteChange,
  RoomEmitted,
  RoomEmittedOf,
  RoomEmittedType,
  RoomEvent,
  RoomStateName,
  UserRole,
} from './machines/room/room.types.js';
import { createViewMemo } from './machines/room/room.view.js';
import type { RoomView } from './machines/room/room.view.js';
import { createSession } from './session.js';
import type { RemoteRun } from './session.js';
import { mayPublish, requestedMute } from './machines/room/room.rules.js';
import { createInspectionHub, createInspectionRedactor } from './inspect/inspection.js';
import type { InspectionObserver } from './inspect/inspection.js';
import { createRedactor } from './inspect/redact.js';
import type { RedactOptions } from './inspect/redact.js';
import { createSdkCallLog } from './inspect/sdk-calls.js';
import type { SdkCallListener } from './inspect/sdk-calls.js';

export const DEFAULT_ENTER_TIMEOUT_MS = 15_000;
export const DEFAULT_EXIT_TIMEOUT_MS = 5_000;

export interface RoomControllerOptions {
  /**
   * The TRTC instance to drive, or (better) a factory for one: `() => TRTC.create()`. With a
   * factory, an instance that wedges (an enter or exit past its bound) is replaced by a fresh one;
   * with a plain instance the controller ends `destroyed`.
   */
  trtc: TrtcLike | (() => TrtcLike);
  /** Bound on `enterRoom` (and switchRole/switchRoom), in ms. The SDK's own join timeout is about 10 s. Default 15 000. */
  enterTimeoutMs?: number;
  /** Bound on `exitRoom`, and on stopping devices at the end of a session, in ms. Default 5 000. */
  exitTimeoutMs?: number;
  /**
   * An XState v5 inspection observer, such as `inspector.inspect` of an @statelyai/inspect
   * inspector. It sees every event from the start, with secrets redacted (docs/inspection.md).
   */
  inspect?: InspectionObserver;
  /** More secrets to keep out of inspection events and the SDK call log; userSig and privateMapKey always are. */
  redact?: RedactOptions;
}

export type RoomActor = Actor<RoomMachine>;
export type RoomSnapshot = SnapshotFrom<RoomMachine>;

export interface RoomController {
  /** Enters a room. Resolves once in the room; rejects with a RoomError otherwise. */
  enter(config: EnterConfig): Promise<void>;
  /** Leaves the room and stops the devices it started. Resolves at once, with no SDK call, when not in a room. */
  exit(): Promise<void>;
  /** Exits if needed, stops devices, then destroys the SDK instance. Always resolves; idempotent. */
  destroy(): Promise<void>;

  startLocalAudio(options?: LocalAudioOptions): Promise<void>;
  /** `{ mute: true | false }` mutes or unmutes; other options update the microphone. */
  updateLocalAudio(options: LocalAudioOptions): Promise<void>;
  stopLocalAudio(): Promise<void>;
  startLocalVideo(options?: LocalVideoOptions): Promise<void>;
  /** Quality profile, mirror, rotation (0/90/180/270); `{ mute: true | false }` mutes or unmutes. */
  updateLocalVideo(options: LocalVideoOptions): Promise<void>;
  stopLocalVideo(): Promise<void>;
  /** `option.systemAudio: true` shares the computer's audio where the browser supports it. */
  startScreenShare(options?: ScreenShareOptions): Promise<void>;
  updateScreenShare(options: ScreenShareOptions): Promise<void>;
  stopScreenShare(): Promise<void>;

  startRemoteVideo(options: RemoteVideoOptions): Promise<void>;
  updateRemoteVideo(options: RemoteVideoOptions): Promise<void>;
  stopRemoteVideo(options: StopRemoteVideoOptions): Promise<void>;
  muteRemoteAudio(userId: string, mute: boolean): Promise<void>;
  setRemoteAudioVolume(userId: string, volume: number): Promise<void>;
  /**
   * Turns on `audio-volume` events (volumes land in `view().remoteUsers[].volume`); 0 turns them
   * off. Kept for the controller's life: a fresh instance replacing a wedged one gets it too.
   */
  enableAudioVolumeEvaluation(intervalMs?: number): Promise<void>;
  /** After `view().autoplayBlocked`: call from a user gesture to resume playback. */
  resumeAutoplay(): Promise<void>;

  switchRole(role: UserRole, options?: { privateMapKey?: string }): Promise<void>;
  /** Moves to another room; the SDK may do it as exitRoom + enterRoom, and the role is the one given to enter(). */
  switchRoom(options: SwitchRoomOptions): Promise<void>;

  /** Everything a UI renders, plain and serialisable; the same object until something in it changes. */
  view(): RoomView;
  getSnapshot(): RoomSnapshot;
  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: RoomSnapshot) => void): () => void;
  /** Listens to one emitted event (`entered`, `exited`, `kicked`, `error`, ...); returns the unsubscribe function. */
  on<T extends RoomEmittedType>(type: T, listener: (event: RoomEmittedOf<T>) => void): () => void;
  /** Adds an inspection observer (redacted events, as the `inspect` option); returns the function that removes it. */
  inspect(observer: InspectionObserver): () => void;
  /** Reports each SDK call the controller makes, at its start and at its end, redacted; returns the unsubscribe function. */
  onSdkCall(listener: SdkCallListener): () => void;
  /** The XState actor, for framework bindings. Its own `system.inspect` is not redacted: use `inspect()`. */
  readonly actor: RoomActor;
}

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

function checkTimeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RoomError('INVALID_PARAMETER', `createRoomController(): ${name} must be a positive number of ms (got ${String(value)})`, {
      field: name,
    });
  }
  return value;
}

function checkObserver(observer: unknown): void {
  const ok = typeof observer === 'function' || (typeof observer === 'object' && observer !== null && typeof (observer as { next?: unknown }).next === 'function');
  if (!ok) {
    throw new RoomError('INVALID_PARAMETER', 'inspect: an XState inspection observer is needed: a function, or an object with next() (e.g. inspector.inspect)', {
      field: 'inspect',
    });
  }
}

function checkInspectOptions(options: RoomControllerOptions): void {
  if (options.inspect !== undefined) checkObserver(options.inspect);
  const { redact } = options;
  if (redact === undefined) return;
  if (typeof redact !== 'object' || redact === null) {
    throw new RoomError('INVALID_PARAMETER', 'createRoomController(): redact must be an object like { keys: [...], values: [...] }', { field: 'redact' });
  }
  for (const field of ['keys', 'values'] as const) {
    const list: unknown = redact[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
      throw new RoomError('INVALID_PARAMETER', `createRoomController(): redact.${field} must be an array of strings`, { field: `redact.${field}` });
    }
  }
}

const DEVICE_NAMES: Record<DeviceKind, string> = { microphone: 'microphone', camera: 'camera', screen: 'screen share' };

/** Creates a controller that owns one room session over one TRTC instance (or a factory of them). */
export function createRoomController(options: RoomControllerOptions): RoomController {
  const enterTimeoutMs = checkTimeout('enterTimeoutMs', options.enterTimeoutMs, DEFAULT_ENTER_TIMEOUT_MS);
  const exitTimeoutMs = checkTimeout('exitTimeoutMs', options.exitTimeoutMs, DEFAULT_EXIT_TIMEOUT_MS);
  checkInspectOptions(options);
  const redactor = createRedactor(options.redact);
  const calls = createSdkCallLog(redactor);
  const inspection = createInspectionHub(createInspectionRedactor(redactor));
  if (options.inspect) inspection.add(options.inspect);
  const session = createSession(options.trtc, {
    wrap: calls.wrap,
    mask: (text) => redactor.mask(text),
    rosterChanged: ({ count, changes }) => {
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'sdk.remote', count, changes });
    },
  });
  const actor = createActor(roomMachine.provide(trtcImplementations(session)), {
    input: { enterTimeoutMs, exitTimeoutMs, canRenewInstance: typeof options.trtc === 'function' },
    // Given at creation, the observer sees the actors start; later ones attach to the system on demand.
    ...(options.inspect ? { inspect: inspection.observer } : {}),
  });
  let systemInspection: { unsubscribe(): void } | undefined;
  function inspect(observer: InspectionObserver): () => void {
    checkObserver(observer);
    // The actors already running announce themselves to a late observer, as they did at their
    // start to one given at creation: inspectors take the machine definitions from these.
    const running = [actor, ...Object.values(snapshot().children)].filter((ref) => ref !== undefined);
    const greeting = running.map((ref): InspectionEvent => ({ type: '@xstate.actor', actorRef: ref, rootId: actor.sessionId }));
    const remove = inspection.add(observer, greeting);
    if (!options.inspect && !systemInspection) systemInspection = actor.system.inspect(inspection.observer);
    return () => {
      remove();
      if (inspection.size === 0 && systemInspection) {
        systemInspection.unsubscribe();
        systemInspection = undefined;
      }
    };
  }

  actor.start();

  const snapshot = () => actor.getSnapshot();
  const state = () => stateOf(snapshot());

  /** Resolves with the first snapshot (this one included) for which `done` holds. */
  const until = (done: (snapshot: RoomSnapshot) => boolean): Promise<RoomSnapshot> =>
    new Promise((resolve, reject) => {
      const settled = (next: RoomSnapshot) => next.status !== 'active' || done(next);
      if (settled(snapshot())) return resolve(snapshot());
      const subscription = actor.subscribe({
        next: (next) => {
          if (!settled(next)) return;
          subscription.unsubscribe();
          resolve(next);
        },
        error: (error) => reject(error),
      });
    });

  /**
   * Sends the command's event and waits for the machine to say how the command ended. The
   * listener is in place before the event is sent: a command may end within the send.
   */
  function outcome(type: 'enter.settled' | 'exit.settled' | 'switch.settled', event: RoomEvent): Promise<void> {
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
  function instanceFor(code: RoomErrorCode, command: string): void {
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
    redactor.addSecret(enterOptions.userSig);
    redactor.addSecret(enterOptions.privateMapKey);
    const event = { type: 'room.enter', target } as const;
    // The machine decides: an enter it would not take is refused here, before any SDK call.
    if (!snapshot().can(event)) refuse('enter');
    instanceFor('ENTER_FAILED', 'enter');
    session.giveEnterOptions(enterOptions);
    try {
      await outcome('enter.settled', event);
    } finally {
      session.takeEnterOptions();
    }
  }

  async function exit(): Promise<void> {
    ensureAlive('exit');
    await outcome('exit.settled', { type: 'room.exit' });
  }

  async function destroy(): Promise<void> {
    if (snapshot().status !== 'active') return;
    await new Promise<void>((resolve) => {
      const subscription = actor.on('destroyed', () => {
        subscription.unsubscribe();
        resolve();
      });
      actor.send({ type: 'room.destroy' });
    });
  }

  // ---- local devices ----

  const deviceOf = (kind: DeviceKind) => snapshot().context.local[kind];

  type MediaOptionsOf = LocalAudioOptions | LocalVideoOptions | ScreenShareOptions;

  async function deviceCommand(
    kind: DeviceKind,
    command: string,
    event: RoomEvent,
    settledWhen: (status: string) => boolean,
    options?: MediaOptionsOf,
  ): Promise<void> {
    if (!snapshot().can(event)) {
      ensureAlive(command);
      const context = snapshot().context;
      if (event.type === 'media.start' && !mayPublish(context, event.publish)) {
        throw new RoomError(
          'INVALID_STATE',
          `${command}(): an audience cannot publish in the live scene; switchRole('anchor') first, or pass publish: false to preview`,
        );
      }
      refuse(command);
    }
    instanceFor('MEDIA_FAILED', command);
    const errorBefore = deviceOf(kind).error;
    // Handed over only now that the command is taken, so no refused command leaves options behind.
    session.giveMediaOptions(kind, options as never);
    actor.send(event);
    const outcome = await until((next) => settledWhen(next.context.local[kind].status));
    const device = outcome.context.local[kind];
    if (device.error && device.error !== errorBefore) throw RoomError.fromData(device.error);
    if (outcome.status !== 'active' || stateOf(outcome) === 'destroyed') throw roomErrors.destroyed(command);
  }

  async function startDevice(kind: DeviceKind, command: string, options: MediaOptionsOf | undefined) {
    ensureAlive(command);
    const status = deviceOf(kind).status;
    // Started already: done (the SDK would reject 5998 "already started"; there is nothing to do).
    if (status === 'on') return;
    if (status === 'starting') {
      await until((next) => next.context.local[kind].status !== 'starting');
    } else {
      const start = { type: 'media.start', device: kind, publish: options?.publish !== false, muted: requestedMute(options) === true } as const;
      await deviceCommand(kind, command, start, (next) => next !== 'starting', options);
    }
    ensureAlive(command);
    const device = deviceOf(kind);
    if (device.status === 'failed' && device.error) throw RoomError.fromData(device.error);
    if (device.status !== 'on') {
      throw new RoomError('CANCELLED', `${command}(): the ${DEVICE_NAMES[kind]} was stopped before it started`);
    }
  }

  async function stopDevice(kind: DeviceKind, command: string): Promise<void> {
    ensureAlive(command);
    if (deviceOf(kind).status === 'off') return;
    await deviceCommand(kind, command, { type: 'media.stop', device: kind }, (next) => next === 'off' || next === 'failed');
  }

  async function updateDevice(kind: DeviceKind, command: string, options: MediaOptionsOf): Promise<void> {
    ensureAlive(command);
    if (deviceOf(kind).status !== 'on') {
      throw new RoomError('INVALID_STATE', `${command}(): the ${DEVICE_NAMES[kind]} is not on`);
    }
    const requested = requestedMute(options);
    // Muting what is muted changes nothing; any other option still goes to the SDK.
    const mute = requested === deviceOf(kind).muted ? undefined : requested;
    const onlyBooleanMute = typeof (options as { mute?: unknown }).mute === 'boolean' && Object.keys(options).every((key) => key === 'mute');
    if (mute === undefined && requested !== undefined && onlyBooleanMute) return;
    const event: RoomEvent =
      mute === undefined ? { type: 'media.update', device: kind } : { type: 'media.mute', device: kind, muted: mute };
    await deviceCommand(kind, command, event, () => noUpdateInFlight(kind), options);
  }

  const noUpdateInFlight = (kind: DeviceKind) => {
    const child = snapshot().children[kind];
    const value = child?.getSnapshot().value;
    return typeof value !== 'object' || value === null || !('on' in value) || value.on === 'ready';
  };

  /**
   * The commands of one device run one after the other, as the SDK's own per-track queue does:
   * a start after a stop waits for the stop, a second update for the first. Each command's
   * options are handed over when it runs, and whatever it did not use is dropped after it.
   */
  const deviceQueues: Record<DeviceKind, Promise<unknown>> = {
    microphone: Promise.resolve(),
    camera: Promise.resolve(),
    screen: Promise.resolve(),
  };
  function queued(kind: DeviceKind, run: () => Promise<void>): Promise<void> {
    const next = deviceQueues[kind].then(run, run).finally(() => session.takeMediaOptions(kind));
    deviceQueues[kind] = next.catch(() => undefined);
    return next;
  }

  // ---- remote media and playback: calls the machine makes (idle, entering, inRoom) ----

  const remoteWaiters = new Map<number, (error: RoomError | null) => void>();
  actor.on('remote.settled', ({ id, error }) => remoteWaiters.get(id)?.(error));
  let nextRemoteId = 1;

  function remoteCommand(command: RemoteCall, run: RemoteRun, change?: RemoteChange): Promise<void> {
    try {
      ensureAlive(command);
      instanceFor('MEDIA_FAILED', command);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = nextRemoteId++;
    session.giveRemoteCall(id, run);
    return new Promise<void>((resolve, reject) => {
      remoteWaiters.set(id, (error) => {
        remoteWaiters.delete(id);
        session.dropRemoteCall(id);
        if (error) reject(error);
        else resolve();
      });
      actor.send({ type: 'remote.call', id, call: command, ...(change ? { change } : {}) });
    });
  }

  // ---- role and room ----

  async function switchRole(role: UserRole, switchOptions: { privateMapKey?: string } = {}): Promise<void> {
    ensureAlive('switchRole');
    if (role !== 'anchor' && role !== 'audience') {
      throw new RoomError('INVALID_PARAMETER', `switchRole(): role must be 'anchor' or 'audience' (got ${String(role)})`, { field: 'role' });
    }
    return switchWith('switchRole', { type: 'room.switchRole', role }, switchOptions);
  }

  async function switchRoom(switchOptions: SwitchRoomOptions): Promise<void> {
    ensureAlive('switchRoom');
    const room = parseRoom('switchRoom', switchOptions);
    if (typeof switchOptions.userSig !== 'string' || switchOptions.userSig.trim() === '') {
      throw new RoomError('INVALID_PARAMETER', 'switchRoom(): userSig is required: a signature valid for the new room', { field: 'userSig' });
    }
    const current = snapshot().context.target;
    if (current && (current.roomId === undefined) !== (room.roomId === undefined)) {
      // The SDK refuses to switch between a numeric and a string room (5000/5019).
      const kind = current.roomId === undefined ? 'strRoomId' : 'roomId';
      throw new RoomError('INVALID_PARAMETER', `switchRoom(): the room was entered by ${kind}; switch to another ${kind}`, { field: kind });
    }
    if (current && current.roomId === room.roomId && current.strRoomId === room.strRoomId) {
      throw new RoomError('INVALID_PARAMETER', 'switchRoom(): that is the room already entered', { field: room.roomId ? 'roomId' : 'strRoomId' });
    }
    return switchWith('switchRoom', { type: 'room.switchRoom', room }, switchOptions);
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

  const memo = createViewMemo();

  return {
    enter,
    exit,
    destroy,

    startLocalAudio: (o) => queued('microphone', () => startDevice('microphone', 'startLocalAudio', o)),
    updateLocalAudio: (o) => queued('microphone', () => updateDevice('microphone', 'updateLocalAudio', o)),
    stopLocalAudio: () => queued('microphone', () => stopDevice('microphone', 'stopLocalAudio')),
    startLocalVideo: (o) => queued('camera', () => startDevice('camera', 'startLocalVideo', o)),
    updateLocalVideo: (o) => queued('camera', () => updateDevice('camera', 'updateLocalVideo', o)),
    stopLocalVideo: () => queued('camera', () => stopDevice('camera', 'stopLocalVideo')),
    startScreenShare: (o) => queued('screen', () => startDevice('screen', 'startScreenShare', o)),
    updateScreenShare: (o) => queued('screen', () => updateDevice('screen', 'updateScreenShare', o)),
    stopScreenShare: () => queued('screen', () => stopDevice('screen', 'stopScreenShare')),

    startRemoteVideo: (o) =>
      remoteCommand('startRemoteVideo', (trtc) => trtc.startRemoteVideo(o), {
        kind: 'subscription',
        userId: o.userId,
        streamType: o.streamType,
        playing: true,
      }),
    updateRemoteVideo: (o) => remoteCommand('updateRemoteVideo', (trtc) => trtc.updateRemoteVideo(o)),
    stopRemoteVideo: (o) =>
      remoteCommand('stopRemoteVideo', (trtc) => trtc.stopRemoteVideo(o), {
        kind: 'subscription',
        userId: o.userId,
        streamType: o.streamType ?? 'main',
        playing: false,
      }),
    muteRemoteAudio: (userId, mute) =>
      remoteCommand('muteRemoteAudio', (trtc) => trtc.muteRemoteAudio(userId, mute), { kind: 'audioMuted', userId, muted: mute }),
    setRemoteAudioVolume: (userId, volume) => remoteCommand('setRemoteAudioVolume', (trtc) => trtc.setRemoteAudioVolume(userId, volume)),
    enableAudioVolumeEvaluation: (intervalMs = 2000) =>
      remoteCommand('enableAudioVolumeEvaluation', (_, owner) => owner.setVolumeEvaluation(intervalMs)),
    resumeAutoplay: () => remoteCommand('resumeAutoplay', (_, owner) => owner.resumeAutoplay()),

    switchRole,
    switchRoom,

    view: () => memo({ state: state(), context: snapshot().context, remoteUsers: session.roster.snapshot() }),
    getSnapshot: snapshot,
    subscribe(listener) {
      const subscription = actor.subscribe(listener);
      return () => subscription.unsubscribe();
    },
    on(type, listener) {
      // XState types the handler by an intersection TypeScript cannot narrow; the event is RoomEmittedOf<T>.
      const subscription = actor.on(type, listener as (event: RoomEmitted) => void);
      return () => subscription.unsubscribe();
    },
    inspect,
    onSdkCall: (listener) => calls.subscribe(listener),
    actor,
  };
}
