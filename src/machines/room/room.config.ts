import type { InspectionEvent } from 'xstate';
import type { RedactOptions } from '../../inspect/redact.js';
import type { DuplicateUserMode } from '../../presence.js';
import type { EnterConfig, RoomEmittedType, RoomTarget, UserRole } from './room.types.js';
import { bool, describe, fieldsOf, finite, invalid, isFinite, isList, listOf, MAX_TIMER_MS, objectOf, oneOf, orString, rule, shape, snapshotOf, text, within } from './room.reading.js';
import type { Check } from './room.reading.js';

// The SDK's own limits (trtc-sdk-v5 5.17.1, see docs/sdk-facts.md): checked here so that bad
// input fails before any SDK call, with a message that names the field.
const ROOM_ID_PATTERN = /^[1-9]\d*$/;
const MAX_ROOM_ID = 4294967295;
const STR_ROOM_ID_PATTERN = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;
const RECORD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface ParsedEnterConfig {
  /** What the snapshot may show. */
  target: RoomTarget;
  /** What goes to `trtc.enterRoom()`, secrets included. Never stored in the machine. */
  options: EnterConfig;
}

// ---- enter() ----

const TURN_SERVER = shape({ url: text, username: text, credential: text, credentialType: oneOf('password') }, '{ url, username?, credential? }', ['url']);

/** What enter() takes beyond the room and the user, as the SDK's own checks (5000) have it. */
const ENTER_OPTIONS: Record<string, Check> = {
  autoReceiveAudio: bool,
  autoReceiveVideo: bool,
  enableAutoPlayDialog: bool,
  latencyLevel: finite,
  businessInfo: text,
  userDefineRecordId: rule((value) => typeof value === 'string' && RECORD_ID_PATTERN.test(value), '1 to 64 letters, digits, _ or -'),
  proxy: orString(
    shape(
      {
        websocketProxy: text,
        loggerProxy: text,
        turnServer: (value, field, command) =>
          isList(value, field, command) ? listOf(TURN_SERVER, 'a list of TURN servers')(value, field, command) : TURN_SERVER(value, field, command),
        iceTransportPolicy: oneOf('all', 'relay'),
        webtransportProxy: text,
        scheduleProxy: text,
        unifiedProxy: text,
      },
      'a URL or { websocketProxy?, turnServer?, ... }',
    ),
  ),
  playoutDelay: shape({ min: within(0, 1000), max: within(0, 10000) }, '{ min, max } in ms'),
};

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
  return value === undefined ? undefined : (oneOf(...allowed)(value, field, 'enter') as T);
}

/** An SDKAppID, as enter() and the server calls take it: a positive integer. */
export function checkSdkAppId(command: string, sdkAppId: unknown): number {
  if (typeof sdkAppId !== 'number' || !Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    throw invalid('sdkAppId', `sdkAppId must be the SDKAppID from the TRTC console, a positive integer (got ${describe(sdkAppId)})`, command);
  }
  return sdkAppId;
}

/** Checks an enter() config as the SDK would, and splits it into what may be shown and what may not. */
export function parseEnterConfig(config: unknown): ParsedEnterConfig {
  const given = objectOf(config, 'config', 'enter', 'a config object like { sdkAppId, userId, userSig, roomId }');
  const fields = snapshotOf(given, ENTER_FIELDS, 'enter');
  const { userSig, privateMapKey } = fields;
  const sdkAppId = checkSdkAppId('enter', fields.sdkAppId);
  const userId = checkUserId('enter', fields.userId);
  if (typeof userSig !== 'string' || userSig.trim() === '') {
    throw invalid('userSig', 'userSig is required: a signature computed by your server for this sdkAppId and userId');
  }
  checkPrivateMapKey('enter', privateMapKey);
  const room = checkRoom(fields);
  const scene = checkOneOf(fields, 'scene', ['rtc', 'live']);
  const role = checkOneOf(fields, 'role', ['anchor', 'audience']);

  const target: RoomTarget = { sdkAppId, userId, ...room };
  if (scene !== undefined) target.scene = scene;
  if (role !== undefined) target.role = role;

  const options: Record<string, unknown> = { ...fields };
  for (const [key, check] of Object.entries(ENTER_OPTIONS)) if (fields[key as keyof typeof fields] !== undefined) options[key] = check(options[key], key, 'enter');
  // The SDK uses roomId when both are given; pass only the one it will use.
  if (room.roomId !== undefined) delete options.strRoomId;
  else delete options.roomId;
  return { target, options: options as unknown as EnterConfig };
}

/** A `{ roomId } | { strRoomId }`, read once and checked as enter() checks it (the server calls use it too). */
export function parseRoom(command: string, room: unknown): Pick<RoomTarget, 'roomId' | 'strRoomId'> {
  const fields = snapshotOf(objectOf(room, 'config', command, '{ roomId } or { strRoomId }'), ['roomId', 'strRoomId'], command);
  return checkRoom(fields, command);
}

/** A user's id, as the SDK takes it: a non-blank string (the own one at enter, or a remote user's). */
export function checkUserId(command: string, userId: unknown): string {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw invalid('userId', `userId must be a non-blank string (got ${describe(userId)})`, command);
  }
  return userId;
}

// ---- switchRole() and switchRoom() ----

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
  const room = checkRoom(fields, 'switchRoom');
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

/** switchRole()'s options: `{ privateMapKey? }`, read once. */
export function parseSwitchRoleOptions(options: unknown): { privateMapKey?: string } {
  if (options === undefined) return {};
  const fields = snapshotOf(objectOf(options, 'options', 'switchRole', '{ privateMapKey? }'), ['privateMapKey'], 'switchRole');
  checkPrivateMapKey('switchRole', fields.privateMapKey);
  return fields as { privateMapKey?: string };
}

/** An optional privateMapKey (enter, switchRole, switchRoom): a string when given. */
function checkPrivateMapKey(command: string, privateMapKey: unknown): asserts privateMapKey is string | undefined {
  if (privateMapKey !== undefined && typeof privateMapKey !== 'string') {
    throw invalid('privateMapKey', `privateMapKey must be a string (got ${describe(privateMapKey)})`, command);
  }
}

// ---- createRoomController() and the listener methods ----

/** A bound in ms: a positive number, or the default when not given. */
export function parseBound(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const ok = (ms: unknown) => isFinite(ms) && ms > 0 && ms <= MAX_TIMER_MS;
  return rule(ok, `a positive number of ms, at most ${MAX_TIMER_MS}`)(value, name, 'createRoomController') as number;
}

/** An XState inspection observer (a function, or an object with next()), as the one function called. */
export function parseObserver(observer: unknown, command: string): (event: InspectionEvent) => void {
  if (typeof observer === 'function') return observer as (event: InspectionEvent) => void;
  if (typeof observer === 'object' && observer !== null) {
    const { next } = snapshotOf(observer, ['next'], command, 'inspect');
    if (typeof next === 'function') return (event) => void next.call(observer, event);
  }
  throw invalid('inspect', 'an XState inspection observer is needed: a function, or an object with next() (e.g. inspector.inspect)', command);
}

const STRINGS = listOf(text, 'an array of strings');

/** `redact: { keys?: string[], values?: string[] }`, read once into plain arrays. */
export function parseRedact(redact: unknown): RedactOptions | undefined {
  if (redact === undefined) return undefined;
  const expected = 'an object like { keys: [...], values: [...] }';
  return fieldsOf(redact, { keys: STRINGS, values: STRINGS }, 'createRoomController', 'redact', expected, 'redact') as RedactOptions;
}

/** subscribe(), on() and onSdkCall() take a function. */
/**
 * Measured on trtc-sdk-v5 5.17.1 (docs/sdk-facts.md): a kick's DISCONNECTED comes 2–105 ms before
 * `kicked-out`, a dropped socket reconnects in ~40 ms; a longer outage shows after this.
 */
export const DEFAULT_RECONNECT_GRACE_MS = 300;

/** How long an outage stays quiet before `reconnecting` shows: 0 (at once) to a timer's longest. */
export function parseGrace(value: unknown): number {
  if (value === undefined) return DEFAULT_RECONNECT_GRACE_MS;
  return within(0, MAX_TIMER_MS)(value, 'reconnectGraceMs', 'createRoomController') as number;
}

/** What to do about the same user in the same room from another tab (createRoomController). */
export function parseDuplicateUser(value: unknown): DuplicateUserMode {
  if (value === undefined) return 'warn';
  return oneOf('allow', 'warn', 'refuse')(value, 'duplicateUser', 'createRoomController') as DuplicateUserMode;
}

export function checkListener(command: string, listener: unknown): void {
  if (typeof listener !== 'function') throw invalid('listener', `the listener must be a function (got ${describe(listener)})`, command);
}

const EMITTED_TYPES: Record<RoomEmittedType, true> = {
  entered: true,
  exited: true,
  kicked: true,
  error: true,
  warning: true,
  connection: true,
  roleChanged: true,
  roomSwitched: true,
  remoteUsersChanged: true,
  duplicateUser: true,
  destroyed: true,
  'enter.settled': true,
  'exit.settled': true,
  'switch.settled': true,
  'remote.settled': true,
  'media.settled': true,
};

/** Every event type the controller emits, for `on()`. */
export const ROOM_EMITTED_TYPES = Object.keys(EMITTED_TYPES) as readonly RoomEmittedType[];

/** on()'s event type: one the controller emits. */
export function checkEmittedType(type: unknown): asserts type is RoomEmittedType {
  if (typeof type !== 'string' || !Object.hasOwn(EMITTED_TYPES, type)) {
    throw invalid('type', `no such event (got ${describe(type)}); the events are ${ROOM_EMITTED_TYPES.join(', ')}`, 'on');
  }
}

