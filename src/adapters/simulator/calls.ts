import { ERROR_CODE, EXTRA_CODE } from './rtc-error.js';

export type LocalMediaMethod =
  | 'startLocalAudio'
  | 'updateLocalAudio'
  | 'stopLocalAudio'
  | 'startLocalVideo'
  | 'updateLocalVideo'
  | 'stopLocalVideo'
  | 'startScreenShare'
  | 'updateScreenShare'
  | 'stopScreenShare';

export type SimulatedMethod =
  | 'enterRoom'
  | 'exitRoom'
  | 'destroy'
  | 'on'
  | 'off'
  | 'switchRole'
  | 'switchRoom'
  | LocalMediaMethod
  | 'startRemoteVideo'
  | 'updateRemoteVideo'
  | 'stopRemoteVideo'
  | 'muteRemoteAudio'
  | 'setRemoteAudioVolume'
  | 'enableAudioVolumeEvaluation'
  /** `resume()` of an `autoplay-failed` event. */
  | 'resume';

/**
 * A fault for the next call of a method:
 * - `reject`: the call rejects after the network latency (defaults: enterRoom 5400/-100018 "userSig
 *   check failed"; starting or updating a device 5300/5303 "NotReadableError"; others 5500);
 * - `throw`: the call throws synchronously (the only fault the synchronous methods know);
 * - `hang`: the call never settles and nothing is said; only destroy() ends it, as in the SDK;
 * - `unreachable` (enterRoom): signalling cannot connect. As the SDK does, the call stays pending,
 *   retries every 2 s with DISCONNECTED/CONNECTING events, and raises error 5500/5501 after ~4 s;
 * - `noAnswer` (enterRoom): the server never answers; after 10 s the call rejects 5400 "join room timeout".
 */
export type SimulatedFault =
  | { kind: 'reject'; code?: number; extraCode?: number; message?: string }
  | { kind: 'throw'; code?: number; extraCode?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'unreachable' }
  | { kind: 'noAnswer' };

/** One entry of a client's call log: a call, and how it ended. */
export interface SimulatedCall {
  seq: number;
  client: string;
  method: SimulatedMethod;
  phase: 'call' | 'resolve' | 'reject' | 'throw';
  /** For on/off: the event name. */
  event?: string;
  code?: number;
}

export interface FaultError {
  code: number;
  extraCode?: number;
  message: string;
}

const DEVICE_BUSY: FaultError = {
  code: ERROR_CODE.DEVICE_ERROR,
  extraCode: EXTRA_CODE.DEVICE_NOT_READABLE_ERROR,
  message: 'NotReadableError: device in use',
};

const DEFAULT_FAULT_ERRORS: Partial<Record<SimulatedMethod, FaultError>> = {
  enterRoom: { code: ERROR_CODE.SERVER_ERROR, extraCode: -100018, message: 'join room failed: userSig check failed' },
  exitRoom: { code: ERROR_CODE.OPERATION_FAILED, message: 'exitRoom failed' },
  destroy: { code: ERROR_CODE.UNKNOWN_ERROR, message: 'destroy failed' },
  startLocalAudio: DEVICE_BUSY,
  updateLocalAudio: DEVICE_BUSY,
  startLocalVideo: DEVICE_BUSY,
  updateLocalVideo: DEVICE_BUSY,
  startScreenShare: DEVICE_BUSY,
  updateScreenShare: DEVICE_BUSY,
};

/** The error a `reject` or `throw` fault raises: its own code, else the method's default (with its extraCode). */
export function faultError(method: SimulatedMethod, fault: { code?: number; extraCode?: number; message?: string }): FaultError {
  const base = DEFAULT_FAULT_ERRORS[method] ?? { code: ERROR_CODE.OPERATION_FAILED, message: `${method} failed` };
  const extraCode = fault.code === undefined ? (fault.extraCode ?? base.extraCode) : fault.extraCode;
  return { code: fault.code ?? base.code, message: fault.message ?? base.message, ...(extraCode === undefined ? {} : { extraCode }) };
}

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
