import type { KickReason } from './room.types.js';

export type RoomErrorCode =
  | 'INVALID_PARAMETER'
  | 'INVALID_STATE'
  | 'ENTER_FAILED'
  | 'ENTER_TIMEOUT'
  | 'EXIT_FAILED'
  | 'EXIT_TIMEOUT'
  | 'KICKED'
  | 'CANCELLED'
  | 'DESTROYED'
  | 'CONNECTION_LOST'
  | 'MEDIA_FAILED'
  | 'SWITCH_FAILED'
  /** An optional peer dependency a helper needs is not installed (the message says which). */
  | 'MISSING_DEPENDENCY';

/** A RoomError as plain, serialisable data: what the snapshot holds. */
export interface RoomErrorData {
  code: RoomErrorCode;
  message: string;
  sdkCode?: number;
  sdkExtraCode?: number;
  field?: string;
  kickReason?: KickReason;
}

export interface RoomErrorOptions {
  sdkCode?: number;
  sdkExtraCode?: number;
  /** The config field at fault, for INVALID_PARAMETER. */
  field?: string;
  kickReason?: KickReason;
  cause?: unknown;
}

/** Every failure the controller reports. `code` is stable; match on it, not on the message. */
export class RoomError extends Error {
  override readonly name = 'RoomError';
  readonly code: RoomErrorCode;
  readonly sdkCode?: number;
  readonly sdkExtraCode?: number;
  readonly field?: string;
  readonly kickReason?: KickReason;

  constructor(code: RoomErrorCode, message: string, options: RoomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.sdkCode !== undefined) this.sdkCode = options.sdkCode;
    if (options.sdkExtraCode !== undefined) this.sdkExtraCode = options.sdkExtraCode;
    if (options.field !== undefined) this.field = options.field;
    if (options.kickReason !== undefined) this.kickReason = options.kickReason;
  }

  static fromData(data: RoomErrorData): RoomError {
    return new RoomError(data.code, data.message, data);
  }

  toJSON(): RoomErrorData {
    const data: RoomErrorData = { code: this.code, message: this.message };
    if (this.sdkCode !== undefined) data.sdkCode = this.sdkCode;
    if (this.sdkExtraCode !== undefined) data.sdkExtraCode = this.sdkExtraCode;
    if (this.field !== undefined) data.field = this.field;
    if (this.kickReason !== undefined) data.kickReason = this.kickReason;
    return data;
  }
}

export function isRoomError(value: unknown): value is RoomError {
  return value instanceof RoomError;
}

interface SdkErrorLike {
  code?: unknown;
  extraCode?: unknown;
  message?: unknown;
}

/** Reads `code`, `extraCode` and `message` off whatever the SDK threw (an RtcError, usually). */
export function describeSdkError(error: unknown): { code?: number; extraCode?: number; message: string } {
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const described: { code?: number; extraCode?: number; message: string } = {
    message:
      typeof candidate.message === 'string' && candidate.message !== '' ? candidate.message : String(error),
  };
  if (typeof candidate.code === 'number') described.code = candidate.code;
  if (typeof candidate.extraCode === 'number') described.extraCode = candidate.extraCode;
  return described;
}

/** Wraps an SDK failure in a RoomError of the given code, keeping the SDK's codes and the cause. */
export function toRoomError(code: RoomErrorCode, action: string, error: unknown): RoomError {
  if (isRoomError(error)) return error;
  const sdk = describeSdkError(error);
  const codes = sdk.code === undefined ? '' : ` (SDK code ${sdk.code}${sdk.extraCode === undefined ? '' : `/${sdk.extraCode}`})`;
  return new RoomError(code, `${action} failed${codes}: ${sdk.message}`, {
    ...(sdk.code === undefined ? {} : { sdkCode: sdk.code }),
    ...(sdk.extraCode === undefined ? {} : { sdkExtraCode: sdk.extraCode }),
    cause: error,
  });
}
