/**
 * Why the SDK put the user out of the room. The public docs spell the last one `room-disband`;
 * the SDK passes the server's `room_disband` through, so both arrive and are normalised.
 */
export type KickReason = 'kick' | 'banned' | 'room_disband';

/** Every code a RoomError can have. Stable: match on these, not on messages. */
export const ROOM_ERROR_CODES = [
  'INVALID_PARAMETER',
  'INVALID_STATE',
  'ENTER_FAILED',
  'ENTER_TIMEOUT',
  'EXIT_FAILED',
  'EXIT_TIMEOUT',
  'KICKED',
  'CANCELLED',
  'DESTROYED',
  'CONNECTION_LOST',
  'MEDIA_FAILED',
  'SWITCH_FAILED',
  /** An optional peer dependency a helper needs is not installed (the message says which). */
  'MISSING_DEPENDENCY',
  /** Another controller of this browser profile is in that room as that user (`duplicateUser: 'refuse'`). */
  'DUPLICATE_USER',
  /** The Stately inspector page could not be opened or did not answer (createStatelyBrowserInspector). */
  'INSPECTOR_UNAVAILABLE',
  /** trtc-room-machine/server: Tencent's API answered an error, or could not be reached. */
  'SERVER_API_FAILED',
  /** trtc-room-machine/server: no answer from Tencent's API within the bound; the outcome is unknown. */
  'SERVER_TIMEOUT',
] as const;

export type RoomErrorCode = (typeof ROOM_ERROR_CODES)[number];

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

/** A field of whatever the SDK threw; a getter or Proxy that throws reads as nothing. */
function fieldOf(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** What the SDK threw, as text: String() itself throws for an object without a prototype. */
function textOf(value: unknown): string {
  const message = fieldOf(value, 'message');
  if (typeof message === 'string' && message !== '') return message;
  try {
    return String(value);
  } catch {
    return '[a value that cannot be printed]';
  }
}

/** Reads `code`, `extraCode` and `message` off whatever the SDK threw (an RtcError, usually). */
export function describeSdkError(error: unknown): { code?: number; extraCode?: number; message: string } {
  const described: { code?: number; extraCode?: number; message: string } = { message: textOf(error) };
  const code = fieldOf(error, 'code');
  const extraCode = fieldOf(error, 'extraCode');
  if (typeof code === 'number') described.code = code;
  if (typeof extraCode === 'number') described.extraCode = extraCode;
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

/** An SDK `error` event or rejection, as plain data. */
export interface SdkErrorInfo {
  code: number;
  extraCode?: number;
  message: string;
  cause?: unknown;
}

/** Commands whose ending the room machine reports. */
export type SettledCommand = 'enter' | 'exit' | 'switch';

const COMMAND_NAMES: Record<SettledCommand, string> = { enter: 'enter()', exit: 'exit()', switch: 'the switch' };

function retired(renewed: boolean): string {
  return renewed
    ? 'the instance was destroyed and a fresh one will be used for the next enter()'
    : 'the instance was destroyed; pass `trtc` as a factory (() => TRTC.create()) to recover without a new controller';
}

function wedged(call: string, ms: number, renewed: boolean): string {
  return `${call} did not settle within ${ms} ms; ${retired(renewed)}`;
}

/** Every RoomError the machine and the controller raise, with the message a developer reads. */
export const roomErrors = {
  enterFailed: (error: unknown) => toRoomError('ENTER_FAILED', 'enterRoom', error),
  exitFailed: (error: unknown) => toRoomError('EXIT_FAILED', 'exitRoom (tried twice)', error),
  switchFailed: (call: string, error: unknown) => toRoomError('SWITCH_FAILED', call, error),
  enterTimeout: (ms: number, renewed: boolean) => new RoomError('ENTER_TIMEOUT', wedged('enterRoom', ms, renewed)),
  exitTimeout: (ms: number, renewed: boolean) => new RoomError('EXIT_TIMEOUT', wedged('exitRoom', ms, renewed)),
  switchTimeout: (call: string, ms: number, renewed: boolean) =>
    new RoomError('SWITCH_FAILED', `${wedged(call, ms, renewed)} once the room is left`),
  connectionLost(error: SdkErrorInfo): RoomError {
    const codes = `SDK code ${error.code}${error.extraCode === undefined ? '' : `/${error.extraCode}`}`;
    return new RoomError('CONNECTION_LOST', `the connection was lost and the SDK could not rejoin (${codes}): ${error.message}`, {
      sdkCode: error.code,
      ...(error.extraCode === undefined ? {} : { sdkExtraCode: error.extraCode }),
      cause: error.cause,
    });
  },
  /** `code` is ENTER_FAILED for the enter it ends, CONNECTION_LOST for a session it ends. */
  listenerRefused: (code: 'ENTER_FAILED' | 'CONNECTION_LOST', error: unknown, renewed: boolean) =>
    new RoomError(
      code,
      `the TRTC instance threw when an event listener was added (on()), so it could not tell of a kick or a lost connection; ${retired(renewed)}`,
      { cause: error },
    ),
  duplicateUser: (userId: string, room: string) =>
    new RoomError(
      'DUPLICATE_USER',
      `enter(): ${JSON.stringify(userId.slice(0, 64))} is in ${room} already, from another tab or window of this browser; entering would kick it out (TRTC allows one session per userId)`,
    ),
  kicked: (command: SettledCommand, reason: KickReason) =>
    new RoomError('KICKED', `${COMMAND_NAMES[command]}: kicked out of the room (reason: ${reason})`, { kickReason: reason }),
  cancelled: (command: SettledCommand, why: string) => new RoomError('CANCELLED', `${COMMAND_NAMES[command]} was cancelled: ${why}`),
  destroyed: (command: string) =>
    new RoomError('DESTROYED', `${command}(): this controller was destroyed; create a new one with createRoomController()`),
  abandoned: (call: string) => new RoomError('DESTROYED', `${call}(): the controller was destroyed before the SDK answered`),
  invalidState: (command: string, why: string) => new RoomError('INVALID_STATE', `${command}() is not possible now: ${why}`),
};
