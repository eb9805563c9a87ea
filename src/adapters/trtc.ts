import { fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { deviceMachine } from '../machines/device/device.machine.js';
import type { DeviceCallInput, DeviceEvent, DeviceKind } from '../machines/device/device.types.js';
import { describeSdkError } from '../machines/room/room.errors.js';
import type {
  EnterConfig,
  EnterRoomInput,
  KickReason,
  RemoteChange,
  SdkConnectionState,
  SdkEvent,
  StreamType,
  SwitchRoleInput,
  SwitchRoomInput,
  UserRole,
} from '../machines/room/room.types.js';
import type { LocalAudioOptions, LocalVideoOptions, ScreenShareOptions, TrtcLike } from './trtc.types.js';

export type * from './trtc.types.js';

/** The SDK's event names (`TRTC.EVENT.*` values) the controller listens to. */
export const SDK_EVENT = {
  KICKED_OUT: 'kicked-out',
  ERROR: 'error',
  CONNECTION_STATE_CHANGED: 'connection-state-changed',
  REMOTE_USER_ENTER: 'remote-user-enter',
  REMOTE_USER_EXIT: 'remote-user-exit',
  REMOTE_AUDIO_AVAILABLE: 'remote-audio-available',
  REMOTE_AUDIO_UNAVAILABLE: 'remote-audio-unavailable',
  REMOTE_VIDEO_AVAILABLE: 'remote-video-available',
  REMOTE_VIDEO_UNAVAILABLE: 'remote-video-unavailable',
  AUDIO_VOLUME: 'audio-volume',
  NETWORK_QUALITY: 'network-quality',
  AUTOPLAY_FAILED: 'autoplay-failed',
  SCREEN_SHARE_STOPPED: 'screen-share-stopped',
} as const;

/** Secrets of a switch: never in the machine. */
export interface SwitchCredentials {
  userSig?: string;
  privateMapKey?: string;
}

export type MediaOptions = {
  microphone: LocalAudioOptions;
  camera: LocalVideoOptions;
  screen: ScreenShareOptions;
};

/**
 * The controller's hold on its SDK instance, and on what must not enter the machine: credentials,
 * DOM elements and callbacks. Snapshots stay serialisable and free of secrets.
 */
export interface TrtcSession {
  /** The instance in use. */
  readonly trtc: TrtcLike;
  /** Hands over the full enterRoom options once; they are not kept after the call. */
  takeEnterOptions(): EnterConfig | undefined;
  /** Hands over the options of the next start/update of a device once. */
  takeMediaOptions<K extends DeviceKind>(kind: K): MediaOptions[K] | undefined;
  /** Hands over the credentials of the next switchRole/switchRoom once. */
  takeSwitchOptions(): SwitchCredentials | undefined;
  /** Keeps the SDK's `resume()` of an autoplay failure, for `resumeAutoplay()`. */
  keepAutoplayResume(resume: () => Promise<unknown>): void;
  /** Applies a change of the remote roster (owned by the controller, O(1) per change) and notes it for the machine. */
  applyRemote(change: RemoteChange): void;
  clearRemote(): void;
  /** Replaces a destroyed instance by a fresh one from the factory. */
  renew(): void;
  /** Hides the secrets the controller knows in a text the SDK wrote (an error message). */
  mask(text: string): string;
}

const KICK_REASONS: Record<string, KickReason> = {
  kick: 'kick',
  banned: 'banned',
  room_disband: 'room_disband',
  'room-disband': 'room_disband',
};

/**
 * Maps the SDK's kick reason to ours; the docs' `room-disband` and the SDK's `room_disband` are one.
 * A reason the SDK does not document is the server's doing, so it reads as `banned`.
 */
export function normaliseKickReason(reason: unknown): KickReason {
  return (typeof reason === 'string' ? KICK_REASONS[reason] : undefined) ?? 'banned';
}

const CONNECTION_STATES: readonly SdkConnectionState[] = ['DISCONNECTED', 'CONNECTING', 'CONNECTED'];

function toConnectionState(value: unknown): SdkConnectionState {
  return CONNECTION_STATES.find((state) => state === value) ?? 'DISCONNECTED';
}

type Payload = Record<string, unknown>;

function payloadOf(value: unknown): Payload {
  return typeof value === 'object' && value !== null ? (value as Payload) : {};
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const streamTypeOf = (payload: Payload): StreamType => (payload.streamType === 'sub' ? 'sub' : 'main');

/** Calls `fn` and turns a synchronous throw into a rejection, so a bound can apply to it. */
async function call<T>(fn: () => Promise<unknown>, result: T): Promise<T> {
  await fn();
  return result;
}

/** How each SDK event becomes a machine event (or nothing). */
function translations(session: TrtcSession, onKicked: () => void): Record<string, (payload: Payload) => SdkEvent | undefined> {
  // Roster changes are data, not lifecycle: applied at once, O(1); the machine hears of them once per burst.
  const remote = (change: RemoteChange): undefined => {
    session.applyRemote(change);
    return undefined;
  };
  return {
    [SDK_EVENT.KICKED_OUT]: (p) => {
      onKicked();
      return { type: 'sdk.kickedOut', reason: normaliseKickReason(p.reason) };
    },
    [SDK_EVENT.ERROR]: (p) => {
      const { code, extraCode, message } = describeSdkError(p);
      return { type: 'sdk.error', error: { code: code ?? 0, message: session.mask(message), cause: p, ...(extraCode === undefined ? {} : { extraCode }) } };
    },
    [SDK_EVENT.CONNECTION_STATE_CHANGED]: (p) => ({
      type: 'sdk.connectionChanged',
      state: toConnectionState(p.state),
      prevState: toConnectionState(p.prevState),
    }),
    [SDK_EVENT.REMOTE_USER_ENTER]: (p) => remote({ kind: 'enter', userId: text(p.userId) }),
    [SDK_EVENT.REMOTE_USER_EXIT]: (p) => remote({ kind: 'exit', userId: text(p.userId) }),
    [SDK_EVENT.REMOTE_AUDIO_AVAILABLE]: (p) => remote({ kind: 'audio', userId: text(p.userId), available: true }),
    [SDK_EVENT.REMOTE_AUDIO_UNAVAILABLE]: (p) => remote({ kind: 'audio', userId: text(p.userId), available: false }),
    [SDK_EVENT.REMOTE_VIDEO_AVAILABLE]: (p) =>
      remote({ kind: 'video', userId: text(p.userId), streamType: streamTypeOf(p), available: true }),
    [SDK_EVENT.REMOTE_VIDEO_UNAVAILABLE]: (p) =>
      remote({ kind: 'video', userId: text(p.userId), streamType: streamTypeOf(p), available: false }),
    [SDK_EVENT.AUDIO_VOLUME]: (p) => {
      const result = Array.isArray(p.result) ? (p.result as unknown[]) : [];
      return remote({ kind: 'volumes', volumes: result.map((entry) => ({ userId: text(payloadOf(entry).userId), volume: num(payloadOf(entry).volume) })) });
    },
    [SDK_EVENT.NETWORK_QUALITY]: (p) => ({
      type: 'sdk.networkQuality',
      network: {
        uplink: num(p.uplinkNetworkQuality),
        downlink: num(p.downlinkNetworkQuality),
        uplinkRTT: num(p.uplinkRTT),
        downlinkRTT: num(p.downlinkRTT),
        uplinkLoss: num(p.uplinkLoss),
        downlinkLoss: num(p.downlinkLoss),
      },
    }),
    [SDK_EVENT.AUTOPLAY_FAILED]: (p) => {
      if (typeof p.resume === 'function') session.keepAutoplayResume(p.resume as () => Promise<unknown>);
      return { type: 'sdk.autoplayFailed' };
    },
  };
}

/** Adds one handler per event; the returned function removes exactly those. */
function listen(trtc: TrtcLike, handlers: Record<string, (payload: unknown) => void>): () => void {
  const entries = Object.entries(handlers);
  for (const [name, handler] of entries) trtc.on(name, handler);
  return () => {
    for (const [name, handler] of entries) {
      try {
        trtc.off(name, handler);
      } catch {
        // A destroyed SDK may refuse; it has dropped its listeners already.
      }
    }
  };
}

const MEDIA_CALLS = {
  microphone: {
    start: (trtc: TrtcLike, options?: LocalAudioOptions) => trtc.startLocalAudio(options),
    update: (trtc: TrtcLike, options: LocalAudioOptions) => trtc.updateLocalAudio(options),
    stop: (trtc: TrtcLike) => trtc.stopLocalAudio(),
  },
  camera: {
    start: (trtc: TrtcLike, options?: LocalVideoOptions) => trtc.startLocalVideo(options),
    update: (trtc: TrtcLike, options: LocalVideoOptions) => trtc.updateLocalVideo(options),
    stop: (trtc: TrtcLike) => trtc.stopLocalVideo(),
  },
  screen: {
    start: (trtc: TrtcLike, options?: ScreenShareOptions) => trtc.startScreenShare(options),
    update: (trtc: TrtcLike, options: ScreenShareOptions) => trtc.updateScreenShare(options),
    stop: (trtc: TrtcLike) => trtc.stopScreenShare(),
  },
} as const;

/** The device machine with its SDK calls: one implementation for all three kinds. */
function localDevice(session: TrtcSession, attach: (handlers: Record<string, (payload: unknown) => void>) => () => void) {
  const calls = (kind: DeviceKind) => MEDIA_CALLS[kind] as {
    start(trtc: TrtcLike, options?: MediaOptions[DeviceKind]): Promise<unknown>;
    update(trtc: TrtcLike, options: MediaOptions[DeviceKind]): Promise<unknown>;
    stop(trtc: TrtcLike): Promise<unknown>;
  };
  return deviceMachine.provide({
    actors: {
      startDevice: fromPromise<void, DeviceCallInput>(({ input }) =>
        call(() => calls(input.kind).start(session.trtc, session.takeMediaOptions(input.kind)), undefined),
      ),
      stopDevice: fromPromise<void, DeviceCallInput>(({ input }) => call(() => calls(input.kind).stop(session.trtc), undefined)),
      updateDevice: fromPromise<void, DeviceCallInput>(({ input }) => {
        const given = session.takeMediaOptions(input.kind) ?? {};
        // A camera muted to a placeholder image keeps its image URL.
        const keep = input.muted === undefined || (input.muted && 'mute' in given && typeof given.mute === 'string');
        const options = keep ? given : { ...given, mute: input.muted };
        return call(() => calls(input.kind).update(session.trtc, options), undefined);
      }),
      // The browser's "Stop sharing" ends a screen share without any call of ours.
      deviceEvents: fromCallback<EventObject, DeviceCallInput, DeviceEvent>(({ input, sendBack }) =>
        input.kind === 'screen' ? attach({ [SDK_EVENT.SCREEN_SHARE_STOPPED]: () => sendBack({ type: 'device.ended' }) }) : () => undefined,
      ),
    },
  });
}

/**
 * Runs the lifecycle calls of one instance one after the other. The machine starts one at a time,
 * but a kick or a failed rejoin ends a switch without waiting for its call: the next enterRoom
 * then waits for it here (bounded by the enter's own bound), so calls never overlap in the SDK.
 * A call whose state was left while it waited is not made; an enter or a room switch that
 * succeeds after its state was left has put the SDK in a room nobody tracks, so it is left.
 */
function lifecycleQueue(destroyed: WeakSet<TrtcLike>) {
  const inFlight = new WeakMap<TrtcLike, Promise<unknown>>();
  const enqueue = <T>(trtc: TrtcLike, run: () => Promise<T>): Promise<T> => {
    const previous = inFlight.get(trtc);
    const next = previous ? previous.then(run, run) : run();
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    inFlight.set(trtc, settled);
    void settled.then(() => {
      if (inFlight.get(trtc) === settled) inFlight.delete(trtc);
    });
    return next;
  };
  // Calls that may put the SDK in a room (enter, switchRoom), with the exit of an abandoned one.
  const entering = new WeakMap<TrtcLike, Promise<unknown>>();
  /** `leaveIfAbandoned`, for calls that enter a room: whether a success nobody awaits any more is left. */
  const serial = <T>(trtc: TrtcLike, signal: AbortSignal, run: () => Promise<T>, leaveIfAbandoned?: () => boolean): Promise<T> => {
    const task = enqueue(trtc, async () => {
      if (signal.aborted) throw new Error('abandoned before the SDK call');
      const result = await run();
      // Left within the same turn of the queue, so the next call finds the SDK out of the room.
      if (leaveIfAbandoned && signal.aborted && !destroyed.has(trtc) && leaveIfAbandoned()) {
        await call(() => trtc.exitRoom(), undefined).catch(() => undefined);
      }
      return result;
    });
    if (leaveIfAbandoned) entering.set(trtc, task.catch(() => undefined));
    return task;
  };
  /** Resolves once no call that may enter a room is in flight for the instance. */
  const settled = async (trtc: TrtcLike): Promise<void> => {
    for (let pending = entering.get(trtc); pending; ) {
      await pending;
      const latest = entering.get(trtc);
      pending = latest === pending ? undefined : latest;
    }
  };
  return { serial, settled };
}

/** The SDK-facing implementations of the room machine's placeholders, over one session. */
export function trtcImplementations(session: TrtcSession) {
  const destroyed = new WeakSet<TrtcLike>();
  const { serial, settled } = lifecycleQueue(destroyed);
  // Listeners still attached. XState stops a state's invocations after the transition's own
  // actions run, so destroyInstance detaches them itself: no `off` ever reaches a destroyed SDK.
  const attached = new Set<() => void>();
  const attach = (handlers: Record<string, (payload: unknown) => void>) => {
    const remove = listen(session.trtc, handlers);
    const detach = () => {
      if (attached.delete(detach)) remove();
    };
    attached.add(detach);
    return detach;
  };
  // Kicks seen per instance: an enter that resolves after a kick has been left by the SDK already.
  const kicks = new WeakMap<TrtcLike, number>();
  const translate = translations(session, () => kicks.set(session.trtc, (kicks.get(session.trtc) ?? 0) + 1));

  return {
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(({ signal }) => {
        const options = session.takeEnterOptions();
        if (!options) return Promise.reject(new Error('enterRoom: no credentials were given; call enter() on the controller'));
        const { trtc } = session;
        const kicksBefore = kicks.get(trtc) ?? 0;
        // A kick after the call began means the SDK has left that room already: nothing to leave.
        return serial(trtc, signal, () => call(() => trtc.enterRoom(options), undefined), () => (kicks.get(trtc) ?? 0) === kicksBefore);
      }),
      exitRoom: fromPromise<void>(({ signal }) => {
        const { trtc } = session;
        return serial(trtc, signal, () => call(() => trtc.exitRoom(), undefined));
      }),
      switchRole: fromPromise<UserRole, SwitchRoleInput>(({ input, signal }) => {
        const privateMapKey = session.takeSwitchOptions()?.privateMapKey;
        const { trtc } = session;
        const option = privateMapKey === undefined ? undefined : { privateMapKey };
        return serial(trtc, signal, () => call(() => trtc.switchRole(input.role, option), input.role));
      }),
      switchRoom: fromPromise<SwitchRoomInput['room'], SwitchRoomInput>(({ input, signal }) => {
        const { userSig = '', privateMapKey } = session.takeSwitchOptions() ?? {};
        const options = { ...input.room, userSig, ...(privateMapKey === undefined ? {} : { privateMapKey }) };
        const { trtc } = session;
        // A switch that succeeds after a kick has entered the new room: it must be left.
        return serial(trtc, signal, () => call(() => trtc.switchRoom(options), input.room), () => true);
      }),
      lifecycleSettled: fromPromise<void>(() => settled(session.trtc)),
      sdkEvents: fromCallback<EventObject, void, SdkEvent>(({ sendBack }) => {
        // Some translations act at once (the roster): a call that reaches a handler after it was
        // removed (an event the SDK had already dispatched) must do nothing.
        let listening = true;
        const handlers: Record<string, (payload: unknown) => void> = {};
        for (const [name, toEvent] of Object.entries(translate)) {
          handlers[name] = (payload) => {
            if (!listening) return;
            const event = toEvent(payloadOf(payload));
            if (event) sendBack(event);
          };
        }
        const detach = attach(handlers);
        return () => {
          listening = false;
          detach();
        };
      }),
      localDevice: localDevice(session, attach),
    },
    actions: {
      destroyInstance: () => {
        for (const detach of [...attached]) detach();
        destroyed.add(session.trtc);
        try {
          const result = session.trtc.destroy();
          if (result instanceof Promise) result.catch(() => undefined);
        } catch {
          // destroy() may throw (5100 while still in a room); the instance is retired either way.
        }
      },
      renewInstance: () => session.renew(),
      clearRoster: () => session.clearRemote(),
    },
  };
}
