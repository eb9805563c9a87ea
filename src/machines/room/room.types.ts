import type { DeviceKind, DeviceReport, DeviceStatus } from '../device/device.types.js';
import type { KickReason, RoomError, RoomErrorData, SdkErrorInfo } from '../../errors.js';

/** Top-level states of a room session. */
export type RoomStateName = 'idle' | 'entering' | 'inRoom' | 'exiting' | 'kicked' | 'destroyed';

export type { KickReason };

export type ConnectionStatus = 'connected' | 'reconnecting' | 'disconnected';

export type Scene = 'rtc' | 'live';
export type UserRole = 'anchor' | 'audience';

export interface TurnServer {
  url: string;
  username?: string;
  credential?: string;
  credentialType?: 'password';
}

export interface ProxyServer {
  websocketProxy?: string;
  loggerProxy?: string;
  turnServer?: TurnServer | TurnServer[];
  iceTransportPolicy?: 'all' | 'relay';
  webtransportProxy?: string;
  scheduleProxy?: string;
  unifiedProxy?: string;
}

/** What `enter()` takes: the fields of the SDK's own `EnterRoomConfig`. */
export interface EnterConfig {
  sdkAppId: number;
  userId: string;
  userSig: string;
  /** Numeric room id, 1..4294967294. Wins over `strRoomId` when both are given (as in the SDK). */
  roomId?: number;
  strRoomId?: string;
  scene?: Scene;
  role?: UserRole;
  privateMapKey?: string;
  autoReceiveAudio?: boolean;
  autoReceiveVideo?: boolean;
  enableAutoPlayDialog?: boolean;
  latencyLevel?: number;
  businessInfo?: string;
  userDefineRecordId?: string;
  proxy?: string | ProxyServer;
  playoutDelay?: { min: number; max: number };
}

/**
 * The room being entered, as the snapshot shows it: identity only. Credentials and transport
 * options (userSig, privateMapKey, proxy) never enter the snapshot.
 */
export interface RoomTarget {
  sdkAppId: number;
  userId: string;
  roomId?: number;
  strRoomId?: string;
  scene?: Scene;
  role?: UserRole;
}

export type { SdkErrorInfo };

/** An SDK `error` event that does not end the session, as plain data. */
export interface RoomWarning {
  sdkCode: number;
  sdkExtraCode?: number;
  message: string;
}

export type SdkConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'CONNECTED';

/** Network quality as the SDK reports it: 0 unknown, 1 excellent … 5 very bad, 6 disconnected. */
export interface NetworkQuality {
  uplink: number;
  downlink: number;
  uplinkRTT: number;
  downlinkRTT: number;
  uplinkLoss: number;
  downlinkLoss: number;
}

export type StreamType = 'main' | 'sub';

/** An SDK event about remote users and their streams, as plain data. */
export type RemoteChange =
  | { kind: 'enter'; userId: string }
  | { kind: 'exit'; userId: string }
  | { kind: 'audio'; userId: string; available: boolean }
  | { kind: 'video'; userId: string; streamType: StreamType; available: boolean }
  | { kind: 'volumes'; volumes: ReadonlyArray<{ userId: string; volume: number }> }
  /** Results of the controller's own remote commands (startRemoteVideo, muteRemoteAudio). */
  | { kind: 'subscription'; userId: string; streamType: StreamType; playing: boolean }
  | { kind: 'audioMuted'; userId: string; muted: boolean };

/** The SDK calls a state may stop waiting for while they are still out (exitRoom never is). */
export type LifecycleCall = 'enterRoom' | 'switchRole' | 'switchRoom';

/** Remote media and playback calls: made in idle, entering and inRoom; never bounded (no prompt, but no harm either). */
export type RemoteCall =
  | 'startRemoteVideo'
  | 'updateRemoteVideo'
  | 'stopRemoteVideo'
  | 'muteRemoteAudio'
  | 'setRemoteAudioVolume'
  | 'resumeAutoplay'
  | 'enableAudioVolumeEvaluation';

export interface RoomContext {
  enterTimeoutMs: number;
  exitTimeoutMs: number;
  /** True when the controller was given a factory, so a wedged instance can be replaced. */
  canRenewInstance: boolean;
  /** Counts the SDK instances used so far (1 for the first); grows when a wedged one is replaced. */
  instance: number;
  target: RoomTarget | null;
  kickReason: KickReason | null;
  error: RoomErrorData | null;
  /** The SDK's last in-room warning (5500/5501 after failed reconnects); the session goes on. */
  warning: RoomWarning | null;
  connection: ConnectionStatus;
  /** How long an outage is kept quiet: a kick follows its DISCONNECTED within ~100 ms, a blip heals in ~40. */
  reconnectGraceMs: number;
  /** The SDK left CONNECTED and the grace runs: `connection` still says connected. */
  connectionLapse: boolean;
  exitRequested: boolean;
  destroyRequested: boolean;
  /** The instance is wedged: destroy it (and, with a factory, take a fresh one) at the end of the session. */
  retireRequested: boolean;
  /**
   * The lifecycle call of the instance still in flight, whether a state awaits it or not. One the
   * machine stopped waiting for (a kick or a failed rejoin ended its state, or a switch passed its
   * bound) is still tracked: the next enterRoom, or the exitRoom, waits for it, since the SDK
   * refuses overlapping calls.
   */
  callInFlight: LifecycleCall | null;
  /** The SDK left the room by itself (kicked out, or its rejoin failed) since the last enterRoom began: no exitRoom. */
  sdkLeft: boolean;
  /** How the exit in progress ended, for `exit.settled` once the session is over. */
  exitError: RoomErrorData | null;
  /**
   * A command past its bound (an enter with devices to stop, a switch) settles once the instance is
   * retired and the controller usable again: its outcome waits here till then.
   */
  owedOutcome: { command: 'enter' | 'switch'; error: RoomErrorData } | null;
  /** Remote calls in flight, by request id: each settles, with DESTROYED at the latest. */
  remoteCalls: Array<{ id: number; call: RemoteCall }>;
  /** The role in the room now (switchRole changes it); null outside a room. */
  role: UserRole | null;
  /** Each local device as its own machine reports it. */
  local: Record<DeviceKind, DeviceReport>;
  network: NetworkQuality;
  /** The browser refused to play remote media until the user interacts with the page. */
  autoplayBlocked: boolean;
}

export interface RoomInput {
  enterTimeoutMs: number;
  exitTimeoutMs: number;
  /** How long the SDK may be away from CONNECTED before the room shows `reconnecting` (default 300). */
  reconnectGraceMs?: number;
  canRenewInstance: boolean;
}

export type RoomEvent =
  /**
   * `duplicate`: another controller of this browser profile is in (or entering) that room as that
   * user, and what the app asked for then (`duplicateUser` option): go ahead and warn, or refuse.
   */
  | { type: 'room.enter'; target: RoomTarget; duplicate?: 'warn' | 'refuse' }
  /** Another controller of this browser profile is entering this room as this user: the SDK will kick this one (`kick`). */
  | { type: 'presence.duplicate' }
  | { type: 'room.exit' }
  | { type: 'room.destroy' }
  | { type: 'sdk.kickedOut'; reason: KickReason }
  | { type: 'sdk.error'; error: SdkErrorInfo }
  | { type: 'sdk.connectionChanged'; state: SdkConnectionState; prevState: SdkConnectionState }
  /** Raised by the machine `reconnectGraceMs` after the SDK left CONNECTED in the room, unless it came back or the session ended. */
  | { type: 'connection.graceEnded' }
  /**
   * The roster changed (applied already, at the SDK event): one notice per burst of SDK events.
   * `changes` holds the first few of the burst, for inspection; `count` all of them.
   */
  | { type: 'sdk.remote'; count: number; changes: readonly RemoteChange[] }
  | { type: 'sdk.networkQuality'; network: NetworkQuality }
  | { type: 'sdk.autoplayFailed' }
  /**
   * The instance threw when a listener was added (`on()`): it cannot tell of a kick or a lost
   * connection, so no session may go on with it. Sent as the listening starts; `error` is masked.
   */
  | { type: 'sdk.listenerRefused'; error: unknown }
  /** Every listener was added: the instance can tell of a kick. Sent as the listening starts. */
  | { type: 'sdk.listening' }
  | { type: 'room.switchRole'; role: UserRole }
  | { type: 'room.switchRoom'; room: Pick<RoomTarget, 'roomId' | 'strRoomId'> }
  /** A local media command; `publish` says whether it would publish in the room. */
  | { type: 'media.start'; device: DeviceKind; publish: boolean; muted?: boolean }
  | { type: 'media.stop'; device: DeviceKind }
  | { type: 'media.update'; device: DeviceKind }
  | { type: 'media.mute'; device: DeviceKind; muted: boolean }
  | { type: 'device.status'; kind: DeviceKind; status: DeviceStatus; muted: boolean; error: RoomErrorData | null }
  /** A device came to rest: the command that led there ended, with its call's failure if it failed. */
  | { type: 'device.settled'; kind: DeviceKind; error: RoomErrorData | null }
  /** A remote media or playback command; what it needs beyond this (a DOM view) waits in the controller. */
  | { type: 'remote.call'; id: number; call: RemoteCall; change?: RemoteChange }
  /** How a lifecycle call ended: it is spawned, so its state may have stopped waiting for it. */
  | { type: 'xstate.done.actor.enterRoom'; output: void; actorId: 'enterRoom' }
  | { type: 'xstate.error.actor.enterRoom'; error: unknown; actorId: 'enterRoom' }
  | { type: 'xstate.done.actor.switchRole'; output: UserRole; actorId: 'switchRole' }
  | { type: 'xstate.error.actor.switchRole'; error: unknown; actorId: 'switchRole' }
  | { type: 'xstate.done.actor.switchRoom'; output: Pick<RoomTarget, 'roomId' | 'strRoomId'>; actorId: 'switchRoom' }
  | { type: 'xstate.error.actor.switchRoom'; error: unknown; actorId: 'switchRoom' }
  /** Sent back by the remote call's actor when the SDK answered. */
  | { type: 'remote.done'; id: number; call: RemoteCall; change?: RemoteChange; error: unknown };

/** SDK events translated by the adapter; the only events an SDK listener may send. */
export type SdkEvent = Extract<RoomEvent, { type: `sdk.${string}` }>;

export interface SwitchRoleInput {
  role: UserRole;
}

export interface SwitchRoomInput {
  room: Pick<RoomTarget, 'roomId' | 'strRoomId'>;
}

/** Events the controller emits; `room.on(type, fn)` subscribes to one of them. */
export type RoomEmitted =
  | { type: 'entered' }
  | { type: 'exited' }
  | { type: 'kicked'; reason: KickReason }
  | { type: 'error'; error: RoomError }
  | { type: 'warning'; warning: RoomWarning }
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'roleChanged'; role: UserRole }
  | { type: 'roomSwitched'; room: Pick<RoomTarget, 'roomId' | 'strRoomId'> }
  /**
   * The SDK changed `view().remoteUsers` (or a remote command did): once per burst of events;
   * `changes` has the first 16 of them. Leaving or switching the room empties the list without
   * it (the state change says so): `subscribe()` hears of every change.
   */
  | { type: 'remoteUsersChanged'; count: number; changes: readonly RemoteChange[] }
  | { type: 'destroyed' }
  /** The same user is in this room from another controller of this browser profile (another tab): one of them is about to be kicked. */
  | { type: 'duplicateUser'; userId: string; roomId?: number; strRoomId?: string }
  /** How a command ended, once the controller is usable again: `error` null when it did what was asked. */
  | { type: 'enter.settled'; error: RoomError | null }
  | { type: 'exit.settled'; error: RoomError | null }
  | { type: 'switch.settled'; error: RoomError | null }
  | { type: 'remote.settled'; id: number; error: RoomError | null }
  | { type: 'media.settled'; device: DeviceKind; error: RoomError | null };

export type RoomEmittedType = RoomEmitted['type'];
export type RoomEmittedOf<T extends RoomEmittedType> = Extract<RoomEmitted, { type: T }>;

export interface RemoteCallInput {
  id: number;
  call: RemoteCall;
  /** What the call changes in the roster once it succeeds. */
  change?: RemoteChange;
}

export interface EnterRoomInput {
  /** Set by `room.enter` before the enter starts; typed nullable only because context is. */
  target: RoomTarget | null;
}
