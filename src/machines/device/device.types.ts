import type { RoomErrorData } from '../../errors.js';

export type DeviceKind = 'microphone' | 'camera' | 'screen';
export const DEVICE_KINDS: readonly DeviceKind[] = ['microphone', 'camera', 'screen'];

/** What a local device shows in the view. */
export type DeviceStatus = 'off' | 'starting' | 'on' | 'stopping' | 'failed';

export interface DeviceContext {
  kind: DeviceKind;
  muted: boolean;
  /** The last failure of this device, as plain data. */
  error: RoomErrorData | null;
  /** A stop (or the room's release) came while starting: stop once started. */
  stopAfterStart: boolean;
}

export type DeviceEvent =
  /** `muted`: started muted (`mute: true`, or a camera's placeholder image). */
  | { type: 'device.start'; muted?: boolean }
  | { type: 'device.stop' }
  | { type: 'device.update' }
  | { type: 'device.mute'; muted: boolean }
  /** The room is over: stop whatever the controller started. */
  | { type: 'device.release' }
  /** The browser or the SDK ended the capture (e.g. "Stop sharing"). */
  | { type: 'device.ended' }
  /** The SDK instance was destroyed, which stopped its tracks (a wedged instance retired). */
  | { type: 'device.lost' };

/** The device's state as its parent mirrors it. */
export interface DeviceReport {
  status: DeviceStatus;
  muted: boolean;
  error: RoomErrorData | null;
}

export interface DeviceCallInput {
  kind: DeviceKind;
  /** For mute/unmute: the wanted state. */
  muted?: boolean;
}
