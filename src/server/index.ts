// trtc-room-machine/server: Node only. Never import it into code that ships to a browser.
export { createRoomServer, DEFAULT_REGION, DEFAULT_SERVER_TIMEOUT_MS } from './room-server.js';
export type { RoomServerOptions } from './room-server.js';
export { ROOM_SERVER_ENV, roomServerOptionsFromEnv, variableOfOption } from './room-server.env.js';
export type { RoomServerEnv, RoomServerEnvReading, RoomServerUse } from './room-server.env.js';
export { isRoomServerError, RoomServerError } from './room-server.errors.js';
export type { RoomServerErrorCode, RoomServerErrorData, ServerAction } from './room-server.errors.js';
export { PRIVILEGES } from './room-server.types.js';
export type {
  DismissRoomParams,
  PrivateMapKeyOptions,
  RemoveUserParams,
  RoomRef,
  RoomServer,
  RoomServerAnswer,
  UserSigOptions,
} from './room-server.types.js';
export { RoomError, isRoomError } from '../errors.js';
export type { RoomErrorCode } from '../errors.js';
