export { createRoomController, DEFAULT_ENTER_TIMEOUT_MS, DEFAULT_EXIT_TIMEOUT_MS } from './controller.js';
export type { RoomActor, RoomController, RoomControllerOptions, RoomSnapshot } from './controller.js';
export { roomMachine } from './machines/room/room.machine.js';
export type { RoomMachine } from './machines/room/room.machine.js';
export { parseEnterConfig } from './machines/room/room.config.js';
export type { ParsedEnterConfig } from './machines/room/room.config.js';
export { RoomError, isRoomError } from './machines/room/room.errors.js';
export type { RoomErrorCode, RoomErrorData } from './machines/room/room.errors.js';
export type {
  ConnectionStatus,
  EnterConfig,
  KickReason,
  ProxyServer,
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
  TurnServer,
  UserRole,
} from './machines/room/room.types.js';
export { normaliseKickReason, SDK_EVENT, trtcImplementations } from './adapters/trtc.js';
export type { SdkEventHandler, TrtcLike, TrtcSession } from './adapters/trtc.js';
