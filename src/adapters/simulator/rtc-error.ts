/** `TRTC.ERROR_CODE` values of trtc-sdk-v5 5.17.1. */
export const ERROR_CODE = {
  INVALID_PARAMETER: 5000,
  INVALID_OPERATION: 5100,
  ENV_NOT_SUPPORTED: 5200,
  DEVICE_ERROR: 5300,
  SERVER_ERROR: 5400,
  OPERATION_FAILED: 5500,
  OPERATION_ABORT: 5998,
  UNKNOWN_ERROR: 5999,
} as const;

/** The SDK's extraCodes the simulator raises (names as in the 5.17.1 bundle). */
export const EXTRA_CODE = {
  INVALID_PARAMETER_REQUIRED: 5001,
  INVALID_PARAMETER_TYPE: 5002,
  INVALID_PARAMETER_EMPTY: 5003,
  INVALID_PARAMETER_RANGE: 5005,
  INVALID_PARAMETER_MIN: 5007,
  INVALID_ROOM_ID_STRING: 5012,
  INVALID_ROOM_ID_INTEGER: 5013,
  INVALID_STREAM_TYPE: 5014,
  INVALID_ROOM_ID_REQUIRED: 5015,
  INVALID_ROOM_ID_INTEGER_STRING: 5016,
  INVALID_ROOM_ID_TYPE_MISMATCH: 5019,
  INVALID_ROOM_ID_DUPLICATE: 5020,
  INVALID_OPERATION_NOT_JOINED: 5101,
  INVALID_OPERATION_REMOTE_USER_NOT_EXIST: 5102,
  INVALID_OPERATION_STREAM_TYPE_NOT_EXIST: 5103,
  INVALID_OPERATION_REPEAT_CALL: 5104,
  /** Declared for publishing as a live-scene audience, but 5.17.1 raises it only in sendCustomMessage. */
  INVALID_ROLE_AUDIENCE: 5107,
  DEVICE_NOT_FOUND_ERROR: 5301,
  DEVICE_NOT_ALLOWED_ERROR: 5302,
  DEVICE_NOT_READABLE_ERROR: 5303,
  FIREWALL_RESTRICTION: 5501,
} as const;

export interface RtcErrorInit {
  code: number;
  extraCode?: number;
  functionName: string;
  message: string;
}

/** Shaped like the SDK's RtcError: `code`, `extraCode`, `functionName`. */
export class SimulatedRtcError extends Error {
  override readonly name = 'RtcError';
  readonly code: number;
  readonly extraCode?: number;
  readonly functionName: string;

  constructor(init: RtcErrorInit) {
    super(init.message);
    this.code = init.code;
    if (init.extraCode !== undefined) this.extraCode = init.extraCode;
    this.functionName = init.functionName;
  }
}

export function rtcError(code: number, functionName: string, message: string, extraCode?: number): SimulatedRtcError {
  return new SimulatedRtcError({ code, functionName, message, ...(extraCode === undefined ? {} : { extraCode }) });
}

/** What the SDK's per-track operation queue answers when a call does not fit (5998 "<fn> abort: …"). */
export function abortError(functionName: string, reason: string): SimulatedRtcError {
  return rtcError(ERROR_CODE.OPERATION_ABORT, functionName, `${functionName} abort: ${reason}`);
}
