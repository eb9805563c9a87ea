import { fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { deviceMachine } from '../machines/device/device.machine.js';
import type { DeviceCallInput, DeviceEvent, DeviceKind } from '../machines/device/device.types.js';
import { describeSdkError } from '../errors.js';
import type { SdkEventsInput } from '../machines/room/room.setup.js';
import type {
  EnterConfig,
  EnterRoomInput,
  KickReason,
  RemoteCall,
  RemoteCallInput,
  RemoteChange,
  SdkConnectionState,
  RoomEvent,
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
  /** Makes the remote media or playback call the command `id` asked for, with the options it handed over. */
  remoteCall(id: number, call: RemoteCall): Promise<unknown>;
  /** Hides the secrets the controller knows in a text the SDK wrote (an error message). */
  mask(text: string): string;
  /** The same, to any depth, on a value the SDK sent (an error event's payload). */
  maskValue(value: unknown): unknown;
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
function translations(session: TrtcSession): Record<string, (payload: Payload) => SdkEvent | undefined> {
  // Roster changes are data, not lifecycle: applied at once, O(1); the machine hears of them once per burst.
  const remote = (change: RemoteChange): undefined => {
    session.applyRemote(change);
    return undefined;
  };
  return {
    [SDK_EVENT.KICKED_OUT]: (p) => ({ type: 'sdk.kickedOut', reason: normaliseKickReason(p.reason) }),
    [SDK_EVENT.ERROR]: (p) => {
      const { code, extraCode, message } = describeSdkError(p);
      const error = { code: code ?? 0, message: session.mask(message), cause: session.maskValue(p) };
      return { type: 'sdk.error', error: extraCode === undefined ? error : { ...error, extraCode } };
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

/**
 * Adds one handler per event; the returned function removes exactly those. All or none: when
 * `on()` throws, the handlers added so far are removed again and the error is thrown.
 */
function listen(trtc: TrtcLike, handlers: Record<string, (payload: unknown) => void>): () => void {
  const added: Array<[string, (payload: unknown) => void]> = [];
  const remove = () => {
    for (const [name, handler] of added) {
      try {
        trtc.off(name, handler);
      } catch {
        // A destroyed SDK may refuse; it has dropped its listeners already.
      }
    }
  };
  try {
    for (const entry of Object.entries(handlers)) {
      added.push(entry);
      trtc.on(...entry);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return remove;
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
      deviceEvents: fromCallback<EventObject, DeviceCallInput, DeviceEvent>(({ input, sendBack }) => {
        if (input.kind !== 'screen') return () => undefined;
        try {
          return attach({ [SDK_EVENT.SCREEN_SHARE_STOPPED]: () => sendBack({ type: 'device.ended' }) });
        } catch {
          // An instance that refuses listeners is retired by the room (sdk.listenerRefused) as soon
          // as a session starts on it; until then the share goes on, with "Stop sharing" unheard.
          return () => undefined;
        }
      }),
    },
  });
}

/** The SDK-facing implementations of the room machine's placeholders, over one session. */
export function trtcImplementations(session: TrtcSession) {
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
  const translate = translations(session);
  // Out of a room only what ends a session is heard: the roster is not fed.
  const sessionEnding = new Set<string>([SDK_EVENT.KICKED_OUT, SDK_EVENT.ERROR]);

  return {
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(() => {
        const options = session.takeEnterOptions();
        if (!options) return Promise.reject(new Error('enterRoom: no credentials were given; call enter() on the controller'));
        const { trtc } = session;
        return call(() => trtc.enterRoom(options), undefined);
      }),
      exitRoom: fromPromise<void>(() => {
        const { trtc } = session;
        return call(() => trtc.exitRoom(), undefined);
      }),
      switchRole: fromPromise<UserRole, SwitchRoleInput>(({ input }) => {
        const privateMapKey = session.takeSwitchOptions()?.privateMapKey;
        const { trtc } = session;
        const option = privateMapKey === undefined ? undefined : { privateMapKey };
        return call(() => trtc.switchRole(input.role, option), input.role);
      }),
      switchRoom: fromPromise<SwitchRoomInput['room'], SwitchRoomInput>(({ input }) => {
        const { userSig = '', privateMapKey } = session.takeSwitchOptions() ?? {};
        const options = { ...input.room, userSig, ...(privateMapKey === undefined ? {} : { privateMapKey }) };
        const { trtc } = session;
        return call(() => trtc.switchRoom(options), input.room);
      }),
      remoteCall: fromCallback<EventObject, RemoteCallInput>(({ input, sendBack }) => {
        const { id, call: name, change } = input;
        const answer = (error: unknown) => sendBack({ type: 'remote.done', id, call: name, ...(change ? { change } : {}), error });
        call(() => session.remoteCall(id, name), undefined).then(
          () => answer(null),
          (error: unknown) => answer(error ?? new Error(`${name} failed`)),
        );
      }),
      sdkEvents: fromCallback<EventObject, SdkEventsInput, SdkEvent>(({ input, sendBack }) => {
        // Some translations act at once (the roster): a call that reaches a handler after it was
        // removed (an event the SDK had already dispatched) must do nothing.
        let listening = true;
        const handlers: Record<string, (payload: unknown) => void> = {};
        for (const [name, toEvent] of Object.entries(translate)) {
          if (!input.roster && !sessionEnding.has(name)) continue;
          handlers[name] = (payload) => {
            if (!listening) return;
            const event = toEvent(payloadOf(payload));
            if (event) sendBack(event);
          };
        }
        let detach: () => void;
        try {
          detach = attach(handlers);
        } catch (error) {
          sendBack({ type: 'sdk.listenerRefused', error: session.maskValue(error) });
          return () => undefined;
        }
        sendBack({ type: 'sdk.listening' });
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
        try {
          const result = session.trtc.destroy();
          if (result instanceof Promise) result.catch(() => undefined);
        } catch {
          // destroy() may throw (5100 while still in a room); the instance is retired either way.
        }
      },
      renewInstance: () => session.renew(),
      clearRoster: () => session.clearRemote(),
      applyRemoteChange: ({ event }: { event: RoomEvent }) => {
        if (event.type === 'remote.done' && event.change) session.applyRemote(event.change);
      },
    },
  };
}
