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
import { RoomError, toRoomError } from './machines/room/room.errors.js';
import type { RoomErrorCode } from './machines/room/room.errors.js';
import { roomMachine } from './machines/room/room.machine.js';
import type { RoomMachine } from './machines/room/room.machine.js';
import type {
  EnterConfig,
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
  setRemoteAudioVolume(userId: string, volume: number): void;
  /**
   * Turns on `audio-volume` events (volumes land in `view().remoteUsers[].volume`); 0 turns them
   * off. Kept for the controller's life: a fresh instance replacing a wedged one gets it too.
   */
  enableAudioVolumeEvaluation(intervalMs?: number): void;
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

/** `mute: true`, or a camera's placeholder image URL (the SDK shows it instead), mutes; `false` unmutes. */
function requestedMute(options: LocalAudioOptions | LocalVideoOptions | ScreenShareOptions | undefined): boolean | undefined {
  if (!options || !('mute' in options)) return undefined;
  if (typeof options.mute === 'boolean') return options.mute;
  return typeof options.mute === 'string' && options.mute !== '' ? true : undefined;
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

  // The last error emitted, so promises reject with the very RoomError (and its SDK cause).
  let lastError: RoomError | undefined;
  actor.on('error', ({ error }) => {
    lastError = error;
  });
  actor.start();

  const snapshot = () => actor.getSnapshot();
  const state = () => stateOf(snapshot());

  const reported = (code: RoomErrorCode, fallback: () => RoomError): RoomError => {
    const data = snapshot().context.error;
    if (data?.code !== code) return fallback();
    return lastError?.code === code ? lastError : RoomError.fromData(data);
  };

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
  const whenNot = (pending: readonly RoomStateName[]) => until((next) => !pending.includes(stateOf(next)));

  const destroyedError = (command: string) =>
    new RoomError('DESTROYED', `${command}(): this controller was destroyed; create a new one with createRoomController()`);

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
    if (state() === 'destroyed') throw destroyedError(command);
  }

  function refuse(command: string): never {
    ensureAlive(command);
    throw new RoomError('INVALID_STATE', `${command}() is not possible now: ${BUSY_HINTS[state()] ?? `the room is ${state()}`}`);
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
    actor.send(event);
    const outcome = await whenNot(['entering']);
    session.takeEnterOptions();

    switch (stateOf(outcome)) {
      case 'inRoom':
        return;
      case 'exiting': {
        // Entering ends in exiting for three reasons: exit() (the room was entered and is being
        // left), destroy() or the bound, both with a device to stop first.
        const { context } = outcome;
        if (context.destroyRequested) throw destroyedError('enter');
        if (context.error?.code === 'ENTER_TIMEOUT') throw reported('ENTER_TIMEOUT', () => new RoomError('ENTER_TIMEOUT', 'enter() timed out'));
        throw new RoomError('CANCELLED', 'enter() was cancelled by exit(): the room was entered and is being left');
      }
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
    ensureAlive('exit');
    const errorBefore = snapshot().context.error;
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
    if (snapshot().status !== 'active') return;
    actor.send({ type: 'room.destroy' });
    await until((next) => stateOf(next) === 'destroyed');
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
      if (event.type === 'media.start' && context.role === 'audience' && context.target?.scene === 'live') {
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
    if (outcome.status !== 'active' || stateOf(outcome) === 'destroyed') throw destroyedError(command);
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

  // ---- remote media: direct SDK calls, allowed in idle, while entering and in the room ----

  function syncCall(command: string, run: () => unknown): void {
    instanceFor('MEDIA_FAILED', command);
    try {
      run();
    } catch (error) {
      throw toRoomError('MEDIA_FAILED', command, error);
    }
  }

  async function remoteCall(command: string, run: (trtc: TrtcLike) => Promise<unknown>, change?: () => RemoteChange): Promise<void> {
    ensureAlive(command);
    if (state() !== 'inRoom' && state() !== 'entering' && state() !== 'idle') refuse(command);
    instanceFor('MEDIA_FAILED', command);
    try {
      await run(session.trtc);
    } catch (error) {
      throw toRoomError('MEDIA_FAILED', command, error);
    }
    if (change && (state() === 'inRoom' || state() === 'entering')) session.applyRemote(change());
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
    const errorBefore = snapshot().context.error;
    redactor.addSecret(credentials.userSig);
    redactor.addSecret(credentials.privateMapKey);
    session.giveSwitchOptions({ userSig: credentials.userSig, privateMapKey: credentials.privateMapKey });
    actor.send(event);
    const outcome = await until((next) => {
      const value = next.value;
      return typeof value === 'string' || !('inRoom' in value) || value.inRoom === 'active';
    });
    session.takeSwitchOptions();
    const error = outcome.context.error;
    if (error && error !== errorBefore) throw reported(error.code, () => RoomError.fromData(error));
    // Kicked, even when a waiting destroy() took the room on past `kicked` at once.
    const { kickReason } = outcome.context;
    if (stateOf(outcome) === 'kicked' || (kickReason && stateOf(outcome) !== 'inRoom')) {
      throw new RoomError('KICKED', `${command}(): kicked out of the room (reason: ${kickReason ?? 'banned'})`, { kickReason: kickReason ?? 'banned' });
    }
    if (stateOf(outcome) !== 'inRoom') throw new RoomError('CANCELLED', `${command}(): the room was left before the switch completed`);
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
      remoteCall('startRemoteVideo', (trtc) => trtc.startRemoteVideo(o), () => ({
        kind: 'subscription',
        userId: o.userId,
        streamType: o.streamType,
        playing: true,
      })),
    updateRemoteVideo: (o) => remoteCall('updateRemoteVideo', (trtc) => trtc.updateRemoteVideo(o)),
    stopRemoteVideo: (o) =>
      remoteCall('stopRemoteVideo', (trtc) => trtc.stopRemoteVideo(o), () => ({
        kind: 'subscription',
        userId: o.userId,
        streamType: o.streamType ?? 'main',
        playing: false,
      })),
    muteRemoteAudio: (userId, mute) =>
      remoteCall('muteRemoteAudio', (trtc) => trtc.muteRemoteAudio(userId, mute), () => ({ kind: 'audioMuted', userId, muted: mute })),
    setRemoteAudioVolume(userId, volume) {
      ensureAlive('setRemoteAudioVolume');
      if (state() !== 'inRoom' && state() !== 'entering' && state() !== 'idle') refuse('setRemoteAudioVolume');
      syncCall('setRemoteAudioVolume', () => session.trtc.setRemoteAudioVolume(userId, volume));
    },
    enableAudioVolumeEvaluation(intervalMs = 2000) {
      ensureAlive('enableAudioVolumeEvaluation');
      syncCall('enableAudioVolumeEvaluation', () => session.setVolumeEvaluation(intervalMs));
    },
    async resumeAutoplay() {
      await session.resumeAutoplay();
      actor.send({ type: 'room.autoplayResumed' });
    },

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
