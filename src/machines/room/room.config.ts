import { RoomError } from '../../errors.js';
import type { EnterConfig, RoomTarget, UserRole } from './room.types.js';

// The SDK's own limits (trtc-sdk-v5 5.17.1, see docs/sdk-facts.md): checked here so that bad
// input fails before any SDK call, with a message that names the field.
const ROOM_ID_PATTERN = /^[1-9]\d*$/;
const MAX_ROOM_ID = 4294967295;
const STR_ROOM_ID_PATTERN = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;
const SCENES = ['rtc', 'live'] as const;
const ROLES = ['anchor', 'audience'] as const;

export interface ParsedEnterConfig {
  /** What the snapshot may show. */
  target: RoomTarget;
  /** What goes to `trtc.enterRoom()`, secrets included. Never stored in the machine. */
  options: EnterConfig;
}

function invalid(field: string, message: string, command = 'enter', cause?: unknown): RoomError {
  return new RoomError('INVALID_PARAMETER', `${command}(): ${message}`, { field, ...(cause === undefined ? {} : { cause }) });
}

/** The fields of the SDK's EnterRoomConfig: the only ones read, and the only ones handed on. */
const ENTER_FIELDS = [
  'sdkAppId',
  'userId',
  'userSig',
  'roomId',
  'strRoomId',
  'scene',
  'role',
  'privateMapKey',
  'autoReceiveAudio',
  'autoReceiveVideo',
  'enableAutoPlayDialog',
  'latencyLevel',
  'businessInfo',
  'userDefineRecordId',
  'proxy',
  'playoutDelay',
] as const satisfies ReadonlyArray<keyof EnterConfig>;

/**
 * Reads each field once into a plain object, so what is checked is what is handed on: a getter
 * cannot answer differently later, and a getter or Proxy that throws is a bad parameter.
 */
export function snapshotOf<K extends string>(value: object, fields: readonly K[], command: string): Partial<Record<K, unknown>> {
  const copy: Partial<Record<K, unknown>> = {};
  for (const field of fields) {
    let read: unknown;
    try {
      read = (value as Record<string, unknown>)[field];
    } catch (error) {
      throw invalid(field, `reading ${field} threw`, command, error);
    }
    if (read !== undefined) copy[field] = read;
  }
  return copy;
}

/** The largest delay a timer takes (2^31 - 1 ms): a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

function isMissingRoomId(roomId: unknown): boolean {
  return roomId === undefined || roomId === null || roomId === 0;
}

function checkRoom(config: Record<string, unknown>, command = 'enter'): Pick<RoomTarget, 'roomId' | 'strRoomId'> {
  const { roomId, strRoomId } = config;
  const refuse = (field: string, message: string) => invalid(field, message, command);
  if (!isMissingRoomId(roomId)) {
    if (typeof roomId === 'string') {
      throw refuse('roomId', `roomId must be a number; for a string room id use strRoomId (got ${describe(roomId)})`);
    }
    if (typeof roomId !== 'number' || !ROOM_ID_PATTERN.test(String(roomId)) || roomId >= MAX_ROOM_ID) {
      throw refuse('roomId', `roomId must be an integer from 1 to ${MAX_ROOM_ID - 1} (got ${describe(roomId)})`);
    }
    return { roomId };
  }
  if (strRoomId === undefined || strRoomId === null || strRoomId === '') {
    throw refuse('roomId', 'a room is required: give roomId (a number) or strRoomId (a string)');
  }
  if (typeof strRoomId !== 'string' || !STR_ROOM_ID_PATTERN.test(strRoomId)) {
    throw refuse(
      'strRoomId',
      `strRoomId must be 1 to 64 characters of letters, digits, spaces and !#$%&()+-:;<=.>?@[]^_{}|~, (got ${describe(strRoomId)})`,
    );
  }
  return { strRoomId };
}

function checkOneOf<T extends string>(config: Record<string, unknown>, field: string, allowed: readonly T[]): T | undefined {
  const value = config[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `${field} must be ${allowed.map((a) => `'${a}'`).join(' or ')} (got ${describe(value)})`);
  }
  return value as T;
}

/** Checks an enter() config as the SDK would, and splits it into what may be shown and what may not. */
export function parseEnterConfig(config: unknown): ParsedEnterConfig {
  if (typeof config !== 'object' || config === null) {
    throw invalid('config', `expected a config object like { sdkAppId, userId, userSig, roomId } (got ${describe(config)})`);
  }
  const fields = snapshotOf(config, ENTER_FIELDS, 'enter');
  const { sdkAppId, userSig, privateMapKey } = fields;
  if (typeof sdkAppId !== 'number' || !Number.isFinite(sdkAppId) || sdkAppId === 0) {
    throw invalid('sdkAppId', `sdkAppId must be the non-zero SDKAppID number from the TRTC console (got ${describe(sdkAppId)})`);
  }
  const userId = checkUserId('enter', fields.userId);
  if (typeof userSig !== 'string' || userSig.trim() === '') {
    throw invalid('userSig', 'userSig is required: a signature computed by your server for this sdkAppId and userId');
  }
  checkPrivateMapKey('enter', privateMapKey);
  const room = checkRoom(fields);
  const scene = checkOneOf(fields, 'scene', SCENES);
  const role = checkOneOf(fields, 'role', ROLES);

  const target: RoomTarget = { sdkAppId, userId, ...room };
  if (scene !== undefined) target.scene = scene;
  if (role !== undefined) target.role = role;

  const options = { ...fields } as EnterConfig;
  // The SDK uses roomId when both are given; pass only the one it will use.
  if (room.roomId !== undefined) delete options.strRoomId;
  else delete options.roomId;
  return { target, options };
}

/** Checks the room of a switchRoom() as enterRoom would. */
export function parseRoom(command: string, room: unknown): Pick<RoomTarget, 'roomId' | 'strRoomId'> {
  if (typeof room !== 'object' || room === null) {
    throw invalid('config', `expected { roomId } or { strRoomId } (got ${describe(room)})`, command);
  }
  return checkRoom(room as Record<string, unknown>, command);
}

/** Checks switchRole()'s role as the SDK would (5005). */
export function parseRole(role: unknown): UserRole {
  if (role !== 'anchor' && role !== 'audience') {
    throw invalid('role', `role must be 'anchor' or 'audience' (got ${describe(role)})`, 'switchRole');
  }
  return role;
}

/** Checks a switchRoom() as the SDK would, against the room entered now (`current`); reads it once. */
export function parseSwitchRoom(
  options: unknown,
  current: RoomTarget | null,
): { room: Pick<RoomTarget, 'roomId' | 'strRoomId'>; userSig: string; privateMapKey?: string } {
  const fields = snapshotOf(objectOf(options, 'options', 'switchRoom', '{ roomId | strRoomId, userSig }'), ['roomId', 'strRoomId', 'userSig', 'privateMapKey'], 'switchRoom');
  const room = parseRoom('switchRoom', fields);
  const { userSig, privateMapKey } = fields;
  if (typeof userSig !== 'string' || userSig.trim() === '') {
    throw invalid('userSig', 'userSig is required: a signature valid for the new room', 'switchRoom');
  }
  checkPrivateMapKey('switchRoom', privateMapKey);
  if (current && (current.roomId === undefined) !== (room.roomId === undefined)) {
    // The SDK refuses to switch between a numeric and a string room (5000/5019).
    const kind = current.roomId === undefined ? 'strRoomId' : 'roomId';
    throw invalid(kind, `the room was entered by ${kind}; switch to another ${kind}`, 'switchRoom');
  }
  if (current && current.roomId === room.roomId && current.strRoomId === room.strRoomId) {
    throw invalid(room.roomId ? 'roomId' : 'strRoomId', 'that is the room already entered', 'switchRoom');
  }
  return { room, userSig, ...(privateMapKey === undefined ? {} : { privateMapKey }) };
}

/** A bound in ms: a positive number, or the default when not given. */
export function parseBound(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw invalid(name, `${name} must be a positive number of ms, at most ${MAX_TIMER_MS} (got ${describe(value)})`, 'createRoomController');
  }
  return value;
}

/** An XState inspection observer: a function, or an object with next(). */
export function checkObserver(observer: unknown): void {
  const ok = typeof observer === 'function' || (typeof observer === 'object' && observer !== null && typeof (observer as { next?: unknown }).next === 'function');
  if (!ok) {
    throw new RoomError('INVALID_PARAMETER', 'inspect: an XState inspection observer is needed: a function, or an object with next() (e.g. inspector.inspect)', {
      field: 'inspect',
    });
  }
}

/** `redact: { keys?: string[], values?: string[] }`. */
export function checkRedact(redact: unknown): void {
  if (redact === undefined) return;
  if (typeof redact !== 'object' || redact === null) {
    throw invalid('redact', 'redact must be an object like { keys: [...], values: [...] }', 'createRoomController');
  }
  for (const field of ['keys', 'values'] as const) {
    const list: unknown = (redact as Record<string, unknown>)[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
      throw invalid(`redact.${field}`, `redact.${field} must be an array of strings`, 'createRoomController');
    }
  }
}

// ---- arguments of the other commands ----

function objectOf(value: unknown, field: string, command: string, shape: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `expected ${shape} (got ${describe(value)})`, command);
  }
  return value;
}

/** An optional privateMapKey (enter, switchRole, switchRoom): a string when given. */
function checkPrivateMapKey(command: string, privateMapKey: unknown): asserts privateMapKey is string | undefined {
  if (privateMapKey !== undefined && typeof privateMapKey !== 'string') {
    throw invalid('privateMapKey', `privateMapKey must be a string (got ${describe(privateMapKey)})`, command);
  }
}

/** A user's id, as the SDK takes it: a non-blank string (the own one at enter, or a remote user's). */
export function checkUserId(command: string, userId: unknown): string {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw invalid('userId', `userId must be a non-blank string (got ${describe(userId)})`, command);
  }
  return userId;
}

const STREAM_TYPES = ['main', 'sub'] as const;

/** startRemoteVideo / updateRemoteVideo / stopRemoteVideo options, read once. */
export function parseRemoteVideo<T>(command: string, options: unknown, streamTypeRequired: boolean): T {
  const fields = snapshotOf(objectOf(options, 'options', command, '{ userId, streamType, view? }'), ['userId', 'streamType', 'view', 'option'], command);
  checkUserId(command, fields.userId);
  if (fields.streamType !== undefined || streamTypeRequired) {
    if (!(STREAM_TYPES as readonly unknown[]).includes(fields.streamType)) {
      throw invalid('streamType', `streamType must be 'main' or 'sub' (got ${describe(fields.streamType)})`, command);
    }
  }
  if (fields.view !== undefined) checkView(command, fields.view);
  return fields as T;
}

/** A remote user's audio volume, 0–100 as the SDK documents. */
export function checkVolume(command: string, volume: unknown): number {
  if (typeof volume !== 'number' || !Number.isFinite(volume) || volume < 0 || volume > 100) {
    throw invalid('volume', `volume must be a number from 0 to 100 (got ${describe(volume)})`, command);
  }
  return volume;
}

export function checkBoolean(command: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be true or false (got ${describe(value)})`, command);
  return value;
}

/** The audio-volume interval in ms: 0 turns it off. */
export function checkInterval(command: string, intervalMs: unknown): number {
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 0 || intervalMs > MAX_TIMER_MS) {
    throw invalid('intervalMs', `intervalMs must be a number of ms, 0 (off) or more (got ${describe(intervalMs)})`, command);
  }
  return intervalMs;
}

function checkView(command: string, view: unknown): void {
  const ok = view === null || typeof view === 'string' || (typeof view === 'object' && !Array.isArray(view)) || Array.isArray(view);
  if (!ok) throw invalid('view', `view must be an element id, an element, a list of elements or null (got ${describe(view)})`, command);
}

const ROTATIONS: readonly unknown[] = [0, 90, 180, 270];

/**
 * Local media options (start/update of the microphone, camera or screen), read once.
 * `required`: update*() needs options; start*() may go without.
 */
export function parseMediaOptions<T>(command: string, options: unknown, required: boolean, device: 'microphone' | 'camera' | 'screen'): T | undefined {
  if (options === undefined && !required) return undefined;
  const fields = snapshotOf(
    objectOf(options, 'options', command, 'an options object'),
    ['view', 'publish', 'mute', 'muteKeepVolumeDetection', 'option', 'streamType', 'muteSystemAudio'],
    command,
  );
  const { mute, publish, view, option } = fields;
  // The SDK also takes 'microphone' (the microphone's mute) and, for the camera, a picture's URL to send instead.
  const muteOk =
    mute === undefined ||
    typeof mute === 'boolean' ||
    (device === 'microphone' && mute === 'microphone') ||
    (device === 'camera' && typeof mute === 'string' && mute !== '');
  if (!muteOk) {
    const extra = device === 'camera' ? ', or the URL of a picture to send instead' : device === 'microphone' ? ", or 'microphone'" : '';
    throw invalid('mute', `mute must be true or false${extra} (got ${describe(mute)})`, command);
  }
  if (publish !== undefined) checkBoolean(command, 'publish', publish);
  if (view !== undefined) checkView(command, view);
  if (option !== undefined) {
    const inner = objectOf(option, 'option', command, 'an object');
    const rotation = snapshotOf(inner, ['rotation'], command).rotation;
    if (rotation !== undefined && !ROTATIONS.includes(rotation)) {
      throw invalid('option.rotation', `option.rotation must be 0, 90, 180 or 270 (got ${describe(rotation)})`, command);
    }
  }
  return fields as T;
}

/** switchRole()'s options: `{ privateMapKey? }`, read once. */
export function parseSwitchRoleOptions(options: unknown): { privateMapKey?: string } {
  if (options === undefined) return {};
  const fields = snapshotOf(objectOf(options, 'options', 'switchRole', '{ privateMapKey? }'), ['privateMapKey'], 'switchRole');
  checkPrivateMapKey('switchRole', fields.privateMapKey);
  return fields as { privateMapKey?: string };
}
