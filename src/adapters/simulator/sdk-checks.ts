import { ERROR_CODE, EXTRA_CODE, SimulatedRtcError } from './rtc-error.js';

// The parameter checks trtc-sdk-v5 5.17.1 makes, with its extraCodes. As in the SDK, the checks of
// each field (required, type, allowed values) come before the method's own checks (joined? same room?).
const ROOM_ID = /^[1-9]\d*$/;
const STR_ROOM_ID = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;
const MAX_ROOM_ID = 4294967295;

function invalid(functionName: string, extraCode: number, message: string): SimulatedRtcError {
  return new SimulatedRtcError({ code: ERROR_CODE.INVALID_PARAMETER, extraCode, functionName, message });
}

export interface SimulatedRoomRef {
  sdkAppId: number;
  roomId?: number;
  strRoomId?: string;
}

const missing = (value: unknown): boolean => value === undefined || value === null;
const validRoomId = (roomId: unknown): boolean => ROOM_ID.test(String(roomId)) && Number(roomId) < MAX_ROOM_ID;

/** Returns the room the SDK would join, or the RtcError it would reject with. */
export function checkEnterParams(params: Record<string, unknown>): SimulatedRoomRef | SimulatedRtcError {
  const reject = (extraCode: number, message: string) => invalid('enterRoom', extraCode, message);
  const { sdkAppId, userId, userSig, roomId, strRoomId, scene, role } = params;
  if (typeof sdkAppId !== 'number' || !sdkAppId) return reject(EXTRA_CODE.INVALID_PARAMETER_EMPTY, 'sdkAppId must be a non-zero number');
  if (missing(userId) || userId === '') return reject(EXTRA_CODE.INVALID_PARAMETER_TYPE, 'userId is required');
  if (typeof userId !== 'string' || userId.trim() === '') return reject(EXTRA_CODE.INVALID_PARAMETER_EMPTY, 'userId must be a string');
  if (!userSig) return reject(EXTRA_CODE.INVALID_PARAMETER_REQUIRED, 'userSig is required');
  if (scene !== undefined && scene !== 'rtc' && scene !== 'live') return reject(EXTRA_CODE.INVALID_PARAMETER_RANGE, 'scene must be rtc or live');
  if (role !== undefined && role !== 'anchor' && role !== 'audience') return reject(EXTRA_CODE.INVALID_PARAMETER_RANGE, 'role must be anchor or audience');
  if (!missing(roomId) && roomId !== 0) {
    if (typeof roomId === 'string') return reject(EXTRA_CODE.INVALID_ROOM_ID_INTEGER_STRING, 'roomId must be a number, use strRoomId for strings');
    if (typeof roomId !== 'number' || !validRoomId(roomId)) return reject(EXTRA_CODE.INVALID_ROOM_ID_INTEGER, 'roomId must be an integer in [1, 4294967294]');
    return { sdkAppId, roomId };
  }
  if (missing(strRoomId) || strRoomId === '') return reject(EXTRA_CODE.INVALID_ROOM_ID_REQUIRED, 'roomId or strRoomId is required');
  if (typeof strRoomId !== 'string' || !STR_ROOM_ID.test(strRoomId)) return reject(EXTRA_CODE.INVALID_ROOM_ID_STRING, 'strRoomId is invalid');
  return { sdkAppId, strRoomId };
}

/** switchRoom: `current` is the room the client is in, undefined when not in one. */
export function checkSwitchRoomParams(params: unknown, current: SimulatedRoomRef | undefined): SimulatedRoomRef | SimulatedRtcError {
  const reject = (extraCode: number, message: string) => invalid('switchRoom', extraCode, message);
  if (typeof params !== 'object' || params === null) return reject(EXTRA_CODE.INVALID_PARAMETER_REQUIRED, 'switchRoom options are required');
  const { roomId, strRoomId, userSig, privateMapKey } = params as Record<string, unknown>;
  if (!missing(roomId) && typeof roomId !== 'number') return reject(EXTRA_CODE.INVALID_PARAMETER_TYPE, 'roomId must be a number');
  if (!missing(strRoomId) && typeof strRoomId !== 'string') return reject(EXTRA_CODE.INVALID_PARAMETER_TYPE, 'strRoomId must be a string');
  if (!missing(privateMapKey) && typeof privateMapKey !== 'string') return reject(EXTRA_CODE.INVALID_PARAMETER_TYPE, 'privateMapKey must be a string');
  if (missing(userSig)) return reject(EXTRA_CODE.INVALID_PARAMETER_REQUIRED, 'userSig is required');
  if (typeof userSig !== 'string') return reject(EXTRA_CODE.INVALID_PARAMETER_TYPE, 'userSig must be a string');
  if (!current) return notJoined('switchRoom');
  const useStrRoomId = current.roomId === undefined;
  if (useStrRoomId ? strRoomId === current.strRoomId : roomId === current.roomId) {
    return reject(EXTRA_CODE.INVALID_ROOM_ID_DUPLICATE, 'already in this room');
  }
  if ((roomId && useStrRoomId) || (!roomId && strRoomId && !useStrRoomId)) {
    return reject(EXTRA_CODE.INVALID_ROOM_ID_TYPE_MISMATCH, 'the new room must be of the same type (roomId or strRoomId) as the current one');
  }
  if (roomId) {
    if (!validRoomId(roomId)) return reject(EXTRA_CODE.INVALID_ROOM_ID_INTEGER, 'roomId must be an integer in [1, 4294967294]');
    return { sdkAppId: current.sdkAppId, roomId: Number(roomId) };
  }
  if (!strRoomId) return reject(EXTRA_CODE.INVALID_ROOM_ID_REQUIRED, 'roomId or strRoomId is required');
  if (typeof strRoomId !== 'string' || !STR_ROOM_ID.test(strRoomId)) return reject(EXTRA_CODE.INVALID_ROOM_ID_STRING, 'strRoomId is invalid');
  return { sdkAppId: current.sdkAppId, strRoomId };
}

export function notJoined(functionName: string): SimulatedRtcError {
  return new SimulatedRtcError({
    code: ERROR_CODE.INVALID_OPERATION,
    extraCode: EXTRA_CODE.INVALID_OPERATION_NOT_JOINED,
    functionName,
    message: `cannot ${functionName} because you are not enter room yet.`,
  });
}

/** A required argument of one type, and optionally one of some values. */
export function checkArg(functionName: string, name: string, value: unknown, type: string, values?: readonly unknown[]): SimulatedRtcError | undefined {
  if (missing(value)) return invalid(functionName, EXTRA_CODE.INVALID_PARAMETER_REQUIRED, `${name} is required`);
  if (typeof value !== type) return invalid(functionName, EXTRA_CODE.INVALID_PARAMETER_TYPE, `${name} must be a ${type}`);
  if (values && !values.includes(value)) return invalid(functionName, EXTRA_CODE.INVALID_PARAMETER_RANGE, `${name} must be one of ${values.join(', ')}`);
  return undefined;
}

const STREAM_TYPES = ['main', 'sub'] as const;

/** startRemoteVideo / updateRemoteVideo / stopRemoteVideo options (stop: streamType optional with userId '*'). */
export function checkRemoteVideoParams(functionName: string, config: unknown): SimulatedRtcError | undefined {
  if (typeof config !== 'object' || config === null) return invalid(functionName, EXTRA_CODE.INVALID_PARAMETER_REQUIRED, 'options are required');
  const { userId, streamType } = config as Record<string, unknown>;
  const stopping = functionName === 'stopRemoteVideo';
  const userError = checkArg(functionName, 'userId', userId, 'string');
  if (userError) return userError;
  if (stopping && missing(streamType)) {
    return userId === '*' ? undefined : invalid(functionName, EXTRA_CODE.INVALID_STREAM_TYPE, 'streamType is required');
  }
  return checkArg(functionName, 'streamType', streamType, 'string', STREAM_TYPES);
}

export function roomKey(room: SimulatedRoomRef): string {
  return room.roomId !== undefined ? `${room.sdkAppId}/#${room.roomId}` : `${room.sdkAppId}/$${room.strRoomId ?? ''}`;
}
