// Parameter checks of the server calls, made before any request. The room and userId rules are
// the client's own (room.config.ts). No Node here: the simulator checks its calls with these too.
import { RoomError } from '../errors.js';
import { checkSdkAppId, checkUserId, parseRoom } from '../machines/room/room.config.js';

export { checkSdkAppId };
import { isList, objectOf, snapshotOf } from '../machines/room/room.reading.js';
import type { RoomRef } from './room-server.types.js';

/** RemoveUser takes at most 10 userIds per call (Tencent's API reference). */
export const MAX_USER_IDS = 10;
export const DEFAULT_USER_SIG_EXPIRE_SECONDS = 86_400;
export const DEFAULT_PRIVATE_MAP_KEY_EXPIRE_SECONDS = 300;
/** tls-sig-api-v2 packs times into 32 bits. */
const MAX_EXPIRE_SECONDS = 0x7fffffff;

function invalid(command: string, field: string, message: string): RoomError {
  return new RoomError('INVALID_PARAMETER', `${command}(): ${message}`, { field });
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** The fields of `value` that a call uses, each read once into a plain object (a getter cannot answer twice). */
function fieldsOf<K extends string>(command: string, value: unknown, shape: string, keys: readonly K[]): Partial<Record<K, unknown>> {
  return snapshotOf(objectOf(value, 'params', command, shape), keys, command);
}

/** A secret: a non-blank string when given. Its value never appears in a message. */
export function checkSecret(command: string, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value !== value.trim()) {
    throw invalid(command, field, `${field} must be a non-blank string without surrounding spaces`);
  }
  return value;
}

/** `{ roomId }` or `{ strRoomId }`: exactly one, each as the client checks it. */
export function parseRoomRef(command: string, params: unknown): RoomRef {
  const fields = fieldsOf(command, params, '{ roomId } or { strRoomId }', ['roomId', 'strRoomId']);
  if (fields.roomId !== undefined && fields.strRoomId !== undefined) {
    throw invalid(command, 'roomId', 'give roomId or strRoomId, not both: the server calls act on exactly one room');
  }
  const room = parseRoom(command, { roomId: fields.roomId, strRoomId: fields.strRoomId });
  return room.roomId !== undefined ? { roomId: room.roomId } : { strRoomId: room.strRoomId ?? '' };
}

export function parseUserIds(command: string, userIds: unknown): string[] {
  const list = isList(userIds, 'userIds', command) ? readList(command, userIds) : undefined;
  if (!list || list.length === 0 || list.length > MAX_USER_IDS) {
    const got = list ? `${list.length} of them` : shown(userIds);
    throw invalid(command, 'userIds', `userIds must be a list of 1 to ${MAX_USER_IDS} userIds (got ${got})`);
  }
  return list.map((userId: unknown) => checkUserId(command, userId));
}

/** A list read once (its length, then each item), at most one item past the limit. */
function readList(command: string, list: readonly unknown[]): unknown[] {
  try {
    return Array.from({ length: Math.min(list.length, MAX_USER_IDS + 1) }, (_, i) => list[i]);
  } catch (cause) {
    throw new RoomError('INVALID_PARAMETER', `${command}(): reading userIds threw`, { field: 'userIds', cause });
  }
}

export function parseRemoveUser(command: string, params: unknown): RoomRef & { userIds: string[] } {
  const fields = fieldsOf(command, params, '{ roomId | strRoomId, userIds }', ['roomId', 'strRoomId', 'userIds']);
  return { ...parseRoomRef(command, fields), userIds: parseUserIds(command, fields.userIds) };
}

export function checkExpireSeconds(command: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_EXPIRE_SECONDS) {
    throw invalid(command, 'expireSeconds', `expireSeconds must be a positive whole number of seconds (got ${shown(value)})`);
  }
  return value;
}

export function parseUserSig(userId: unknown, options: unknown): { userId: string; expireSeconds: number } {
  const fields = options === undefined ? {} : fieldsOf('userSig', options, '{ expireSeconds? }', ['expireSeconds']);
  return {
    userId: checkUserId('userSig', userId),
    expireSeconds: checkExpireSeconds('userSig', fields.expireSeconds, DEFAULT_USER_SIG_EXPIRE_SECONDS),
  };
}

export function parsePrivateMapKey(userId: unknown, options: unknown): { userId: string; room: RoomRef; privileges: number; expireSeconds: number } {
  const command = 'privateMapKey';
  const fields = fieldsOf(command, options, '{ roomId | strRoomId, privileges?, expireSeconds? }', ['roomId', 'strRoomId', 'privileges', 'expireSeconds']);
  const { privileges = 255 } = fields;
  if (typeof privileges !== 'number' || !Number.isInteger(privileges) || privileges < 1 || privileges > 255) {
    throw invalid(command, 'privileges', `privileges must be an integer from 1 to 255, bits of PRIVILEGES (got ${shown(privileges)})`);
  }
  return {
    userId: checkUserId(command, userId),
    room: parseRoomRef(command, fields),
    privileges,
    expireSeconds: checkExpireSeconds(command, fields.expireSeconds, DEFAULT_PRIVATE_MAP_KEY_EXPIRE_SECONDS),
  };
}
