import { ERROR_CODE, SimulatedRtcError } from './rtc-error.js';

// The parameter checks trtc-sdk-v5 5.17.1 makes in enterRoom, with its extraCodes.
const ROOM_ID = /^[1-9]\d*$/;
const STR_ROOM_ID = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

function reject(extraCode: number, message: string): SimulatedRtcError {
  return new SimulatedRtcError({ code: ERROR_CODE.INVALID_PARAMETER, extraCode, functionName: 'enterRoom', message });
}

export interface SimulatedRoomRef {
  sdkAppId: number;
  roomId?: number;
  strRoomId?: string;
}

/** Returns the room the SDK would join, or the RtcError it would reject with. */
export function checkEnterParams(params: Record<string, unknown>): SimulatedRoomRef | SimulatedRtcError {
  const { sdkAppId, userId, userSig, roomId, strRoomId, scene, role } = params;
  if (typeof sdkAppId !== 'number' || !sdkAppId) return reject(5003, 'sdkAppId must be a non-zero number');
  if (userId === undefined || userId === null || userId === '') return reject(5002, 'userId is required');
  if (typeof userId !== 'string' || userId.trim() === '') return reject(5003, 'userId must be a string');
  if (!userSig) return reject(5001, 'userSig is required');
  if (scene !== undefined && scene !== 'rtc' && scene !== 'live') return reject(5005, 'scene must be rtc or live');
  if (role !== undefined && role !== 'anchor' && role !== 'audience') return reject(5005, 'role must be anchor or audience');
  if (roomId !== undefined && roomId !== null && roomId !== 0) {
    if (typeof roomId === 'string') return reject(5016, 'roomId must be a number, use strRoomId for strings');
    if (typeof roomId !== 'number' || !ROOM_ID.test(String(roomId)) || roomId >= 4294967295) {
      return reject(5013, 'roomId must be an integer in [1, 4294967294]');
    }
    return { sdkAppId, roomId };
  }
  if (strRoomId === undefined || strRoomId === null || strRoomId === '') return reject(5015, 'roomId or strRoomId is required');
  if (typeof strRoomId !== 'string' || !STR_ROOM_ID.test(strRoomId)) return reject(5012, 'strRoomId is invalid');
  return { sdkAppId, strRoomId };
}

export function roomKey(room: SimulatedRoomRef): string {
  return room.roomId !== undefined ? `${room.sdkAppId}/#${room.roomId}` : `${room.sdkAppId}/$${room.strRoomId ?? ''}`;
}
