export { createRoomController, DEFAULT_ENTER_TIMEOUT_MS, DEFAULT_EXIT_TIMEOUT_MS, stateOf } from './controller.js';
export type { RoomActor, RoomController, RoomControllerOptions, RoomSnapshot } from './controller.js';
export { roomMachine } from './machines/room/room.machine.js';
export type { RoomMachine } from './machines/room/room.machine.js';
export { deviceMachine } from './machines/device/device.machine.js';
export type { DeviceMachine } from './machines/device/device.machine.js';
export type { DeviceKind, DeviceReport, DeviceStatus } from './machines/device/device.types.js';
export { parseEnterConfig } from './machines/room/room.config.js';
export type { ParsedEnterConfig } from './machines/room/room.config.js';
export { RoomError, isRoomError, ROOM_ERROR_CODES } from './errors.js';
export type { RoomErrorCode, RoomErrorData } from './errors.js';
export type { RoomView } from './machines/room/room.view.js';
export type { RemoteUserView } from './machines/room/roster.js';
export type {
  ConnectionStatus,
  EnterConfig,
  KickReason,
  NetworkQuality,
  ProxyServer,
  RemoteChange,
  RoomContext,
  RoomEmitted,
  RoomEmittedOf,
  RoomEmittedType,
  RoomEvent,
  RoomStateName,
  RoomTarget,
  RoomWarning,
  Scene,
  SdkErrorInfo,
  StreamType,
  TurnServer,
  UserRole,
} from './machines/room/room.types.js';
export { normaliseKickReason, SDK_EVENT, trtcImplementations } from './adapters/trtc.js';
export type { MediaOptions, TrtcSession } from './adapters/trtc.js';
export type {
  LocalAudioOptions,
  LocalVideoOptions,
  RemoteVideoOptions,
  ScreenShareOptions,
  SdkEventHandler,
  StopRemoteVideoOptions,
  SwitchRoomOptions,
  TrtcLike,
  VideoProfile,
  VideoView,
} from './adapters/trtc.types.js';
export { REDACTED, SECRET_KEYS } from './inspect/redact.js';
export type { RedactOptions } from './inspect/redact.js';
export type { DuplicateUserMode } from './presence.js';
export type { InspectionObserver } from './inspect/inspection.js';
export type { SdkCall, SdkCallListener, SdkCallStatus } from './inspect/sdk-calls.js';
export { describeEnding, ENDING_MESSAGES } from './endings.js';
export type { Ending, EndingKey } from './endings.js';
