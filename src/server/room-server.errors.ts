import { RoomError } from '../errors.js';
import type { RoomErrorData, RoomErrorOptions } from '../errors.js';

/** The TRTC API actions the server calls. */
export type ServerAction = 'RemoveUser' | 'RemoveUserByStrRoomId' | 'DismissRoom' | 'DismissRoomByStrRoomId';

export type RoomServerErrorCode = 'SERVER_API_FAILED' | 'SERVER_TIMEOUT';

export interface RoomServerErrorData extends RoomErrorData {
  action: ServerAction;
  apiCode?: string;
  requestId?: string;
  httpStatus?: number;
}

export interface RoomServerErrorOptions extends Pick<RoomErrorOptions, 'cause'> {
  action: ServerAction;
  apiCode?: string;
  requestId?: string;
  httpStatus?: number;
}

/**
 * A server call that failed: SERVER_API_FAILED (Tencent's API answered an error — `apiCode` is its
 * Error.Code, e.g. `InvalidParameter.RoomId` — or could not be reached) or SERVER_TIMEOUT (no answer
 * in time: the call may still have been carried out). No secret is ever in its message or cause.
 */
export class RoomServerError extends RoomError {
  declare readonly code: RoomServerErrorCode;
  readonly action: ServerAction;
  readonly apiCode?: string;
  readonly requestId?: string;
  readonly httpStatus?: number;

  constructor(code: RoomServerErrorCode, message: string, options: RoomServerErrorOptions) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.action = options.action;
    if (options.apiCode !== undefined) this.apiCode = options.apiCode;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }

  override toJSON(): RoomServerErrorData {
    const data: RoomServerErrorData = { ...super.toJSON(), action: this.action };
    if (this.apiCode !== undefined) data.apiCode = this.apiCode;
    if (this.requestId !== undefined) data.requestId = this.requestId;
    if (this.httpStatus !== undefined) data.httpStatus = this.httpStatus;
    return data;
  }
}

export function isRoomServerError(value: unknown): value is RoomServerError {
  return value instanceof RoomServerError;
}

/** What the official client throws (TencentCloudSDKHttpException), as far as it is read here. */
interface ClientError {
  message?: unknown;
  code?: unknown;
  requestId?: unknown;
  traceId?: unknown;
  httpCode?: unknown;
}

const present = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * The client's error as a RoomServerError. `mask` hides every secret: the cause is a fresh copy of
 * the client's error, masked, never the original (whose message may quote a request).
 */
export function apiFailure(action: ServerAction, error: unknown, mask: (text: string) => string): RoomServerError {
  const raw = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ClientError;
  const read = (value: unknown) => (present(value) ? mask(value) : undefined);
  const message = read(raw.message) ?? 'no message';
  const apiCode = read(raw.code);
  const requestId = read(raw.requestId);
  const traceId = read(raw.traceId);
  const httpStatus = typeof raw.httpCode === 'number' ? raw.httpCode : undefined;
  const cause = Object.assign(new Error(message), {
    name: 'TencentCloudSDKHttpException',
    ...(apiCode === undefined ? {} : { code: apiCode }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(traceId === undefined ? {} : { traceId }),
    ...(httpStatus === undefined ? {} : { httpCode: httpStatus }),
  });
  const what = apiCode !== undefined ? `${apiCode}: ${message}` : httpStatus !== undefined ? `HTTP ${httpStatus} ${message}` : message;
  return new RoomServerError('SERVER_API_FAILED', `${action} failed: ${what}${requestId === undefined ? '' : ` (RequestId ${requestId})`}`, {
    action,
    cause,
    ...(apiCode === undefined ? {} : { apiCode }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

export function apiTimeout(action: ServerAction, host: string, ms: number): RoomServerError {
  return new RoomServerError(
    'SERVER_TIMEOUT',
    `${action}: no answer from ${host} within ${ms} ms; Tencent may still have carried it out (it is safe to call again)`,
    { action },
  );
}
