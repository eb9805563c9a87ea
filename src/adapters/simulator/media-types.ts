// The media parameter and state types of the simulator, shaped like trtc-sdk-v5 5.17.1's index.d.ts
// (plain string unions where the SDK uses const enums).

import type { StreamType, UserRole } from '../../machines/room/room.types.js';
import type { VideoProfile, VideoView } from '../trtc.types.js';

export type { StreamType, VideoProfile, VideoView };
export type SimulatedRole = UserRole;

export interface LocalAudioConfig {
  publish?: boolean;
  mute?: boolean | 'microphone';
  muteKeepVolumeDetection?: boolean;
  option?: {
    microphoneId?: string;
    profile?: string;
    audioTrack?: MediaStreamTrack;
    captureVolume?: number;
    earMonitorVolume?: number;
    echoCancellation?: boolean | 'remote-only' | 'all';
    autoGainControl?: boolean;
    noiseSuppression?: boolean;
  };
}

export interface LocalVideoConfig {
  view?: VideoView;
  publish?: boolean;
  /** `true` mutes; a string is the URL of the picture the SDK sends instead (also counted as muted here). */
  mute?: boolean | string;
  option?: {
    cameraId?: string;
    useFrontCamera?: boolean;
    profile?: string | VideoProfile;
    fillMode?: 'contain' | 'cover' | 'fill';
    mirror?: boolean | string;
    small?: string | VideoProfile | boolean;
    qosPreference?: string;
    videoTrack?: MediaStreamTrack;
    avoidCropping?: boolean;
    rotation?: 0 | 90 | 180 | 270;
  };
}

export interface ScreenShareConfig {
  view?: VideoView;
  publish?: boolean;
  streamType?: StreamType;
  muteSystemAudio?: boolean;
  option?: {
    profile?: string | VideoProfile;
    fillMode?: 'contain' | 'cover' | 'fill';
    systemAudio?: boolean;
    echoCancellation?: boolean;
    autoGainControl?: boolean;
    noiseSuppression?: boolean;
    audioTrack?: MediaStreamTrack;
    videoTrack?: MediaStreamTrack;
    preferDisplaySurface?: 'current-tab' | 'tab' | 'window' | 'monitor';
    selfBrowserSurface?: 'include' | 'exclude';
    qosPreference?: string;
  };
}

export interface RemoteVideoConfig {
  userId: string;
  streamType: StreamType;
  view?: VideoView;
  option?: {
    fillMode?: 'contain' | 'cover' | 'fill';
    mirror?: boolean;
    small?: boolean;
    receiveWhenViewVisible?: boolean;
    canvasRender?: boolean;
    poster?: string;
    draggable?: boolean;
  };
}

export interface StopRemoteVideoConfig {
  /** `'*'` stops every remote video. */
  userId: string;
  /** Required unless userId is `'*'` (5000/5014). */
  streamType?: StreamType;
}

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
