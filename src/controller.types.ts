import type { Actor, SnapshotFrom } from 'xstate';
import type { ControllerSession } from './session.js';
import type {
  LocalAudioOptions,
  LocalVideoOptions,
  RemoteVideoOptions,
  ScreenShareOptions,
  StopRemoteVideoOptions,
  SwitchRoomOptions,
  TrtcLike,
} from './adapters/trtc.types.js';
import type { InspectionObserver } from './inspect/inspection.js';
import type { RedactOptions } from './inspect/redact.js';
import type { DuplicateUserMode } from './presence.js';
import type { SdkCallListener } from './inspect/sdk-calls.js';
import type { RoomMachine } from './machines/room/room.machine.js';
import type { EnterConfig, RoomEmittedOf, RoomEmittedType, UserRole } from './machines/room/room.types.js';
import type { RoomView } from './machines/room/room.view.js';

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
  /**
   * The same userId in the same room from another tab or window of this browser (TRTC keeps one
   * session per userId: the first is kicked with reason `kick`). `'warn'` (default): enter, and both
   * controllers emit `duplicateUser` first; `'refuse'`: `enter()` rejects `DUPLICATE_USER` before
   * any SDK call; `'allow'`: say nothing. Learnt over a BroadcastChannel; nothing leaves the browser.
   */
  duplicateUser?: DuplicateUserMode;
  /**
   * How long the SDK may be away from CONNECTED, in a room, before `view().connection` (and the
   * `connection` event) says `reconnecting`. The SDK announces a kick with a DISCONNECTED 2–105 ms
   * before it, and a dropped socket comes back in ~40 ms: neither flashes "reconnecting".
   * Default 300; 0 shows every outage at once.
   */
  reconnectGraceMs?: number;
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

  /**
   * Starts the microphone. On a microphone that is on already, the options given are applied as
   * `updateLocalAudio` would apply them (none given: no SDK call). Likewise the camera and screen.
   */
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

/** What the media command modules need of the controller. */
export interface CommandHost {
  actor: RoomActor;
  session: ControllerSession;
  /** Throws DESTROYED once the controller is destroyed. */
  ensureAlive(command: string): void;
  /** Throws INVALID_STATE, saying what the room is doing. */
  refuse(command: string): never;
  /** Asks the factory again when it failed to replace a wedged instance. */
  instanceFor(command: string): void;
}
