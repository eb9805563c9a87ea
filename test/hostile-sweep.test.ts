/**
 * Every public method and option of the controller, with malformed arguments of every kind: each
 * row is refused with INVALID_PARAMETER naming the field (DESTROYED once the controller is
 * destroyed: that state decides first), with no SDK call and the snapshot untouched; or it is
 * accepted, and the row says why. Arguments are checked before the state is: in any live state a
 * bad argument is INVALID_PARAMETER, and only a good one can be INVALID_STATE.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRoomController } from '../src/index.js';
import type { EnterConfig, RoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { ROOM_EMITTED_TYPES } from '../src/machines/room/room.config.js';
import { enterConfig, ROOM_ID } from './support/harness.js';
import { SdkRecorder } from './support/recorder.js';
import {
  BIG,
  judge,
  KIND_NAMES,
  OK_AT_LEAST_0,
  OK_BOOL,
  OK_OBJECT_NODE,
  OK_ONE_OF,
  OK_TEXT,
  OK_VIEW,
  objectRows,
  scriptedStage,
  simulatorStage,
  valueRows,
  works,
} from './support/hostile.js';
import type { ArgSpec, FieldSpec, Ok, Row, Stage, StageState } from './support/hostile.js';

const LONG_ID = 'the SDK sets no length on a user id (its docs recommend 32 bytes); the server judges it';
const OK_OPTIONS: Ok = { undefined: 'optional', '{}': 'no options', Date: 'an object with none of the fields: handed on as {}' };
const OK_PROFILE: Ok = { ...OK_TEXT, '{}': 'a profile object, every number optional', Date: 'an object with none of the fields: handed on as {}' };
const IN_RANGE: Ok = { undefined: 'optional', '-0': '-0 is 0', '0': 'in range', '1.5': 'in range' };

/** Field specs for `parent.key`, each with a base holding `parent` as an empty object. */
function within(base: () => Record<string, unknown>, parent: string, fields: Record<string, Ok>, extra: Record<string, Partial<FieldSpec>> = {}): FieldSpec[] {
  return Object.entries(fields).map(([key, ok]) => ({ path: `${parent}.${key}`, ok, base: () => ({ ...base(), [parent]: {} }), ...extra[key] }));
}

const revokedList = () => {
  const { proxy, revoke } = Proxy.revocable(['a'], {});
  revoke();
  return proxy;
};
const LIST_TRAPS: Array<[string, unknown]> = [
  ['[5]', [5]],
  ['[Symbol()]', [Symbol('x')]],
  ["['a', null]", ['a', null]],
  ['a sparse list of 2^31 slots', new Array(2 ** 31)],
  ['a Proxy list whose reads throw', new Proxy(['a'], { get: () => { throw new TypeError('trap'); } })],
  ['a revoked Proxy list', revokedList()],
];

// ---- enter, switchRole, switchRoom ----

const ENTER: ArgSpec = {
  label: 'enter(config)',
  call: (room, config) => room.enter(config as EnterConfig),
  base: () => ({ ...enterConfig() }),
  whole: 'config',
  first: 'sdkAppId',
  empty: { refused: 'sdkAppId' },
  fields: [
    { path: 'sdkAppId', bad: [['4.2e9 + 0.5', 4.2e9 + 0.5]], good: [['2^32 - 1', 2 ** 32 - 1, 'a positive integer']] },
    { path: 'userId', ok: { '10 MB string': LONG_ID } },
    { path: 'userSig', ok: { '10 MB string': 'no length is documented; the server judges it' } },
    { path: 'roomId', bad: [['4294967295', 4294967295], ["'8888'", '8888']] },
    {
      path: 'strRoomId',
      base: () => ({ ...enterConfig(), roomId: undefined, strRoomId: 'class-1' }),
      // No strRoomId either: no room at all.
      named: (kind) => (['undefined', 'null', "''"].includes(kind) ? 'roomId' : 'strRoomId'),
      ok: { "'   '": 'spaces are among the characters the SDK allows' },
      bad: [['65 characters', 'r'.repeat(65)], ["'class/1'", 'class/1']],
    },
    { path: 'scene', ok: OK_ONE_OF, bad: [["'meeting'", 'meeting']], good: [["'live'", 'live', 'a scene']] },
    { path: 'role', ok: OK_ONE_OF, bad: [["'host'", 'host']], good: [["'audience'", 'audience', 'a role']] },
    { path: 'privateMapKey', ok: OK_TEXT },
    { path: 'autoReceiveAudio', ok: OK_BOOL },
    { path: 'autoReceiveVideo', ok: OK_BOOL },
    { path: 'enableAutoPlayDialog', ok: OK_BOOL },
    { path: 'latencyLevel', ok: { undefined: 'optional', '-0': 'a number', '0': 'a number', '-1': 'a number', '1.5': 'a number', '2^53': 'the SDK takes any number' } },
    { path: 'businessInfo', ok: OK_TEXT },
    { path: 'userDefineRecordId', ok: OK_ONE_OF, bad: [['65 characters', 'r'.repeat(65)], ["'rec 1'", 'rec 1']], good: [["'rec_1-A'", 'rec_1-A', 'letters, digits, _ and -']] },
    { path: 'proxy', ok: { ...OK_TEXT, '{}': 'a proxy object, every field optional', Date: 'an object with none of the fields: handed on as {}' } },
    ...within(() => ({ ...enterConfig() }), 'proxy', { websocketProxy: OK_TEXT, loggerProxy: OK_TEXT, webtransportProxy: OK_TEXT, scheduleProxy: OK_TEXT, unifiedProxy: OK_TEXT, iceTransportPolicy: OK_ONE_OF }),
    {
      path: 'proxy.turnServer',
      base: () => ({ ...enterConfig(), proxy: {} }),
      ok: { undefined: 'optional', '[]': 'no TURN server' },
      named: (kind) => (kind === '{}' || kind === 'Date' ? 'proxy.turnServer.url' : 'proxy.turnServer'),
      good: [['a list of two', [{ url: 'turn:a' }, { url: 'turn:b', username: 'u', credential: 'c', credentialType: 'password' }], 'TURN servers']],
      bad: LIST_TRAPS.slice(3),
    },
    ...within(() => ({ ...enterConfig(), proxy: { turnServer: {} } }), 'proxy.turnServer', {
      url: { "''": 'a string', "'   '": 'a string', '10 MB string': 'a string' },
      username: OK_TEXT,
      credential: OK_TEXT,
      credentialType: OK_ONE_OF,
    }).map((spec) => ({ ...spec, base: () => ({ ...enterConfig(), proxy: { turnServer: { url: 'turn:a' } } }) })),
    { path: 'playoutDelay', ok: { undefined: 'optional', '{}': 'both bounds optional, as in the SDK', Date: 'an object with no bound: handed on as {}' } },
    { path: 'playoutDelay.min', base: () => ({ ...enterConfig(), playoutDelay: { min: 100, max: 1000 } }), ok: IN_RANGE, bad: [['1001', 1001]] },
    { path: 'playoutDelay.max', base: () => ({ ...enterConfig(), playoutDelay: { min: 100, max: 1000 } }), ok: IN_RANGE, bad: [['10001', 10001]] },
  ],
};

const SWITCH_ROOM: ArgSpec = {
  label: 'switchRoom(options)',
  call: (room, options) => room.switchRoom(options as never),
  base: () => ({ roomId: 9000, userSig: 'userSig-for-9000' }),
  whole: 'options',
  first: 'roomId',
  empty: { refused: 'roomId' },
  fields: [
    { path: 'roomId', bad: [['4294967295', 4294967295]] },
    { path: 'userSig', ok: { '10 MB string': 'no length is documented; the server judges it' } },
    { path: 'privateMapKey', ok: OK_TEXT },
  ],
};

/** switchRoom by strRoomId, for a room entered by strRoomId. */
const SWITCH_STR_ROOM: ArgSpec = {
  ...SWITCH_ROOM,
  label: 'switchRoom(options by strRoomId)',
  base: () => ({ strRoomId: 'class-2', userSig: 'userSig-for-class-2' }),
  fields: [
    {
      path: 'strRoomId',
      named: (kind) => (['undefined', 'null', "''"].includes(kind) ? 'roomId' : 'strRoomId'),
      ok: { "'   '": 'spaces are among the characters the SDK allows' },
      bad: [['65 characters', 'r'.repeat(65)], ['the room entered', 'class-1']],
    },
  ],
};

const SWITCH_ROLE_OPTIONS: ArgSpec = {
  label: "switchRole('audience', options)",
  call: (room, options) => room.switchRole('audience', options as never),
  base: () => ({ privateMapKey: 'pmk-2' }),
  whole: 'options',
  first: 'privateMapKey',
  empty: { accepted: 'no options' },
  optional: true,
  fields: [{ path: 'privateMapKey', ok: OK_TEXT }],
};

// ---- local media ----

const AUDIO_OPTION = within(() => ({}), 'option', {
  microphoneId: OK_TEXT,
  profile: OK_PROFILE,
  audioTrack: OK_OBJECT_NODE,
  captureVolume: OK_AT_LEAST_0,
  earMonitorVolume: IN_RANGE,
  echoCancellation: OK_BOOL,
  autoGainControl: OK_BOOL,
  noiseSuppression: OK_BOOL,
}, { echoCancellation: { good: [["'remote-only'", 'remote-only', 'an SDK value']] }, earMonitorVolume: { bad: [['101', 101]] } });

const VIEW: FieldSpec = {
  path: 'view',
  ok: OK_VIEW,
  good: [
    ['[{}]', [{}], 'a list of one element'],
    ['a Proxy whose getPrototypeOf throws', new Proxy({}, { getPrototypeOf: () => { throw new TypeError('trap'); } }), 'an element: outside a browser nothing asks its class'],
  ],
  bad: [['[5]', [5]], ...LIST_TRAPS.slice(3)],
};

const VIDEO_PROFILE = (parent: string): FieldSpec[] =>
  within(() => ({ option: {} }), parent, { width: OK_AT_LEAST_0, height: OK_AT_LEAST_0, frameRate: OK_AT_LEAST_0, bitrate: OK_AT_LEAST_0 }).map((spec) => ({
    ...spec,
    base: () => ({ option: { [parent.split('.')[1] as string]: {} } }),
  }));

const CAMERA_FIELDS: FieldSpec[] = [
  VIEW,
  { path: 'publish', ok: OK_BOOL },
  { path: 'mute', ok: { ...OK_BOOL, "'   '": 'the URL of a picture to send instead', '10 MB string': 'the URL of a picture (a data: URL may be long)' } },
  { path: 'option', ok: OK_OPTIONS },
  ...within(() => ({}), 'option', {
    cameraId: OK_TEXT,
    useFrontCamera: OK_BOOL,
    profile: OK_PROFILE,
    fillMode: OK_ONE_OF,
    mirror: OK_BOOL,
    small: { ...OK_PROFILE, true: 'a boolean' },
    qosPreference: OK_TEXT,
    videoTrack: OK_OBJECT_NODE,
    avoidCropping: OK_BOOL,
    rotation: { undefined: 'optional', '-0': '-0 is 0', '0': 'a rotation' },
  }, { fillMode: { good: [["'cover'", 'cover', 'a fill mode']] }, mirror: { good: [["'both'", 'both', 'an SDK value']] }, rotation: { bad: [['45', 45]], good: [['270', 270, 'a rotation']] } }),
  ...VIDEO_PROFILE('option.profile'),
  ...VIDEO_PROFILE('option.small'),
];

const MICROPHONE_FIELDS: FieldSpec[] = [
  { path: 'publish', ok: OK_BOOL },
  { path: 'mute', ok: OK_BOOL, good: [["'microphone'", 'microphone', "the SDK's own microphone mute"]] },
  { path: 'muteKeepVolumeDetection', ok: OK_BOOL },
  { path: 'option', ok: OK_OPTIONS },
  ...AUDIO_OPTION,
];

const SCREEN_FIELDS: FieldSpec[] = [
  VIEW,
  { path: 'publish', ok: OK_BOOL },
  { path: 'streamType', ok: OK_ONE_OF, good: [["'main'", 'main', 'a stream type']] },
  { path: 'muteSystemAudio', ok: OK_BOOL },
  { path: 'option', ok: OK_OPTIONS },
  ...within(() => ({}), 'option', {
    profile: OK_PROFILE,
    fillMode: OK_ONE_OF,
    systemAudio: OK_BOOL,
    echoCancellation: OK_BOOL,
    autoGainControl: OK_BOOL,
    noiseSuppression: OK_BOOL,
    audioTrack: OK_OBJECT_NODE,
    videoTrack: OK_OBJECT_NODE,
    preferDisplaySurface: OK_ONE_OF,
    selfBrowserSurface: OK_ONE_OF,
    qosPreference: OK_TEXT,
  }),
  ...VIDEO_PROFILE('option.profile'),
];

function mediaArg(label: string, call: (room: RoomController, options: unknown) => unknown, fields: FieldSpec[], optional: boolean): ArgSpec {
  return { label, call, base: () => ({}), whole: 'options', first: fields[0]?.path as string, empty: { accepted: 'no options' }, optional, fields };
}

// ---- remote media ----

const REMOTE_FIELDS: FieldSpec[] = [
  { path: 'userId', ok: { '10 MB string': LONG_ID } },
  { path: 'streamType', good: [["'sub'", 'sub', 'the screen']] },
  VIEW,
  { path: 'option', ok: OK_OPTIONS },
  ...within(() => ({ userId: 'bob', streamType: 'main' }), 'option', {
    fillMode: OK_ONE_OF,
    mirror: OK_BOOL,
    small: OK_BOOL,
    receiveWhenViewVisible: OK_BOOL,
    canvasRender: OK_BOOL,
    poster: OK_TEXT,
    draggable: OK_BOOL,
  }),
];

function remoteArg(label: string, call: (room: RoomController, options: unknown) => unknown, fields: FieldSpec[]): ArgSpec {
  return { label, call, base: () => ({ userId: 'bob', streamType: 'main' }), whole: 'options', first: 'userId', empty: { refused: 'userId' }, fields };
}

// ---- methods that take nothing ----

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const EXTRAS = () => [revoked(), new Proxy({}, { get: () => { throw new TypeError('trap'); } }), Symbol('x'), BIG];
const NO_ARGS = 'takes no arguments: extra ones are ignored, never read';

function noArgRows(name: string, call: (room: RoomController, ...extras: unknown[]) => unknown): Row[] {
  return [{ name: `${name}(…hostile extras)`, call: (room) => call(room, ...EXTRAS()), expect: { accepted: NO_ARGS } }];
}

// ---- the groups ----

interface Group {
  name: string;
  rows: Row[];
  /** Where the refused rows run (a shared controller per state). */
  states: StageState[];
  /** A fresh controller on which an accepted row can do what it asks. */
  ready: () => Promise<Stage>;
  /** Brings a controller back to ready after an accepted row; without it, each row gets a fresh one. */
  reset?: (room: RoomController) => Promise<unknown>;
}

const byStrRoomId = async (): Promise<Stage> => {
  const stage = await simulatorStage('idle');
  await stage.room.enter({ ...enterConfig(), roomId: undefined, strRoomId: 'class-1' });
  return stage;
};

const GROUPS: Group[] = [
  { name: 'enter()', rows: objectRows(ENTER), states: ['idle', 'inRoom'], ready: () => simulatorStage('idle'), reset: (room) => room.exit() },
  {
    name: 'switchRole()',
    rows: [
      ...valueRows('switchRole(role)', (room, role) => room.switchRole(role as never), 'role', {}, {
        bad: [["'host'", 'host'], ["'ANCHOR'", 'ANCHOR']],
        good: [["'audience'", 'audience', 'a role']],
      }),
      ...objectRows(SWITCH_ROLE_OPTIONS),
    ],
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
    reset: async () => undefined,
  },
  {
    name: 'switchRoom()',
    rows: objectRows(SWITCH_ROOM),
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
    reset: (room) => room.switchRoom({ roomId: ROOM_ID, userSig: 'userSig-for-8888' }),
  },
  {
    // Checked against the room entered: only in a room.
    name: 'switchRoom() against the room entered',
    rows: [
      { name: 'switchRoom to the room entered', call: (room) => room.switchRoom({ roomId: ROOM_ID, userSig: 'sig' }), expect: { refused: 'roomId' } },
      { name: 'switchRoom by strRoomId from a room entered by roomId', call: (room) => room.switchRoom({ strRoomId: 'class-2', userSig: 'sig' }), expect: { refused: 'roomId' } },
    ],
    states: ['inRoom'],
    ready: () => simulatorStage('inRoom'),
  },
  {
    name: 'switchRoom() by strRoomId',
    rows: objectRows(SWITCH_STR_ROOM),
    states: [],
    ready: byStrRoomId,
    reset: (room) => room.switchRoom({ strRoomId: 'class-1', userSig: 'userSig-for-class-1' }),
  },
  ...(
    [
      ['LocalAudio', MICROPHONE_FIELDS],
      ['LocalVideo', CAMERA_FIELDS],
      ['ScreenShare', SCREEN_FIELDS],
    ] as const
  ).flatMap(([device, fields]): Group[] => {
    const start = `start${device}` as 'startLocalAudio';
    const update = `update${device}` as 'updateLocalAudio';
    const stop = `stop${device}` as 'stopLocalAudio';
    return [
      {
        name: `${start}()`,
        rows: objectRows(mediaArg(`${start}(options)`, (room, o) => room[start](o as never), fields, true)),
        states: ['idle', 'inRoom'],
        ready: () => simulatorStage('inRoom'),
        reset: (room) => room[stop](),
      },
      {
        name: `${update}()`,
        rows: objectRows(mediaArg(`${update}(options)`, (room, o) => room[update](o as never), fields, false)),
        states: ['idle', 'devicesOn'],
        ready: () => simulatorStage('devicesOn'),
        reset: async () => undefined,
      },
      { name: `${stop}()`, rows: noArgRows(stop, (room, ...extras) => (room[stop] as (...a: unknown[]) => unknown)(...extras)), states: [], ready: () => simulatorStage('devicesOn') },
    ];
  }),
  ...(['startRemoteVideo', 'updateRemoteVideo'] as const).map((method): Group => ({
    name: `${method}()`,
    rows: objectRows(remoteArg(`${method}(options)`, (room, o) => room[method](o as never), REMOTE_FIELDS)),
    states: ['idle', 'inRoom'],
    ready: async () => {
      const stage = await simulatorStage('inRoom');
      if (method === 'updateRemoteVideo') await Promise.all([stage.room.startRemoteVideo({ userId: 'bob', streamType: 'main' }), stage.room.startRemoteVideo({ userId: 'bob', streamType: 'sub' })]);
      return stage;
    },
    reset: (room) => (method === 'startRemoteVideo' ? room.stopRemoteVideo({ userId: '*' }) : Promise.resolve()),
  })),
  {
    name: 'stopRemoteVideo()',
    rows: [
      ...objectRows(remoteArg('stopRemoteVideo(options)', (room, o) => room.stopRemoteVideo(o as never), REMOTE_FIELDS.slice(0, 2))),
      { name: "stopRemoteVideo({ userId: '*' })", call: (room) => room.stopRemoteVideo({ userId: '*' }), expect: { accepted: "every remote video: the only case without a stream type (the SDK's 5014)" } },
    ],
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
  },
  {
    name: 'muteRemoteAudio()',
    rows: [
      ...valueRows('muteRemoteAudio(userId)', (room, userId) => room.muteRemoteAudio(userId as never, true), 'userId', { '10 MB string': LONG_ID }, { good: [["'*'", '*', 'every remote user']] }),
      ...valueRows('muteRemoteAudio(…, mute)', (room, mute) => room.muteRemoteAudio('bob', mute as never), 'mute', { true: 'a boolean' }),
    ],
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
    reset: async () => undefined,
  },
  {
    name: 'setRemoteAudioVolume()',
    rows: [
      ...valueRows('setRemoteAudioVolume(userId)', (room, userId) => room.setRemoteAudioVolume(userId as never, 50), 'userId', { '10 MB string': LONG_ID }),
      ...valueRows('setRemoteAudioVolume(…, volume)', (room, volume) => room.setRemoteAudioVolume('bob', volume as never), 'volume', { '-0': '-0 is 0', '0': 'silent', '1.5': 'in range' }, { bad: [['101', 101]] }),
    ],
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
    reset: async () => undefined,
  },
  {
    name: 'enableAudioVolumeEvaluation()',
    rows: valueRows(
      'enableAudioVolumeEvaluation(intervalMs)',
      (room, ms) => room.enableAudioVolumeEvaluation(ms as never),
      'intervalMs',
      { undefined: 'the default: 2000 ms', '-0': '-0 is 0: off', '0': 'off', '1.5': 'a number of ms (the SDK takes 100 at least)' },
      { bad: [['2^31', 2 ** 31]] },
    ),
    states: ['idle', 'inRoom'],
    ready: () => simulatorStage('inRoom'),
    reset: async () => undefined,
  },
  {
    name: 'exit(), resumeAutoplay(), view(), getSnapshot()',
    rows: [
      ...noArgRows('exit', (room, ...extras) => (room.exit as (...a: unknown[]) => unknown)(...extras)),
      ...noArgRows('resumeAutoplay', (room, ...extras) => (room.resumeAutoplay as (...a: unknown[]) => unknown)(...extras)),
      ...noArgRows('view', (room, ...extras) => (room.view as (...a: unknown[]) => unknown)(...extras)),
      ...noArgRows('getSnapshot', (room, ...extras) => (room.getSnapshot as (...a: unknown[]) => unknown)(...extras)),
    ],
    states: [],
    ready: () => simulatorStage('inRoom'),
  },
];

// ---- listener methods: they throw at once; the state does not matter ----

const listener = () => undefined;
const sync = (rows: Row[]): Row[] => rows.map((row) => ({ ...row, sync: true }));

const observerError = new Error('next cannot be read');
let observerReads = 0;
const LISTENER_ROWS: Row[] = sync([
  ...valueRows('subscribe(listener)', (room, fn) => room.subscribe(fn as never), 'listener', { function: 'a function' }, { bad: [['an observer object', { next: listener }]] }),
  ...valueRows("on(type, fn)", (room, type) => room.on(type as never, listener), 'type', {}, {
    bad: [["'toString'", 'toString'], ["'__proto__'", '__proto__'], ["'*'", '*'], ["'xstate.init'", 'xstate.init'], ["'Entered'", 'Entered']],
    good: ROOM_EMITTED_TYPES.map((type): [string, unknown, string] => [`'${type}'`, type, 'an event the controller emits']),
  }),
  ...valueRows("on('entered', listener)", (room, fn) => room.on('entered', fn as never), 'listener', { function: 'a function' }),
  ...valueRows('onSdkCall(listener)', (room, fn) => room.onSdkCall(fn as never), 'listener', { function: 'a function' }),
  ...valueRows('inspect(observer)', (room, observer) => room.inspect(observer as never), 'inspect', { function: 'an observer function' }, {
    bad: [['{ next: 5 }', { next: 5 }]],
    good: [['{ next }', { next: listener }, 'an observer object']],
  }),
  {
    name: 'inspect(an observer whose next getter throws)',
    call: (room) => room.inspect({ get next(): () => void { throw observerError; } }),
    expect: { refused: 'inspect.next', cause: observerError },
  },
  {
    name: 'inspect(a revoked Proxy)',
    call: (room) => room.inspect(revoked() as never),
    expect: { refused: 'inspect.next' },
  },
  {
    name: 'inspect(an observer whose next getter answers differently the second time)',
    call: (room) => {
      observerReads = 0;
      return room.inspect({ get next() { return ++observerReads > 1 ? 5 : listener; } } as never);
    },
    expect: { accepted: 'read once', reads: () => observerReads },
  },
]);

// ---- createRoomController(): checked before the factory is asked for anything ----

const cloud = new SimulatedCloud();
const recorder = new SdkRecorder();
let made = 0;
const factory = () => {
  made += 1;
  return recorder.wrap(cloud.createClient());
};
const OPTIONS_STAGE: Stage = {
  room: createRoomController({ trtc: () => cloud.createClient() }),
  sdkCalls: () => made + recorder.log.filter((entry) => entry.phase === 'call' && entry.method !== 'on' && entry.method !== 'off').length,
  violations: () => recorder.violations(),
};
const BOUND: Ok = { undefined: 'the default', '1.5': 'a positive number of ms' };
const CREATE: ArgSpec = {
  label: 'createRoomController(options)',
  call: (_, options) => createRoomController(options as never),
  base: () => ({ trtc: factory, enterTimeoutMs: 500, exitTimeoutMs: 300 }),
  whole: 'options',
  first: 'trtc',
  empty: { refused: 'trtc' },
  fields: [
    {
      path: 'trtc',
      bad: [
        ['a factory returning {}', () => ({})],
        ['a factory that throws', () => { throw new Error('no SDK'); }],
        ['a TRTC Proxy whose every read throws', new Proxy({}, { get: () => { throw new TypeError('trap'); } })],
        ['a revoked Proxy', revoked()],
      ],
    },
    { path: 'enterTimeoutMs', ok: BOUND, bad: [['2^31', 2 ** 31]], good: [['2^31 - 1', 2 ** 31 - 1, 'the longest delay a timer takes']] },
    { path: 'exitTimeoutMs', ok: BOUND, bad: [['2^31', 2 ** 31]], good: [['2^31 - 1', 2 ** 31 - 1, 'the longest delay a timer takes']] },
    {
      path: 'reconnectGraceMs',
      ok: { undefined: 'the default', '0': 'every outage shown at once', '-0': 'zero', '1.5': 'a number of ms' },
      bad: [['2^31', 2 ** 31]],
      good: [['2^31 - 1', 2 ** 31 - 1, 'the longest delay a timer takes']],
    },
    { path: 'duplicateUser', ok: { undefined: 'the default (warn)' }, good: [['allow', 'allow', 'a mode'], ['refuse', 'refuse', 'a mode']] },
    { path: 'inspect', ok: { undefined: 'optional', function: 'an observer function' }, bad: [['{ next: 5 }', { next: 5 }]], good: [['{ next }', { next: listener }, 'an observer object']] },
    { path: 'redact', ok: { undefined: 'optional', '{}': 'nothing more to redact', Date: 'an object with neither list: nothing more to redact' } },
    ...(['keys', 'values'] as const).map((list): FieldSpec => ({
      path: `redact.${list}`,
      base: () => ({ trtc: factory, redact: { [list]: ['userId'] } }),
      ok: { undefined: 'optional', '[]': 'an empty list' },
      bad: LIST_TRAPS,
      good: [["['a', '10 MB string']", ['a', BIG], 'strings, however long']],
    })),
  ],
};

// ---- the sweep ----

const stray: unknown[] = [];
const collect = (error: unknown) => void stray.push(error);
const reported = vi.fn();

beforeAll(() => {
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
  vi.spyOn(console, 'error').mockImplementation(reported);
});

afterAll(() => {
  process.off('unhandledRejection', collect);
  process.off('uncaughtException', collect);
  vi.restoreAllMocks();
});

const refusedRows = (rows: Row[]) => rows.filter((row) => 'refused' in row.expect);
const acceptedRows = (rows: Row[]) => rows.filter((row) => 'accepted' in row.expect);

async function sweep(rows: Row[], stage: Stage): Promise<string[]> {
  const problems: string[] = [];
  for (const row of rows) {
    const problem = await judge(row, stage);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Accepted rows, on a controller brought back to ready after each (or a fresh one each, without
 * `reset`); the controller works afterwards, and no SDK rule was broken.
 */
async function sweepAccepted(rows: Row[], ready: () => Promise<Stage>, reset?: (room: RoomController) => Promise<unknown>): Promise<string[]> {
  const problems: string[] = [];
  let stage = await ready();
  for (const row of rows) {
    const problem = await judge(row, stage);
    if (problem) problems.push(problem);
    if (reset) await reset(stage.room);
    else {
      await works(stage.room);
      problems.push(...stage.violations());
      stage = await ready();
    }
  }
  await works(stage.room);
  return [...problems, ...stage.violations()];
}

describe.each(GROUPS)('$name', ({ rows, states, ready, reset }) => {
  it.each(states)('in %s: each malformed argument is INVALID_PARAMETER naming the field, with no SDK call; the controller works afterwards', async (state) => {
    const stage = await simulatorStage(state);
    expect(await sweep(refusedRows(rows), stage)).toEqual([]);
    expect(stage.violations()).toEqual([]);
    await works(stage.room);
  });

  it('what is accepted (each row says why) passes the checks and reaches the SDK', async () => {
    expect(await sweepAccepted(acceptedRows(rows), ready, reset)).toEqual([]);
  });
});

describe('the scripted SDK (an independent fake with its own rule checker): enter and the switches', () => {
  const [enter, switchRole, switchRoom, againstRoom] = GROUPS;
  it.each(['idle', 'inRoom'] as const)('in %s: the same refusals, no SDK call, no broken rule', async (state) => {
    const stage = await scriptedStage(state);
    const groups = [enter, switchRole, switchRoom, ...(state === 'inRoom' ? [againstRoom] : [])];
    const rows = refusedRows(groups.flatMap((group) => group?.rows ?? []));
    expect(await sweep(rows, stage)).toEqual([]);
    expect(stage.violations()).toEqual([]);
    await works(stage.room);
    expect(stage.violations()).toEqual([]);
  });

  it('what is accepted reaches the scripted SDK', async () => {
    expect(await sweepAccepted(acceptedRows(enter?.rows ?? []), () => scriptedStage('idle'), enter?.reset)).toEqual([]);
    expect(await sweepAccepted(acceptedRows(switchRoom?.rows ?? []), () => scriptedStage('inRoom'), switchRoom?.reset)).toEqual([]);
  });
});

describe('a destroyed controller: DESTROYED decides first, whatever the arguments', () => {
  const commands = GROUPS.filter((group) => !group.name.startsWith('exit()')).flatMap((group) => group.rows);
  it('every command with every argument rejects DESTROYED, with no SDK call', async () => {
    const stage = await simulatorStage('destroyed');
    const rows = commands.map((row): Row => ({ ...row, expect: { refused: '', code: 'DESTROYED' } }));
    expect(await sweep(rows, stage)).toEqual([]);
    await expect(stage.room.destroy()).resolves.toBeUndefined();
  });

  it('the listener methods still check their arguments (no state decides them)', async () => {
    expect(await sweep(refusedRows(LISTENER_ROWS), await simulatorStage('destroyed'))).toEqual([]);
  });
});

describe('subscribe(), on(), onSdkCall(), inspect(): a bad listener throws INVALID_PARAMETER at once', () => {
  it.each(['idle', 'inRoom'] as const)('in %s', async (state) => {
    const stage = await simulatorStage(state);
    expect(await sweep(refusedRows(LISTENER_ROWS), stage)).toEqual([]);
    await works(stage.room);
  });

  it('what is accepted is a working listener', async () => {
    expect(await sweepAccepted(acceptedRows(LISTENER_ROWS), () => simulatorStage('idle'), async () => undefined)).toEqual([]);
  });
});

describe('createRoomController(): every option, checked before the factory is called', () => {
  const rows = sync(objectRows(CREATE));
  it('each malformed option is INVALID_PARAMETER naming it; the factory is not called, nor the SDK', async () => {
    expect(await sweep(refusedRows(rows), OPTIONS_STAGE)).toEqual([]);
  });

  it('what is accepted makes a controller that works', async () => {
    const problems: string[] = [];
    for (const row of acceptedRows(rows)) {
      const problem = await judge(row, OPTIONS_STAGE);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
    const room = createRoomController({ trtc: factory, enterTimeoutMs: 500, exitTimeoutMs: 300 });
    await works(room);
    expect(recorder.violations()).toEqual([]);
  });
});

it('the sweep left no unhandled rejection, no uncaught exception, no listener failure reported', async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(stray).toEqual([]);
  expect(reported).not.toHaveBeenCalled();
});

it('every kind of value is in the sweep', () => {
  const all = [...GROUPS.flatMap((group) => group.rows), ...LISTENER_ROWS, ...objectRows(CREATE)];
  expect(KIND_NAMES.filter((kind) => !all.some((row) => row.name.endsWith(`= ${kind}`)))).toEqual([]);
});
