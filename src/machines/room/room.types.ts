import type { DeviceKind, DeviceReport, DeviceStatus } from '../device/device.types.js';
import type { RoomError, RoomErrorData } from './room.errors.js';

/** Top-level states of a room session. */
export type RoomStateName = 'idle' | 'entering' | 'inRoom' | 'exiting' | 'kicked' | 'destroyed';

/**
 * Why the SDK put the user out of the room. The public docs spell the last one `room-disband`;
 * the SDK passes the server's `room_disband` through, so both arrive and are normalised.
 */
export type KickReason = 'kick' | 'banned' | 'room_disband';

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

/** An SDK `error` event or rejection, as plain data. */
export interface SdkErrorInfo {
  code: number;
  extraCode?: number;
  message: string;
  cause?: unknown;
}

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
  exitRequested: boolean;
  destroyRequested: boolean;
  /** The instance is wedged: destroy it (and, with a factory, take a fresh one) once devices are released. */
  retireRequested: boolean;
  /** No lifecycle call of the instance is in flight (checked while releasing). */
  lifecycleDrained: boolean;
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
  canRenewInstance: boolean;
}

export type RoomEvent =
  | { type: 'room.enter'; target: RoomTarget }
  | { type: 'room.exit' }
  | { type: 'room.destroy' }
  | { type: 'sdk.kickedOut'; reason: KickReason }
  | { type: 'sdk.error'; error: SdkErrorInfo }
  | { type: 'sdk.connectionChanged'; state: SdkConnectionState; prevState: SdkConnectionState }
  /**
   * The roster changed (applied already, at the SDK event): one notice per burst of SDK events.
   * `changes` holds the first few of the burst, for inspection; `count` all of them.
   */
  | { type: 'sdk.remote'; count: number; changes: readonly RemoteChange[] }
  | { type: 'sdk.networkQuality'; network: NetworkQuality }
  | { type: 'sdk.autoplayFailed' }
  | { type: 'room.autoplayResumed' }
  | { type: 'room.switchRole'; role: UserRole }
  | { type: 'room.switchRoom'; room: Pick<RoomTarget, 'roomId' | 'strRoomId'> }
  /** A local media command; `publish` says whether it would publish in the room. */
  | { type: 'media.start'; device: DeviceKind; publish: boolean; muted?: boolean }
  | { type: 'media.stop'; device: DeviceKind }
  | { type: 'media.update'; device: DeviceKind }
  | { type: 'media.mute'; device: DeviceKind; muted: boolean }
  | { type: 'device.status'; kind: DeviceKind; status: DeviceStatus; muted: boolean; error: RoomErrorData | null };

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
  | { type: 'destroyed' };

export type RoomEmittedType = RoomEmitted['type'];
export type RoomEmittedOf<T extends RoomEmittedType> = Extract<RoomEmitted, { type: T }>;

export interface EnterRoomInput {
  /** Set by `room.enter` before the enter starts; typed nullable only because context is. */
  target: RoomTarget | null;
}
