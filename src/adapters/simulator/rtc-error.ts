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
