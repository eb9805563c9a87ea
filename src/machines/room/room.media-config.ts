import type { DeviceKind } from '../device/device.types.js';
import { checkUserId } from './room.config.js';
import { atLeast, bool, describe, fieldsOf, invalid, MAX_TIMER_MS, oneOf, orString, rule, shape, text, track, view, within } from './room.reading.js';
import type { Check } from './room.reading.js';

// Local and remote media arguments, checked as the SDK 5.17.1 checks them (fields per device).

const STREAM_TYPE = oneOf('main', 'sub');
const FILL_MODE = oneOf('contain', 'cover', 'fill');
const VIDEO_PROFILE = orString(
  shape({ width: atLeast(0), height: atLeast(0), frameRate: atLeast(0), bitrate: atLeast(0) }, "a profile like '720p' or { width, height, frameRate, bitrate }"),
);
const AUDIO_PROFILE = orString(shape({ sampleRate: atLeast(0), channelCount: atLeast(0), bitrate: atLeast(0) }, "a profile like 'standard' or { bitrate, channelCount }"));

/** Local media options per device, as the SDK's own checks have them. */
const MEDIA_FIELDS: Record<DeviceKind, Record<string, Check>> = {
  microphone: {
    publish: bool,
    mute: oneOf(true, false, 'microphone'),
    muteKeepVolumeDetection: bool,
    option: shape(
      {
        microphoneId: text,
        profile: AUDIO_PROFILE,
        audioTrack: track,
        captureVolume: atLeast(0),
        earMonitorVolume: within(0, 100),
        echoCancellation: oneOf(true, false, 'remote-only', 'all'),
        autoGainControl: bool,
        noiseSuppression: bool,
      },
      'an object',
    ),
  },
  camera: {
    view,
    publish: bool,
    // A string is the URL of a picture the SDK sends instead.
    mute: rule((value) => typeof value === 'boolean' || (typeof value === 'string' && value !== ''), 'true or false, or the URL of a picture to send instead'),
    option: shape(
      {
        cameraId: text,
        useFrontCamera: bool,
        profile: VIDEO_PROFILE,
        fillMode: FILL_MODE,
        mirror: oneOf(true, false, 'view', 'publish', 'both'),
        small: (value, field, command) => (typeof value === 'boolean' ? value : VIDEO_PROFILE(value, field, command)),
        qosPreference: text,
        videoTrack: track,
        avoidCropping: bool,
        rotation: oneOf(0, 90, 180, 270),
      },
      'an object',
    ),
  },
  screen: {
    view,
    publish: bool,
    streamType: STREAM_TYPE,
    muteSystemAudio: bool,
    option: shape(
      {
        profile: VIDEO_PROFILE,
        fillMode: FILL_MODE,
        systemAudio: bool,
        echoCancellation: bool,
        autoGainControl: bool,
        noiseSuppression: bool,
        audioTrack: track,
        videoTrack: track,
        preferDisplaySurface: oneOf('current-tab', 'tab', 'window', 'monitor'),
        selfBrowserSurface: oneOf('include', 'exclude'),
        qosPreference: text,
      },
      'an object',
    ),
  },
};

/**
 * Local media options (start/update of the microphone, camera or screen), read once.
 * `required`: update*() needs options; start*() may go without.
 */
export function parseMediaOptions<T>(command: string, options: unknown, required: boolean, device: DeviceKind): T | undefined {
  if (options === undefined && !required) return undefined;
  return fieldsOf(options, MEDIA_FIELDS[device], command, 'options', 'an options object', '') as T;
}

const REMOTE_VIDEO_FIELDS: Record<string, Check> = {
  userId: (value, _, command) => checkUserId(command, value),
  streamType: STREAM_TYPE,
  view,
  option: shape(
    { fillMode: FILL_MODE, mirror: bool, small: bool, receiveWhenViewVisible: bool, canvasRender: bool, poster: text, draggable: bool },
    'an object',
  ),
};

/** startRemoteVideo / updateRemoteVideo / stopRemoteVideo options, read once. */
export function parseRemoteVideo<T>(command: 'startRemoteVideo' | 'updateRemoteVideo' | 'stopRemoteVideo', options: unknown): T {
  const stopping = command === 'stopRemoteVideo';
  const fields = stopping ? { userId: REMOTE_VIDEO_FIELDS.userId as Check, streamType: STREAM_TYPE } : REMOTE_VIDEO_FIELDS;
  const read = fieldsOf(options, fields, command, 'options', '{ userId, streamType, view? }', '', ['userId']);
  // As the SDK (5014): only stopping every user ('*') goes without a stream type.
  if (read.streamType === undefined && !(stopping && read.userId === '*')) {
    throw invalid('streamType', `streamType must be 'main' or 'sub' (got undefined)`, command);
  }
  return read as T;
}

/** A remote user's audio volume, 0–100 as the SDK documents. */
export function checkVolume(command: string, volume: unknown): number {
  return within(0, 100)(volume, 'volume', command) as number;
}

export function checkBoolean(command: string, field: string, value: unknown): boolean {
  return bool(value, field, command) as boolean;
}

/** The audio-volume interval in ms: 0 turns it off. */
export function checkInterval(command: string, intervalMs: unknown): number {
  return within(0, MAX_TIMER_MS)(intervalMs, 'intervalMs', command) as number;
}

