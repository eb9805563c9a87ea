import type { EnterConfig, StreamType, UserRole } from '../machines/room/room.types.js';

/**
 * A handler of any SDK event. The SDK types `on` per event (a generic over its event map); no
 * narrower handler type accepts that signature, so the controller's side takes any function.
 */
export type SdkEventHandler = Function;

// The DOM types these options need, declared by shape so the declarations compile without the DOM
// lib (a Node project, the simulator): an HTMLElement is an ElementLike, a MediaStreamTrack a TrackLike.
export interface ElementLike {
  readonly nodeType: number;
  readonly nodeName: string;
}
export interface TrackLike {
  readonly kind: string;
  readonly id: string;
  readonly readyState: string;
  stop(): void;
}

/** Where the SDK renders a video: an element id, an element, several, or null (no rendering). */
export type VideoView = string | ElementLike | ElementLike[] | null;

export interface VideoProfile {
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
}

/** `startLocalAudio` / `updateLocalAudio` options, as the SDK takes them. */
export interface LocalAudioOptions {
  publish?: boolean;
  mute?: boolean | 'microphone';
  muteKeepVolumeDetection?: boolean;
  option?: {
    microphoneId?: string;
    profile?: 'standard' | 'standard-stereo' | 'high' | 'high-stereo';
    audioTrack?: TrackLike;
    captureVolume?: number;
    earMonitorVolume?: number;
    echoCancellation?: boolean | 'remote-only' | 'all';
    autoGainControl?: boolean;
    noiseSuppression?: boolean;
  };
}

/** `startLocalVideo` / `updateLocalVideo` options: quality profile, mirror, rotation… */
export interface LocalVideoOptions {
  view?: VideoView;
  publish?: boolean;
  /** `true` mutes; a string is the URL of the picture the SDK sends instead (shown as muted). */
  mute?: boolean | string;
  option?: {
    cameraId?: string;
    useFrontCamera?: boolean;
    /** A preset like '480p', '720p', '1080p', or explicit numbers. */
    profile?: string | VideoProfile;
    fillMode?: 'contain' | 'cover' | 'fill';
    mirror?: boolean | string;
    small?: string | VideoProfile | boolean;
    qosPreference?: string;
    videoTrack?: TrackLike;
    avoidCropping?: boolean;
    rotation?: 0 | 90 | 180 | 270;
  };
}

/** `startScreenShare` / `updateScreenShare` options; `option.systemAudio` shares the computer's audio. */
export interface ScreenShareOptions {
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
    audioTrack?: TrackLike;
    videoTrack?: TrackLike;
    preferDisplaySurface?: 'current-tab' | 'tab' | 'window' | 'monitor';
    selfBrowserSurface?: 'include' | 'exclude';
    qosPreference?: string;
  };
}

export interface RemoteVideoOptions {
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

export interface StopRemoteVideoOptions {
  /** `'*'` stops every remote video. */
  userId: string;
  /** Required unless userId is `'*'` (5000/5014). */
  streamType?: StreamType;
}

export interface SwitchRoomOptions {
  roomId?: number;
  strRoomId?: string;
  /** A userSig valid for the new room (the SDK requires it). */
  userSig: string;
  privateMapKey?: string;
}

/**
 * What the controller needs of a TRTC instance: a `TRTC.create()` result fits, and so does the
 * simulator's client. The SDK itself is never imported: it cannot load outside a browser.
 */
export interface TrtcLike {
  enterRoom(options: EnterConfig): Promise<unknown>;
  exitRoom(): Promise<unknown>;
  destroy(): unknown;
  on(event: string, handler: SdkEventHandler): unknown;
  off(event: string, handler: SdkEventHandler): unknown;

  switchRole(role: UserRole, option?: { privateMapKey?: string }): Promise<unknown>;
  switchRoom(options: SwitchRoomOptions): Promise<unknown>;

  startLocalAudio(options?: LocalAudioOptions): Promise<unknown>;
  updateLocalAudio(options: LocalAudioOptions): Promise<unknown>;
  stopLocalAudio(): Promise<unknown>;
  startLocalVideo(options?: LocalVideoOptions): Promise<unknown>;
  updateLocalVideo(options: LocalVideoOptions): Promise<unknown>;
  stopLocalVideo(): Promise<unknown>;
  startScreenShare(options?: ScreenShareOptions): Promise<unknown>;
  updateScreenShare(options: ScreenShareOptions): Promise<unknown>;
  stopScreenShare(): Promise<unknown>;

  startRemoteVideo(options: RemoteVideoOptions): Promise<unknown>;
  updateRemoteVideo(options: RemoteVideoOptions): Promise<unknown>;
  stopRemoteVideo(options: StopRemoteVideoOptions): Promise<unknown>;
  muteRemoteAudio(userId: string, mute: boolean): Promise<unknown>;
  setRemoteAudioVolume(userId: string, volume: number): unknown;
  enableAudioVolumeEvaluation(interval?: number): unknown;
}
