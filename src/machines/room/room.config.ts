import type { InspectionEvent } from 'xstate';
import { RoomError } from '../../errors.js';
import type { RedactOptions } from '../../inspect/redact.js';
import type { DeviceKind } from '../device/device.types.js';
import type { EnterConfig, RoomEmittedType, RoomTarget, UserRole } from './room.types.js';

// The SDK's own limits (trtc-sdk-v5 5.17.1, see docs/sdk-facts.md): checked here so that bad
// input fails before any SDK call, with a message that names the field.
const ROOM_ID_PATTERN = /^[1-9]\d*$/;
const MAX_ROOM_ID = 4294967295;
const STR_ROOM_ID_PATTERN = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;
const RECORD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The largest delay a timer takes (2^31 - 1 ms): a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** The longest list an option takes (views, TURN servers, redact lists): longer is a mistake, and reading it would hang. */
const MAX_LIST = 1024;

export interface ParsedEnterConfig {
  /** What the snapshot may show. */
  target: RoomTarget;
  /** What goes to `trtc.enterRoom()`, secrets included. Never stored in the machine. */
  options: EnterConfig;
}

function invalid(field: string, message: string, command = 'enter', cause?: unknown): RoomError {
  return new RoomError('INVALID_PARAMETER', `${command}(): ${message}`, { field, ...(cause === undefined ? {} : { cause }) });
}

/** A value as a message shows it: short whatever it is (a 10 MB string is cut). */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return value === null ? 'null' : typeof value;
  }
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * Reads each field once into a plain object, so what is checked is what is handed on: a getter
 * cannot answer differently later, and a getter or Proxy that throws is a bad parameter. Inherited
 * fields count (the SDK would read them too), but not one found on a polluted Object.prototype:
 * the SDK would read that off any object, so it is refused.
 */
export function snapshotOf<K extends string>(value: object, fields: readonly K[], command: string, parent = ''): Partial<Record<K, unknown>> {
  const copy: Partial<Record<K, unknown>> = {};
  for (const field of fields) {
    const name = join(parent, field);
    let read: unknown;
    try {
      read = (value as Record<string, unknown>)[field];
    } catch (error) {
      throw invalid(name, `reading ${name} threw`, command, error);
    }
    if (read === undefined) continue;
    if (Object.hasOwn(Object.prototype, field) && read === (Object.prototype as Record<string, unknown>)[field]) {
      throw invalid(name, `${name} comes from Object.prototype, which something has polluted`, command);
    }
    copy[field] = read;
  }
  return copy;
}

/** Array.isArray, which throws for a revoked Proxy. */
function isList(value: unknown, field: string, command: string): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch (error) {
    throw invalid(field, `${field} cannot be read`, command, error);
  }
}

/** An object, not a list: an argument or option that holds fields. */
export function objectOf(value: unknown, field: string, command: string, shape: string): object {
  if (typeof value !== 'object' || value === null || isList(value, field, command)) {
    throw invalid(field, `expected ${shape} (got ${describe(value)})`, command);
  }
  return value;
}

// ---- field checks: each takes a value read once and returns what is handed on ----

type Check = (value: unknown, field: string, command: string) => unknown;

const rule =
  (ok: (value: unknown) => boolean, expected: string): Check =>
  (value, field, command) => {
    if (!ok(value)) throw invalid(field, `${field} must be ${expected} (got ${describe(value)})`, command);
    return value;
  };

const oneOf = (...allowed: readonly unknown[]): Check => {
  const names = allowed.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
  return rule((value) => allowed.includes(value), `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`);
};
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const bool = rule((value) => typeof value === 'boolean', 'true or false');
const text = rule((value) => typeof value === 'string', 'a string');
const finite = rule(isFinite, 'a finite number');
const atLeast = (min: number) => rule((value) => isFinite(value) && value >= min, `a number, ${min} or more`);
const within = (min: number, max: number) => rule((value) => isFinite(value) && value >= min && value <= max, `a number from ${min} to ${max}`);

/** An object's `fields`, each read once and checked, into a plain object; `required` ones must be there. */
function fieldsOf(value: unknown, fields: Record<string, Check>, command: string, field: string, expected: string, parent: string, required: readonly string[] = []) {
  const read = snapshotOf(objectOf(value, field, command, expected), Object.keys(fields), command, parent);
  const checked: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const name = join(parent, key);
    if (read[key] !== undefined) checked[key] = fields[key]?.(read[key], name, command);
    else if (required.includes(key)) throw invalid(name, `${name} is required`, command);
  }
  return checked;
}

const shape =
  (fields: Record<string, Check>, expected: string, required?: readonly string[]): Check =>
  (value, field, command) =>
    fieldsOf(value, fields, command, field, expected, field, required);

const orString =
  (other: Check): Check =>
  (value, field, command) =>
    typeof value === 'string' ? value : other(value, field, command);

/** A list read once (its length, then each item) into a plain array. */
const listOf =
  (item: Check, expected: string): Check =>
  (value, field, command) => {
    if (!isList(value, field, command)) throw invalid(field, `${field} must be ${expected} (got ${describe(value)})`, command);
    let items: unknown[];
    try {
      const { length } = value;
      if (length > MAX_LIST) throw invalid(field, `${field} has ${length} items; at most ${MAX_LIST} are taken`, command);
      items = Array.from({ length }, (_, i) => value[i]);
    } catch (error) {
      if (error instanceof RoomError) throw error;
      throw invalid(field, `reading ${field} threw`, command, error);
    }
    return items.map((entry) => item(entry, field, command));
  };

/** One of the browser's objects (an element, a media track); outside a browser, any object but a list. */
const instanceOf =
  (name: 'HTMLElement' | 'MediaStreamTrack'): Check =>
  (value, field, command) => {
    const type = (globalThis as Record<string, unknown>)[name];
    let ok = false;
    try {
      if (typeof value === 'object' && value !== null) ok = typeof type === 'function' ? value instanceof type : !Array.isArray(value);
    } catch (error) {
      throw invalid(field, `${field} cannot be read`, command, error);
    }
    if (!ok) throw invalid(field, `${field} must be a ${name} (got ${describe(value)})`, command);
    return value;
  };

const element = instanceOf('HTMLElement');
const track = instanceOf('MediaStreamTrack');

/** Where video renders: an element id, an element, a list of elements, or null. */
const view: Check = (value, field, command) => {
  if (value === null) return value;
  if (typeof value === 'string') {
    // As the SDK does (5009): an id names an element of the page.
    if (value === '' || (typeof document !== 'undefined' && !document.getElementById(value))) {
      throw invalid(field, `${field} ${describe(value)} is not the id of an element on the page`, command);
    }
    return value;
  }
  if (typeof value !== 'object') {
    throw invalid(field, `${field} must be an element id, an element, a list of elements or null (got ${describe(value)})`, command);
  }
  return isList(value, field, command) ? listOf(element, 'a list of elements')(value, field, command) : element(value, field, command);
};

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

/** Checks an enter() config as the SDK would, and splits it into what may be shown and what may not. */
export function parseEnterConfig(config: unknown): ParsedEnterConfig {
  const given = objectOf(config, 'config', 'enter', 'a config object like { sdkAppId, userId, userSig, roomId }');
  const fields = snapshotOf(given, ENTER_FIELDS, 'enter');
  const { sdkAppId, userSig, privateMapKey } = fields;
  if (typeof sdkAppId !== 'number' || !Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    throw invalid('sdkAppId', `sdkAppId must be the SDKAppID from the TRTC console, a positive integer (got ${describe(sdkAppId)})`);
  }
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
  destroyed: true,
  'enter.settled': true,
  'exit.settled': true,
  'switch.settled': true,
  'remote.settled': true,
  'media.settled': true,
};

/** on()'s event type: one the controller emits. */
export function checkEmittedType(type: unknown): asserts type is RoomEmittedType {
  if (typeof type !== 'string' || !Object.hasOwn(EMITTED_TYPES, type)) {
    throw invalid('type', `no such event (got ${describe(type)}); the events are ${Object.keys(EMITTED_TYPES).join(', ')}`, 'on');
  }
}

// ---- media commands ----

/** A user's id, as the SDK takes it: a non-blank string (the own one at enter, or a remote user's). */
export function checkUserId(command: string, userId: unknown): string {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw invalid('userId', `userId must be a non-blank string (got ${describe(userId)})`, command);
  }
  return userId;
}

const STREAM_TYPE = oneOf('main', 'sub');
const FILL_MODE = oneOf('contain', 'cover', 'fill');
const VIDEO_PROFILE = orString(
  shape({ width: atLeast(0), height: atLeast(0), frameRate: atLeast(0), bitrate: atLeast(0) }, "a profile like '720p' or { width, height, frameRate, bitrate }"),
);
const AUDIO_PROFILE = orString(shape({ sampleRate: atLeast(0), channelCount: atLeast(0), bitrate: atLeast(0) }, "a profile like 'standard' or { bitrate, channelCount }"));

/** Local media options per device, as the SDK's own checks have them. */
const MEDIA_FIELDS: Record<DeviceKind, Record<string, Check>> = {
  microphone: {
    publish: bool,
    mute: oneOf(true, false, 'microphone'),
    muteKeepVolumeDetection: bool,
    option: shape(
      {
        microphoneId: text,
        profile: AUDIO_PROFILE,
        audioTrack: track,
        captureVolume: atLeast(0),
        earMonitorVolume: within(0, 100),
        echoCancellation: oneOf(true, false, 'remote-only', 'all'),
        autoGainControl: bool,
        noiseSuppression: bool,
      },
      'an object',
    ),
  },
  camera: {
    view,
    publish: bool,
    // A string is the URL of a picture the SDK sends instead.
    mute: rule((value) => typeof value === 'boolean' || (typeof value === 'string' && value !== ''), 'true or false, or the URL of a picture to send instead'),
    option: shape(
      {
        cameraId: text,
        useFrontCamera: bool,
        profile: VIDEO_PROFILE,
        fillMode: FILL_MODE,
        mirror: oneOf(true, false, 'view', 'publish', 'both'),
        small: (value, field, command) => (typeof value === 'boolean' ? value : VIDEO_PROFILE(value, field, command)),
        qosPreference: text,
        videoTrack: track,
        avoidCropping: bool,
        rotation: oneOf(0, 90, 180, 270),
      },
      'an object',
    ),
  },
  screen: {
    view,
    publish: bool,
    streamType: STREAM_TYPE,
    muteSystemAudio: bool,
    option: shape(
      {
        profile: VIDEO_PROFILE,
        fillMode: FILL_MODE,
        systemAudio: bool,
        echoCancellation: bool,
        autoGainControl: bool,
        noiseSuppression: bool,
        audioTrack: track,
        videoTrack: track,
        preferDisplaySurface: oneOf('current-tab', 'tab', 'window', 'monitor'),
        selfBrowserSurface: oneOf('include', 'exclude'),
        qosPreference: text,
      },
      'an object',
    ),
  },
};

/**
 * Local media options (start/update of the microphone, camera or screen), read once.
 * `required`: update*() needs options; start*() may go without.
 */
export function parseMediaOptions<T>(command: string, options: unknown, required: boolean, device: DeviceKind): T | undefined {
  if (options === undefined && !required) return undefined;
  return fieldsOf(options, MEDIA_FIELDS[device], command, 'options', 'an options object', '') as T;
}

const REMOTE_VIDEO_FIELDS: Record<string, Check> = {
  userId: (value, _, command) => checkUserId(command, value),
  streamType: STREAM_TYPE,
  view,
  option: shape(
    { fillMode: FILL_MODE, mirror: bool, small: bool, receiveWhenViewVisible: bool, canvasRender: bool, poster: text, draggable: bool },
    'an object',
  ),
};

/** startRemoteVideo / updateRemoteVideo / stopRemoteVideo options, read once. */
export function parseRemoteVideo<T>(command: 'startRemoteVideo' | 'updateRemoteVideo' | 'stopRemoteVideo', options: unknown): T {
  const stopping = command === 'stopRemoteVideo';
  const fields = stopping ? { userId: REMOTE_VIDEO_FIELDS.userId as Check, streamType: STREAM_TYPE } : REMOTE_VIDEO_FIELDS;
  const read = fieldsOf(options, fields, command, 'options', '{ userId, streamType, view? }', '', ['userId']);
  // As the SDK (5014): only stopping every user ('*') goes without a stream type.
  if (read.streamType === undefined && !(stopping && read.userId === '*')) {
    throw invalid('streamType', `streamType must be 'main' or 'sub' (got undefined)`, command);
  }
  return read as T;
}

/** A remote user's audio volume, 0–100 as the SDK documents. */
export function checkVolume(command: string, volume: unknown): number {
  return within(0, 100)(volume, 'volume', command) as number;
}

export function checkBoolean(command: string, field: string, value: unknown): boolean {
  return bool(value, field, command) as boolean;
}

/** The audio-volume interval in ms: 0 turns it off. */
export function checkInterval(command: string, intervalMs: unknown): number {
  return within(0, MAX_TIMER_MS)(intervalMs, 'intervalMs', command) as number;
}
