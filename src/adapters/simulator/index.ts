export { SimulatedCloud } from './cloud.js';
export type { SimulatedCloudOptions } from './cloud.js';
export { SimulatedClient } from './client.js';
export type { ClientState, SimulatedCall, SimulatedFault, SimulatedMethod } from './client.js';
export { ERROR_CODE, EXTRA_CODE, SimulatedRtcError } from './rtc-error.js';
export type { SimulatedRoomRef } from './sdk-checks.js';
export type {
  DismissRoomParams,
  PrivateMapKeyOptions,
  RemoveUserParams,
  RoomRef,
  RoomServer,
  RoomServerAnswer,
  UserSigOptions,
} from '../../server/room-server.types.js';
export type {
  AudioVolume,
  AutoplayMediaType,
  LocalAudioConfig,
  LocalVideoConfig,
  NetworkQuality,
  RemoteVideoConfig,
  ScreenShareConfig,
  SimulatedLocalMedia,
  SimulatedRemoteAudio,
  SimulatedRole,
  StopRemoteVideoConfig,
  StreamType,
  SwitchRoomConfig,
  VideoProfile,
  VideoView,
} from './media-types.js';
