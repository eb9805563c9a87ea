// The media parameter and state types of the simulator, shaped like trtc-sdk-v5 5.17.1's index.d.ts
// (plain string unions where the SDK uses const enums).

import type { StreamType, UserRole } from '../../machines/room/room.types.js';
import type {
  LocalAudioOptions,
  LocalVideoOptions,
  RemoteVideoOptions,
  ScreenShareOptions,
  StopRemoteVideoOptions,
  VideoProfile,
  VideoView,
} from '../trtc.types.js';

export type { StreamType, VideoProfile, VideoView };
export type SimulatedRole = UserRole;

// The SDK's option shapes are the controller's (trtc.types.ts): one definition for both.
export type LocalAudioConfig = LocalAudioOptions;
export type LocalVideoConfig = LocalVideoOptions;
export type ScreenShareConfig = ScreenShareOptions;
export type RemoteVideoConfig = RemoteVideoOptions;
export type StopRemoteVideoConfig = StopRemoteVideoOptions;

export interface SwitchRoomConfig {
  roomId?: number;
  strRoomId?: string;
  /** The SDK's parameter check requires it (5000/5001), although its docs say it may be omitted. */
  userSig?: string;
  privateMapKey?: string;
}

/** `network-quality` payload. Quality 0 unknown, 1 excellent … 5 very bad, 6 disconnected. */
export interface NetworkQuality {
  uplinkNetworkQuality: number;
  downlinkNetworkQuality: number;
  uplinkRTT: number;
  downlinkRTT: number;
  uplinkLoss: number;
  downlinkLoss: number;
}

/** One entry of the `audio-volume` payload's `result`; userId `''` is the local user. */
export interface AudioVolume {
  userId: string;
  volume: number;
  floatVolume: number;
}

export type AutoplayMediaType = 'audio' | 'video' | 'screen';

/** What a client captures and sends, as plain data. */
export interface SimulatedLocalMedia {
  audio: { started: boolean; muted: boolean; published: boolean };
  video: { started: boolean; muted: boolean; published: boolean; options: LocalVideoConfig | undefined };
  screen: { started: boolean; published: boolean; systemAudio: boolean };
}

/** The recorded `muteRemoteAudio` and `setRemoteAudioVolume` calls, by userId (`'*'` included). */
export interface SimulatedRemoteAudio {
  muted: Record<string, boolean>;
  volumes: Record<string, number>;
}
