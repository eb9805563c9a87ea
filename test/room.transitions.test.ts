import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';
import { stateOf } from '../src/controller.js';
import type { RoomSnapshot } from '../src/controller.js';
import { deviceMachine } from '../src/machines/device/device.machine.js';
import { DEVICE_KINDS } from '../src/machines/device/device.types.js';
import type { DeviceCallInput, DeviceKind, DeviceReport } from '../src/machines/device/device.types.js';
import { roomMachine } from '../src/machines/room/room.machine.js';
import type {
  EnterRoomInput,
  NetworkQuality,
  RemoteChange,
  RoomContext,
  RoomEmittedType,
  RoomEvent,
  RoomStateName,
  RoomTarget,
  SdkEvent,
  SwitchRoleInput,
  SwitchRoomInput,
  UserRole,
} from '../src/machines/room/room.types.js';
import { callsInFlight } from './support/calls-in-flight.js';

const ENTER_MS = 1000;
const EXIT_MS = 500;
const target: RoomTarget = { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 };
const liveAudience: RoomTarget = { ...target, scene: 'live', role: 'audience' };
const otherRoom = { roomId: 9999 };
const network: NetworkQuality = { uplink: 1, downlink: 2, uplinkRTT: 30, downlinkRTT: 40, uplinkLoss: 0, downlinkLoss: 3 };
const newcomer: RemoteChange = { kind: 'enter', userId: 'bob' };

type LifecycleCall = 'enterRoom' | 'exitRoom' | 'switchRole' | 'switchRoom';
type DeviceCallName = 'startDevice' | 'stopDevice' | 'updateDevice';
type CallName = LifecycleCall | DeviceCallName;
type DeviceCall = `${DeviceCallName}(${DeviceKind})` | `updateDevice(${DeviceKind}, muted: ${boolean})`;
/** Calls out of the machine: the SDK's (through actors and actions) and the controller's roster. */
type Call = LifecycleCall | DeviceCall | 'destroyInstance' | 'renewInstance' | 'clearRoster';


/** What a row needs before its source state is reached. */
interface Setup {
  target: RoomTarget;
  /** The camera is started (and on) in idle, before anything else. */
  cameraOn: boolean;
  /** The SDK reports blocked autoplay while entering. */
  autoplayBlocked: boolean;
}
const PLAIN_SETUP: Setup = { target, cameraOn: false, autoplayBlocked: false };

/** The room machine with every SDK-facing actor and action replaced by one the test controls. */
function startRoom(canRenewInstance: boolean, setup: Setup = PLAIN_SETUP) {
  const log: Call[] = [];
  const inFlight = callsInFlight<CallName, unknown>();
  const { calls } = inFlight;
  const emitted: RoomEmittedType[] = [];
  let listeners = 0;

  const call = (name: CallName, logged: Call, input: unknown) => {
    log.push(logged);
    return inFlight.call(name, input);
  };
  const logging = (name: Call) =>
    vi.fn(() => {
      log.push(name);
    });
  const destroyInstance = logging('destroyInstance');
  const renewInstance = logging('renewInstance');
  const clearRoster = logging('clearRoster');

  const device = deviceMachine.provide({
    actors: {
      startDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('startDevice', `startDevice(${input.kind})`, input)),
      stopDevice: fromPromise<void, DeviceCallInput>(({ input }) => call('stopDevice', `stopDevice(${input.kind})`, input)),
      updateDevice: fromPromise<void, DeviceCallInput>(({ input }) =>
        call(
          'updateDevice',
          input.muted === undefined ? `updateDevice(${input.kind})` : `updateDevice(${input.kind}, muted: ${input.muted})`,
          input,
        ),
      ),
    },
  });
  const machine = roomMachine.provide({
    actors: {
      enterRoom: fromPromise<void, EnterRoomInput>(({ input }) => call('enterRoom', 'enterRoom', input)),
      exitRoom: fromPromise<void>(() => call('exitRoom', 'exitRoom', undefined)),
      switchRole: fromPromise<UserRole, SwitchRoleInput>(({ input }) => call('switchRole', 'switchRole', input).then(() => input.role)),
      switchRoom: fromPromise<SwitchRoomInput['room'], SwitchRoomInput>(({ input }) =>
        call('switchRoom', 'switchRoom', input).then(() => input.room),
      ),
      sdkEvents: fromCallback<EventObject, void, SdkEvent>(() => {
        listeners += 1;
        return () => {
          listeners -= 1;
        };
      }),
      localDevice: device,
      // The adapter's queue of SDK calls is not modelled here: nothing is ever left in flight.
      lifecycleSettled: fromPromise<void>(async () => undefined),
    },
    actions: { destroyInstance, renewInstance, clearRoster },
  });
  const actor = createActor(machine, { input: { enterTimeoutMs: ENTER_MS, exitTimeoutMs: EXIT_MS, canRenewInstance } });
  actor.on('*', (event) => emitted.push(event.type));
  actor.start();
  onTestFinished(() => {
    actor.stop();
  });

  const pending = (names: readonly CallName[]) => calls.find((c) => names.includes(c.name) && !c.settled);
  return {
    actor,
    setup,
    log,
    calls,
    emitted,
    destroyInstance,
    renewInstance,
    clearRoster,
    get listeners() {
      return listeners;
    },
    send(event: RoomEvent) {
      actor.send(event);
    },
    pending,
    /** Settles the oldest call in flight among `names`, if any. */
    async settle(names: readonly CallName[], outcome: 'resolve' | 'reject') {
      const inFlight = pending(names);
      if (outcome === 'resolve') inFlight?.resolve();
      else inFlight?.reject(new Error(`${inFlight?.name} refused`));
      await vi.advanceTimersByTimeAsync(0);
    },
    /** Lets `ms` pass, checking that nothing happens one millisecond before. */
    async elapse(ms: number) {
      const before = actor.getSnapshot().value;
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(actor.getSnapshot().value).toEqual(before);
      await vi.advanceTimersByTimeAsync(1);
    },
  };
}
type Room = ReturnType<typeof startRoom>;

/** The state as a dotted path: `inRoom.active`, `exiting.releasing`, `idle`. */
function leafOf(snapshot: RoomSnapshot): string {
  const path: string[] = [];
  let value: unknown = snapshot.value;
  while (typeof value === 'object' && value !== null) {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key === undefined) break;
    path.push(key);
    value = child;
  }
  if (typeof value === 'string') path.push(value);
  return path.join('.');
}

/** Starts a device outside a room (a preview) and lets the start succeed. */
async function turnOn(room: Room, device: DeviceKind) {
  room.send({ type: 'media.start', device, publish: false });
  await room.settle(['startDevice'], 'resolve');
}

const sdkCalls = (room: Room) => room.log.filter((c) => c !== 'clearRoster');

// ---------------------------------------------------------------------------------------------
// Source states: the machine's states, with `entering` and `exiting.leaving` split by the request
// they carry, since the same event leads elsewhere with it.

type Leaf =
  | 'idle'
  | 'entering'
  | 'inRoom.active'
  | 'inRoom.switchingRole'
  | 'inRoom.switchingRoom'
  | 'exiting.leaving'
  | 'exiting.releasing'
  | 'kicked'
  | 'destroyed';

const SOURCE_STATE = {
  idle: 'idle',
  entering: 'entering',
  'entering, exit requested': 'entering',
  'inRoom.active': 'inRoom.active',
  'inRoom.switchingRole': 'inRoom.switchingRole',
  'inRoom.switchingRoom': 'inRoom.switchingRoom',
  'exiting.leaving': 'exiting.leaving',
  'exiting.leaving, destroy requested': 'exiting.leaving',
  'exiting.releasing, a device stopping': 'exiting.releasing',
  kicked: 'kicked',
  destroyed: 'destroyed',
} as const satisfies Record<string, Leaf>;
type Source = keyof typeof SOURCE_STATE;
const SOURCES = Object.keys(SOURCE_STATE) as Source[];

/** States the machine never rests in, so no event can find it there. */
const TRANSIENT = { 'exiting.done': 'eventless: it leaves as soon as it is entered' };

const REACH: Record<Source, (room: Room) => Promise<void>> = {
  idle: async () => {},
  entering: async (room) => {
    room.send({ type: 'room.enter', target: room.setup.target });
    if (room.setup.autoplayBlocked) room.send({ type: 'sdk.autoplayFailed' });
  },
  'entering, exit requested': async (room) => {
    await REACH.entering(room);
    room.send({ type: 'room.exit' });
  },
  'inRoom.active': async (room) => {
    await REACH.entering(room);
    await room.settle(['enterRoom'], 'resolve');
  },
  'inRoom.switchingRole': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.switchRole', role: 'audience' });
  },
  'inRoom.switchingRoom': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.switchRoom', room: otherRoom });
  },
  'exiting.leaving': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.exit' });
  },
  'exiting.leaving, destroy requested': async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'room.destroy' });
  },
  'exiting.releasing, a device stopping': async (room) => {
    await REACH['inRoom.active'](room);
    await turnOn(room, 'microphone');
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
  },
  kicked: async (room) => {
    await REACH['inRoom.active'](room);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
  },
  destroyed: async (room) => {
    room.send({ type: 'room.destroy' });
    // With a device on, destroy waits for it to stop.
    await room.settle(['stopDevice'], 'resolve');
  },
};

// ---------------------------------------------------------------------------------------------
// Event kinds: what the user, the SDK, the devices, the calls in flight and time can do.

const KINDS = [
  'room.enter',
  'room.exit',
  'room.destroy',
  'sdk.kickedOut',
  'sdk.error 5400',
  'sdk.error 5500/5501',
  'sdk.connectionChanged',
  'sdk.remote',
  'sdk.networkQuality',
  'sdk.autoplayFailed',
  'room.autoplayResumed',
  'room.switchRole',
  'room.switchRoom',
  'media.start',
  'media.start as live audience',
  'media.stop',
  'media.update',
  'media.mute',
  'enterRoom resolves',
  'enterRoom rejects',
  'enter bound passes',
  'switch resolves',
  'switch rejects',
  'exitRoom resolves',
  'exitRoom rejects',
  'exit bound passes',
  'device stop settles',
] as const;
type Kind = (typeof KINDS)[number];

const SWITCHES: readonly CallName[] = ['switchRole', 'switchRoom'];
const send = (event: RoomEvent) => async (room: Room) => room.send(event);

const HAPPEN: Record<Kind, (room: Room) => Promise<void>> = {
  'room.enter': send({ type: 'room.enter', target }),
  'room.exit': send({ type: 'room.exit' }),
  'room.destroy': send({ type: 'room.destroy' }),
  'sdk.kickedOut': send({ type: 'sdk.kickedOut', reason: 'kick' }),
  'sdk.error 5400': send({ type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } }),
  'sdk.error 5500/5501': send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } }),
  'sdk.connectionChanged': send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' }),
  'sdk.remote': send({ type: 'sdk.remote', count: 1, changes: [newcomer] }),
  'sdk.networkQuality': send({ type: 'sdk.networkQuality', network }),
  'sdk.autoplayFailed': send({ type: 'sdk.autoplayFailed' }),
  'room.autoplayResumed': send({ type: 'room.autoplayResumed' }),
  'room.switchRole': send({ type: 'room.switchRole', role: 'audience' }),
  'room.switchRoom': send({ type: 'room.switchRoom', room: otherRoom }),
  'media.start': send({ type: 'media.start', device: 'microphone', publish: true }),
  'media.start as live audience': send({ type: 'media.start', device: 'microphone', publish: true }),
  'media.stop': send({ type: 'media.stop', device: 'camera' }),
  'media.update': send({ type: 'media.update', device: 'camera' }),
  'media.mute': send({ type: 'media.mute', device: 'camera', muted: true }),
  'enterRoom resolves': (room) => room.settle(['enterRoom'], 'resolve'),
  'enterRoom rejects': (room) => room.settle(['enterRoom'], 'reject'),
  // Also the bound of a role or room switch.
  'enter bound passes': (room) => room.elapse(ENTER_MS),
  'switch resolves': (room) => room.settle(SWITCHES, 'resolve'),
  'switch rejects': (room) => room.settle(SWITCHES, 'reject'),
  'exitRoom resolves': (room) => room.settle(['exitRoom'], 'resolve'),
  'exitRoom rejects': (room) => room.settle(['exitRoom'], 'reject'),
  // Also the bound on releasing the devices.
  'exit bound passes': (room) => room.elapse(EXIT_MS),
  'device stop settles': (room) => room.settle(['stopDevice'], 'resolve'),
};

/** What a kind needs set up first to have anything to act on. */
const SETUP: Partial<Record<Kind, Partial<Setup>>> = {
  'media.start as live audience': { target: liveAudience },
  'media.stop': { cameraOn: true },
  'media.update': { cameraOn: true },
  'media.mute': { cameraOn: true },
  'room.autoplayResumed': { autoplayBlocked: true },
};

/** The machine events each kind becomes, to check the kinds cover every event the machine handles. */
const MACHINE_EVENTS: Record<Kind, string[]> = {
  'room.enter': ['room.enter'],
  'room.exit': ['room.exit'],
  'room.destroy': ['room.destroy'],
  'sdk.kickedOut': ['sdk.kickedOut'],
  'sdk.error 5400': ['sdk.error'],
  'sdk.error 5500/5501': ['sdk.error'],
  'sdk.connectionChanged': ['sdk.connectionChanged'],
  'sdk.remote': ['sdk.remote'],
  'sdk.networkQuality': ['sdk.networkQuality'],
  'sdk.autoplayFailed': ['sdk.autoplayFailed'],
  'room.autoplayResumed': ['room.autoplayResumed'],
  'room.switchRole': ['room.switchRole'],
  'room.switchRoom': ['room.switchRoom'],
  'media.start': ['media.start'],
  'media.start as live audience': ['media.start'],
  'media.stop': ['media.stop'],
  'media.update': ['media.update'],
  'media.mute': ['media.mute'],
  'enterRoom resolves': ['xstate.done.actor.enterRoom'],
  'enterRoom rejects': ['xstate.error.actor.enterRoom'],
  'enter bound passes': [
    'xstate.after.enterTimeout.room.entering',
    'xstate.after.enterTimeout.room.inRoom.switchingRole',
    'xstate.after.enterTimeout.room.inRoom.switchingRoom',
  ],
  'switch resolves': ['xstate.done.actor.switchRole', 'xstate.done.actor.switchRoom'],
  'switch rejects': ['xstate.error.actor.switchRole', 'xstate.error.actor.switchRoom'],
  'exitRoom resolves': ['xstate.done.actor.exitRoom'],
  'exitRoom rejects': ['xstate.error.actor.exitRoom'],
  'exit bound passes': ['xstate.after.exitTimeout.room.exiting.leaving', 'xstate.after.exitTimeout.room.exiting.releasing'],
  'device stop settles': ['device.status', 'xstate.done.actor.lifecycleSettled'],
};

/** The calls a kind completes: an ignored row checks that none of them is in flight. */
const COMPLETION_OF: Partial<Record<Kind, readonly CallName[]>> = {
  'enterRoom resolves': ['enterRoom'],
  'enterRoom rejects': ['enterRoom'],
  'enter bound passes': ['enterRoom', ...SWITCHES],
  'switch resolves': SWITCHES,
  'switch rejects': SWITCHES,
  'exitRoom resolves': ['exitRoom'],
  'exitRoom rejects': ['exitRoom'],
  'exit bound passes': ['exitRoom'],
  'device stop settles': ['stopDevice'],
};

// ---------------------------------------------------------------------------------------------
// The table.

const deviceView = ({ status, muted, error }: DeviceReport) => [status, muted ? 'muted' : '', error?.code ?? ''].filter(Boolean).join(' ');

/**
 * Context as compared in the table: the error as its code and SDK codes, the warning as its SDK
 * codes, each device as its status.
 */
function view(context: RoomContext) {
  const { error, warning, local, ...rest } = context;
  return {
    ...rest,
    error: error && (error.sdkCode === undefined ? error.code : `${error.code} (${sdkCodes(error)})`),
    warning: warning && sdkCodes(warning),
    microphone: deviceView(local.microphone),
    camera: deviceView(local.camera),
    screen: deviceView(local.screen),
  };
}
type ContextView = ReturnType<typeof view>;

function sdkCodes({ sdkCode, sdkExtraCode }: { sdkCode?: number; sdkExtraCode?: number }): string {
  return `SDK ${sdkCode}${sdkExtraCode === undefined ? '' : `/${sdkExtraCode}`}`;
}

interface Effects {
  to: Leaf;
  /** Calls the event causes, in order. */
  calls?: Call[];
  /** Emitted event types, in order. */
  emits?: RoomEmittedType[];
  /** Context fields that change; all others must stay as they were. */
  context?: Partial<ContextView>;
}

type Row = { from: Source; on: Kind } & (
  | { then: Effects }
  /** The outcome depends on whether a wedged instance can be replaced. */
  | { then: { factory: Effects; plain: Effects } }
  /** Nothing changes. */
  | { ignored: string }
  /** Cannot happen in this state: the row checks only that no such call is in flight. */
  | { na: string }
);

const ignoring = (from: Source, kinds: readonly Kind[], why: string): Row[] => kinds.map((on) => ({ from, on, ignored: why }));

const SDK_KINDS = [
  'sdk.kickedOut',
  'sdk.error 5400',
  'sdk.error 5500/5501',
  'sdk.connectionChanged',
  'sdk.remote',
  'sdk.networkQuality',
  'sdk.autoplayFailed',
] as const satisfies readonly Kind[];
const MEDIA_KINDS = ['media.start', 'media.start as live audience', 'media.stop', 'media.update', 'media.mute'] as const satisfies readonly Kind[];
const ENTER_DONE = ['enterRoom resolves', 'enterRoom rejects', 'enter bound passes'] as const satisfies readonly Kind[];
const SWITCH_DONE = ['switch resolves', 'switch rejects'] as const satisfies readonly Kind[];
const EXIT_DONE = ['exitRoom resolves', 'exitRoom rejects', 'exit bound passes'] as const satisfies readonly Kind[];

const NO_ENTER = 'no enterRoom in flight';
const NO_SWITCH = 'no switch in flight';
const NO_EXIT = 'no exitRoom in flight';
const NO_STOP = 'no device is stopping';
const NOT_LISTENING = 'no SDK listener in this state';
const NOT_IN_ROOM = 'not in a room (the controller refuses INVALID_STATE)';
const SWITCHING = 'a switch is in flight (the controller refuses INVALID_STATE)';
const NO_MEDIA = 'no local media commands here (the controller refuses INVALID_STATE)';
const AUDIENCE = 'an audience may not publish in the live scene (mayPublish)';

/** Entering destroyed: the instance is destroyed, the roster cleared. */
const destroyed: Effects = { to: 'destroyed', calls: ['destroyInstance', 'clearRoster'], emits: ['destroyed'] };
/** Local media commands go to the device child; its status comes back to the context. */
const media = (to: Leaf) =>
  ({
    'media.start': { to, calls: ['startDevice(microphone)'], context: { microphone: 'starting' } },
    'media.stop': { to, calls: ['stopDevice(camera)'], context: { camera: 'stopping' } },
    'media.update': { to, calls: ['updateDevice(camera)'] },
    'media.mute': { to, calls: ['updateDevice(camera, muted: true)'] },
  }) satisfies Record<string, Effects>;
/** Leaving inRoom: disconnected, and the role is gone. */
const left = { connection: 'disconnected', role: null } as const;
/** A call past its bound retires the instance: replaced with a factory, destroyed without. */
const retired = (error: string, calls: Call[], emits: RoomEmittedType[], context: Partial<ContextView> = {}) => ({
  factory: { to: 'idle', calls: [...calls, 'destroyInstance', 'renewInstance', 'clearRoster'], emits, context: { ...context, error, instance: 2 } },
  plain: {
    to: 'destroyed',
    calls: [...calls, 'destroyInstance', 'clearRoster'],
    emits: [...emits, 'destroyed'],
    context: { ...context, error, retireRequested: true },
  },
}) satisfies { factory: Effects; plain: Effects };
/** With no device busy, an enter past its bound retires the instance at once, without releasing. */
const enterTimedOut = {
  ...retired('ENTER_TIMEOUT', [], ['error'], { role: null }),
  plain: { to: 'destroyed', calls: ['destroyInstance', 'clearRoster'], emits: ['error', 'destroyed'], context: { error: 'ENTER_TIMEOUT', role: null } },
} satisfies { factory: Effects; plain: Effects };

const ROWS: Row[] = [
  { from: 'idle', on: 'room.enter', then: { to: 'entering', calls: ['enterRoom'], context: { target, role: 'anchor' } } },
  { from: 'idle', on: 'room.exit', ignored: 'not in a room (the controller resolves at once)' },
  { from: 'idle', on: 'room.destroy', then: destroyed },
  ...ignoring('idle', SDK_KINDS, NOT_LISTENING),
  { from: 'idle', on: 'room.autoplayResumed', ignored: 'not in a room: nothing plays' },
  ...ignoring('idle', ['room.switchRole', 'room.switchRoom'], NOT_IN_ROOM),
  // A preview: nothing is published outside a room, whatever the role the next enter takes.
  { from: 'idle', on: 'media.start', then: media('idle')['media.start'] },
  { from: 'idle', on: 'media.start as live audience', then: media('idle')['media.start'] },
  { from: 'idle', on: 'media.stop', then: media('idle')['media.stop'] },
  { from: 'idle', on: 'media.update', then: media('idle')['media.update'] },
  { from: 'idle', on: 'media.mute', then: media('idle')['media.mute'] },
  ...ignoring('idle', ENTER_DONE, NO_ENTER),
  ...ignoring('idle', SWITCH_DONE, NO_SWITCH),
  ...ignoring('idle', EXIT_DONE, NO_EXIT),
  { from: 'idle', on: 'device stop settles', ignored: NO_STOP },

  { from: 'entering', on: 'room.enter', ignored: 'an enter is in flight (the controller rejects INVALID_STATE)' },
  { from: 'entering', on: 'room.exit', then: { to: 'entering', context: { exitRequested: true } } },
  { from: 'entering', on: 'room.destroy', then: { ...destroyed, context: { role: null } } },
  { from: 'entering', on: 'sdk.kickedOut', then: { to: 'kicked', calls: ['clearRoster'], emits: ['kicked'], context: { kickReason: 'kick', role: null } } },
  // enterRoom's own promise decides whether the enter failed; the event is only a warning.
  { from: 'entering', on: 'sdk.error 5400', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5400' } } },
  { from: 'entering', on: 'sdk.error 5500/5501', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
  { from: 'entering', on: 'sdk.connectionChanged', ignored: 'not handled while entering; entering the room sets connected' },
  { from: 'entering', on: 'sdk.remote', then: { to: 'entering', calls: [], emits: ['remoteUsersChanged'] } },
  { from: 'entering', on: 'sdk.networkQuality', ignored: 'only shown in the room' },
  { from: 'entering', on: 'sdk.autoplayFailed', then: { to: 'entering', context: { autoplayBlocked: true } } },
  { from: 'entering', on: 'room.autoplayResumed', then: { to: 'entering', context: { autoplayBlocked: false } } },
  ...ignoring('entering', ['room.switchRole', 'room.switchRoom'], 'not in the room yet (the controller refuses INVALID_STATE)'),
  { from: 'entering', on: 'media.start', then: media('entering')['media.start'] },
  { from: 'entering', on: 'media.start as live audience', ignored: AUDIENCE },
  { from: 'entering', on: 'media.stop', then: media('entering')['media.stop'] },
  { from: 'entering', on: 'media.update', then: media('entering')['media.update'] },
  { from: 'entering', on: 'media.mute', then: media('entering')['media.mute'] },
  {
    from: 'entering',
    on: 'enterRoom resolves',
    then: { to: 'inRoom.active', emits: ['connection', 'entered'], context: { connection: 'connected' } },
  },
  { from: 'entering', on: 'enterRoom rejects', then: { to: 'idle', calls: ['clearRoster'], emits: ['error'], context: { error: 'ENTER_FAILED', role: null } } },
  { from: 'entering', on: 'enter bound passes', then: enterTimedOut },
  ...ignoring('entering', SWITCH_DONE, NO_SWITCH),
  { from: 'entering', on: 'exitRoom resolves', ignored: NO_EXIT },
  { from: 'entering', on: 'exitRoom rejects', ignored: NO_EXIT },
  { from: 'entering', on: 'exit bound passes', ignored: `${NO_EXIT}; the enter bound is longer` },
  { from: 'entering', on: 'device stop settles', ignored: NO_STOP },

  { from: 'entering, exit requested', on: 'room.enter', ignored: 'an enter is in flight (the controller rejects INVALID_STATE)' },
  { from: 'entering, exit requested', on: 'room.exit', ignored: 'the exit is requested already' },
  { from: 'entering, exit requested', on: 'room.destroy', then: { ...destroyed, context: { role: null } } },
  {
    from: 'entering, exit requested',
    on: 'sdk.kickedOut',
    then: { to: 'kicked', calls: ['clearRoster'], emits: ['kicked'], context: { kickReason: 'kick', role: null } },
  },
  { from: 'entering, exit requested', on: 'sdk.error 5400', then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5400' } } },
  {
    from: 'entering, exit requested',
    on: 'sdk.error 5500/5501',
    then: { to: 'entering', emits: ['warning'], context: { warning: 'SDK 5500/5501' } },
  },
  { from: 'entering, exit requested', on: 'sdk.connectionChanged', ignored: 'not handled while entering' },
  { from: 'entering, exit requested', on: 'sdk.remote', then: { to: 'entering', calls: [], emits: ['remoteUsersChanged'] } },
  { from: 'entering, exit requested', on: 'sdk.networkQuality', ignored: 'only shown in the room' },
  { from: 'entering, exit requested', on: 'sdk.autoplayFailed', then: { to: 'entering', context: { autoplayBlocked: true } } },
  { from: 'entering, exit requested', on: 'room.autoplayResumed', then: { to: 'entering', context: { autoplayBlocked: false } } },
  ...ignoring('entering, exit requested', ['room.switchRole', 'room.switchRoom'], 'not in the room yet'),
  { from: 'entering, exit requested', on: 'media.start', then: media('entering')['media.start'] },
  { from: 'entering, exit requested', on: 'media.start as live audience', ignored: AUDIENCE },
  { from: 'entering, exit requested', on: 'media.stop', then: media('entering')['media.stop'] },
  { from: 'entering, exit requested', on: 'media.update', then: media('entering')['media.update'] },
  { from: 'entering, exit requested', on: 'media.mute', then: media('entering')['media.mute'] },
  // Entered, but the user has asked to leave: straight to exiting, never through inRoom.
  { from: 'entering, exit requested', on: 'enterRoom resolves', then: { to: 'exiting.leaving', calls: ['clearRoster', 'exitRoom'], context: { role: null } } },
  {
    from: 'entering, exit requested',
    on: 'enterRoom rejects',
    then: { to: 'idle', calls: ['clearRoster'], emits: ['error'], context: { error: 'ENTER_FAILED', role: null } },
  },
  { from: 'entering, exit requested', on: 'enter bound passes', then: enterTimedOut },
  ...ignoring('entering, exit requested', SWITCH_DONE, NO_SWITCH),
  { from: 'entering, exit requested', on: 'exitRoom resolves', ignored: `${NO_EXIT} (it starts once the enter settles)` },
  { from: 'entering, exit requested', on: 'exitRoom rejects', ignored: `${NO_EXIT} (it starts once the enter settles)` },
  { from: 'entering, exit requested', on: 'exit bound passes', ignored: `${NO_EXIT}; the enter bound is longer` },
  { from: 'entering, exit requested', on: 'device stop settles', ignored: NO_STOP },

  ...inRoomRows('inRoom.active'),
  {
    from: 'inRoom.active',
    on: 'room.exit',
    then: { to: 'exiting.leaving', calls: ['clearRoster', 'exitRoom'], emits: ['connection'], context: left },
  },
  {
    from: 'inRoom.active',
    on: 'room.destroy',
    then: { to: 'exiting.leaving', calls: ['clearRoster', 'exitRoom'], emits: ['connection'], context: { ...left, destroyRequested: true } },
  },
  { from: 'inRoom.active', on: 'room.switchRole', then: { to: 'inRoom.switchingRole', calls: ['switchRole'] } },
  // The SDK may leave and enter again: the roster starts afresh.
  { from: 'inRoom.active', on: 'room.switchRoom', then: { to: 'inRoom.switchingRoom', calls: ['clearRoster', 'switchRoom'] } },
  ...ignoring('inRoom.active', ENTER_DONE, `${NO_ENTER}: it settled on the way in`),
  ...ignoring('inRoom.active', SWITCH_DONE, NO_SWITCH),

  // Exit and destroy wait for the switch, then are taken (see the sequences).
  ...inRoomRows('inRoom.switchingRole'),
  { from: 'inRoom.switchingRole', on: 'room.exit', then: { to: 'inRoom.switchingRole', context: { exitRequested: true } } },
  { from: 'inRoom.switchingRole', on: 'room.destroy', then: { to: 'inRoom.switchingRole', context: { destroyRequested: true } } },
  ...ignoring('inRoom.switchingRole', ['room.switchRole', 'room.switchRoom'], SWITCHING),
  ...ignoring('inRoom.switchingRole', ['enterRoom resolves', 'enterRoom rejects'], NO_ENTER),
  {
    from: 'inRoom.switchingRole',
    on: 'enter bound passes',
    then: retired('SWITCH_FAILED', ['clearRoster'], ['connection', 'error', 'exited'], left),
  },
  { from: 'inRoom.switchingRole', on: 'switch resolves', then: { to: 'inRoom.active', emits: ['roleChanged'], context: { role: 'audience' } } },
  { from: 'inRoom.switchingRole', on: 'switch rejects', then: { to: 'inRoom.active', emits: ['error'], context: { error: 'SWITCH_FAILED' } } },

  ...inRoomRows('inRoom.switchingRoom'),
  { from: 'inRoom.switchingRoom', on: 'room.exit', then: { to: 'inRoom.switchingRoom', context: { exitRequested: true } } },
  { from: 'inRoom.switchingRoom', on: 'room.destroy', then: { to: 'inRoom.switchingRoom', context: { destroyRequested: true } } },
  ...ignoring('inRoom.switchingRoom', ['room.switchRole', 'room.switchRoom'], SWITCHING),
  ...ignoring('inRoom.switchingRoom', ['enterRoom resolves', 'enterRoom rejects'], NO_ENTER),
  {
    from: 'inRoom.switchingRoom',
    on: 'enter bound passes',
    then: retired('SWITCH_FAILED', ['clearRoster'], ['connection', 'error', 'exited'], left),
  },
  {
    from: 'inRoom.switchingRoom',
    on: 'switch resolves',
    then: { to: 'inRoom.active', emits: ['roomSwitched', 'roleChanged'], context: { target: { ...target, ...otherRoom } } },
  },
  // Where the SDK stands is unknown: leave cleanly.
  {
    from: 'inRoom.switchingRoom',
    on: 'switch rejects',
    then: { to: 'exiting.leaving', calls: ['clearRoster', 'exitRoom'], emits: ['connection', 'error'], context: { ...left, error: 'SWITCH_FAILED' } },
  },

  ...leavingRows('exiting.leaving'),
  { from: 'exiting.leaving', on: 'room.destroy', then: { to: 'exiting.leaving', context: { destroyRequested: true } } },
  { from: 'exiting.leaving', on: 'exitRoom resolves', then: { to: 'idle', calls: ['clearRoster'], emits: ['exited'] } },
  // A failed exit leaves the instance in doubt: it is retired once the devices are released.
  { from: 'exiting.leaving', on: 'exitRoom rejects', then: retired('EXIT_FAILED', [], ['exited', 'error']) },
  { from: 'exiting.leaving', on: 'exit bound passes', then: retired('EXIT_TIMEOUT', [], ['exited', 'error']) },

  // Destroy wins over renewal: whatever the exit does, the instance is destroyed once and not renewed.
  ...leavingRows('exiting.leaving, destroy requested'),
  { from: 'exiting.leaving, destroy requested', on: 'room.destroy', ignored: 'the destroy is requested already' },
  {
    from: 'exiting.leaving, destroy requested',
    on: 'exitRoom resolves',
    then: { to: 'destroyed', calls: ['destroyInstance', 'clearRoster'], emits: ['exited', 'destroyed'] },
  },
  {
    from: 'exiting.leaving, destroy requested',
    on: 'exitRoom rejects',
    then: {
      to: 'destroyed',
      calls: ['destroyInstance', 'clearRoster'],
      emits: ['exited', 'error', 'destroyed'],
      context: { error: 'EXIT_FAILED', retireRequested: true },
    },
  },
  {
    from: 'exiting.leaving, destroy requested',
    on: 'exit bound passes',
    then: {
      to: 'destroyed',
      calls: ['destroyInstance', 'clearRoster'],
      emits: ['exited', 'error', 'destroyed'],
      context: { error: 'EXIT_TIMEOUT', retireRequested: true },
    },
  },

  { from: 'exiting.releasing, a device stopping', on: 'room.enter', ignored: 'an exit is in progress (the controller rejects INVALID_STATE)' },
  { from: 'exiting.releasing, a device stopping', on: 'room.exit', ignored: 'the room is left already (the controller joins the exit)' },
  {
    from: 'exiting.releasing, a device stopping',
    on: 'room.destroy',
    then: { to: 'exiting.releasing', context: { destroyRequested: true } },
  },
  ...ignoring('exiting.releasing, a device stopping', SDK_KINDS, NOT_LISTENING),
  { from: 'exiting.releasing, a device stopping', on: 'room.autoplayResumed', ignored: 'not in a room' },
  ...ignoring('exiting.releasing, a device stopping', ['room.switchRole', 'room.switchRoom'], NOT_IN_ROOM),
  ...ignoring('exiting.releasing, a device stopping', MEDIA_KINDS, NO_MEDIA),
  ...ignoring('exiting.releasing, a device stopping', ['enterRoom resolves', 'enterRoom rejects'], NO_ENTER),
  { from: 'exiting.releasing, a device stopping', on: 'enter bound passes', na: `${NO_ENTER}; time passing here is the exit bound row` },
  ...ignoring('exiting.releasing, a device stopping', SWITCH_DONE, NO_SWITCH),
  ...ignoring('exiting.releasing, a device stopping', ['exitRoom resolves', 'exitRoom rejects'], `${NO_EXIT}: it settled already`),
  // The release is bounded too: the session ends with the stop still in flight.
  { from: 'exiting.releasing, a device stopping', on: 'exit bound passes', then: { to: 'idle', calls: ['clearRoster'] } },
  {
    from: 'exiting.releasing, a device stopping',
    on: 'device stop settles',
    then: { to: 'idle', calls: ['clearRoster'], context: { microphone: 'off' } },
  },

  { from: 'kicked', on: 'room.enter', then: { to: 'entering', calls: ['enterRoom'], context: { kickReason: null, role: 'anchor' } } },
  { from: 'kicked', on: 'room.exit', ignored: 'the SDK has left the room already (the controller resolves at once)' },
  { from: 'kicked', on: 'room.destroy', then: destroyed },
  ...ignoring('kicked', SDK_KINDS, NOT_LISTENING),
  { from: 'kicked', on: 'room.autoplayResumed', ignored: 'not in a room' },
  ...ignoring('kicked', ['room.switchRole', 'room.switchRoom'], NOT_IN_ROOM),
  ...ignoring('kicked', MEDIA_KINDS, NO_MEDIA),
  ...ignoring('kicked', ENTER_DONE, NO_ENTER),
  ...ignoring('kicked', SWITCH_DONE, NO_SWITCH),
  ...ignoring('kicked', EXIT_DONE, NO_EXIT),
  { from: 'kicked', on: 'device stop settles', ignored: NO_STOP },

  { from: 'destroyed', on: 'room.enter', ignored: 'final state (the controller rejects DESTROYED)' },
  { from: 'destroyed', on: 'room.exit', ignored: 'final state (the controller rejects DESTROYED)' },
  { from: 'destroyed', on: 'room.destroy', ignored: 'final state; destroy is idempotent' },
  ...ignoring(
    'destroyed',
    KINDS.filter((kind) => !kind.startsWith('room.')),
    'final state',
  ),
  ...ignoring('destroyed', ['room.autoplayResumed', 'room.switchRole', 'room.switchRoom'], 'final state (the controller rejects DESTROYED)'),
];

/** Rows every substate of inRoom shares: the events inRoom itself handles, and the calls it never makes. */
function inRoomRows(from: Source & `inRoom.${string}`): Row[] {
  return [
    { from, on: 'room.enter', ignored: 'in the room already (the controller rejects INVALID_STATE)' },
    // The SDK has left the room by itself: no exitRoom, and whatever switch was in flight is dropped.
    {
      from,
      on: 'sdk.kickedOut',
      then: { to: 'kicked', calls: ['clearRoster'], emits: ['connection', 'kicked'], context: { ...left, kickReason: 'kick' } },
    },
    {
      from,
      on: 'sdk.error 5400',
      then: { to: 'idle', calls: ['clearRoster'], emits: ['connection', 'error'], context: { ...left, error: 'CONNECTION_LOST (SDK 5400)' } },
    },
    { from, on: 'sdk.error 5500/5501', then: { to: from, emits: ['warning'], context: { warning: 'SDK 5500/5501' } } },
    { from, on: 'sdk.connectionChanged', then: { to: from, emits: ['connection'], context: { connection: 'reconnecting' } } },
    { from, on: 'sdk.remote', then: { to: from, calls: [], emits: ['remoteUsersChanged'] } },
    { from, on: 'sdk.networkQuality', then: { to: from, context: { network } } },
    { from, on: 'sdk.autoplayFailed', then: { to: from, context: { autoplayBlocked: true } } },
    { from, on: 'room.autoplayResumed', then: { to: from, context: { autoplayBlocked: false } } },
    { from, on: 'media.start', then: media(from)['media.start'] },
    { from, on: 'media.start as live audience', ignored: AUDIENCE },
    { from, on: 'media.stop', then: media(from)['media.stop'] },
    { from, on: 'media.update', then: media(from)['media.update'] },
    { from, on: 'media.mute', then: media(from)['media.mute'] },
    ...ignoring(from, ['exitRoom resolves', 'exitRoom rejects'], NO_EXIT),
    { from, on: 'exit bound passes', ignored: `${NO_EXIT}; the switch bound is longer` },
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

/** Rows both variants of exiting.leaving share. */
function leavingRows(from: Source & `exiting.leaving${string}`): Row[] {
  return [
    { from, on: 'room.enter', ignored: 'an exit is in flight (the controller rejects INVALID_STATE)' },
    { from, on: 'room.exit', ignored: 'the exit is in flight already (the controller joins it)' },
    ...ignoring(from, SDK_KINDS, NOT_LISTENING),
    { from, on: 'room.autoplayResumed', ignored: 'not in a room' },
    ...ignoring(from, ['room.switchRole', 'room.switchRoom'], NOT_IN_ROOM),
    ...ignoring(from, MEDIA_KINDS, `${NO_MEDIA}; the devices are released next`),
    ...ignoring(from, ['enterRoom resolves', 'enterRoom rejects'], NO_ENTER),
    { from, on: 'enter bound passes', na: `${NO_ENTER}; time passing here is the exit bound row` },
    ...ignoring(from, SWITCH_DONE, NO_SWITCH),
    { from, on: 'device stop settles', ignored: NO_STOP },
  ];
}

const LISTENING: readonly RoomStateName[] = ['entering', 'inRoom'];

/** The top-level state of a device child, as the room should mirror it. */
function deviceState(snapshot: RoomSnapshot, kind: DeviceKind): unknown {
  const value: unknown = snapshot.children[kind]?.getSnapshot().value;
  return typeof value === 'object' && value !== null ? Object.keys(value)[0] : value;
}

/**
 * Holds whatever the events: one SDK listener exactly while entering or in the room, one destroy
 * per instance, and each device mirrored.
 */
function expectInvariants(room: Room) {
  const snapshot = room.actor.getSnapshot();
  const state = stateOf(snapshot);
  expect(room.listeners).toBe(LISTENING.includes(state) ? 1 : 0);
  expect(snapshot.status).toBe(state === 'destroyed' ? 'done' : 'active');
  const renewed = room.renewInstance.mock.calls.length;
  expect(renewed).toBe(snapshot.context.instance - 1);
  expect(room.destroyInstance.mock.calls.length).toBe(renewed + (state === 'destroyed' ? 1 : 0));
  if (snapshot.status === 'active') {
    for (const kind of DEVICE_KINDS) expect(snapshot.context.local[kind].status).toBe(deviceState(snapshot, kind));
  }
}

function expectUnchanged(room: Room, before: RoomSnapshot, logLength: number) {
  expect(room.actor.getSnapshot().value).toEqual(before.value);
  expect(room.actor.getSnapshot().context).toEqual(before.context);
  expect(room.log.length).toBe(logLength);
  expect(room.emitted).toEqual([]);
}

async function enterRoom(canRenewInstance: boolean, setup: Setup = PLAIN_SETUP): Promise<Room> {
  const room = startRoom(canRenewInstance, setup);
  await REACH['inRoom.active'](room);
  return room;
}

interface StateNodeLike {
  path: string[];
  states: Record<string, StateNodeLike>;
}
const leafStates = (node: StateNodeLike): string[] => {
  const children = Object.values(node.states);
  return children.length === 0 ? [node.path.join('.')] : children.flatMap(leafStates);
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('room machine transition table', () => {
  it('has exactly one row for every state of the machine and every event kind', () => {
    const sources = new Set<string>(Object.values(SOURCE_STATE));
    expect(new Set([...sources, ...Object.keys(TRANSIENT)])).toEqual(new Set(leafStates(roomMachine.root)));

    const missing: string[] = [];
    for (const source of SOURCES) {
      for (const kind of KINDS) {
        const count = ROWS.filter((row) => row.from === source && row.on === kind).length;
        if (count !== 1) missing.push(`${source} + ${kind}: ${count} rows`);
      }
    }
    expect(missing).toEqual([]);
    expect(ROWS).toHaveLength(SOURCES.length * KINDS.length);
  });

  it('covers every event the machine handles', () => {
    expect(new Set(roomMachine.events)).toEqual(new Set(Object.values(MACHINE_EVENTS).flat()));
  });

  describe.each([
    { canRenewInstance: true, instance: 'factory' },
    { canRenewInstance: false, instance: 'plain instance' },
  ] as const)('with a $instance', ({ canRenewInstance }) => {
    it.each(ROWS)('$from + $on', async (row) => {
      // XState warns about events sent to a stopped actor; in `destroyed` that is the point.
      if (row.from === 'destroyed') vi.spyOn(console, 'warn').mockImplementation(() => {});
      const room = startRoom(canRenewInstance, { ...PLAIN_SETUP, ...SETUP[row.on] });
      if (room.setup.cameraOn) await turnOn(room, 'camera');
      await REACH[row.from](room);
      expect(leafOf(room.actor.getSnapshot())).toBe(SOURCE_STATE[row.from]);
      expectInvariants(room);

      const completes = COMPLETION_OF[row.on];
      if ('na' in row || 'ignored' in row) {
        if (completes) expect(room.pending(completes)).toBeUndefined();
        if ('na' in row) return;
      }

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      await HAPPEN[row.on](room);

      if ('ignored' in row) {
        expectUnchanged(room, before, logLength);
      } else {
        const effects = 'to' in row.then ? row.then : canRenewInstance ? row.then.factory : row.then.plain;
        const after = room.actor.getSnapshot();
        expect(leafOf(after)).toBe(effects.to);
        expect(room.log.slice(logLength)).toEqual(effects.calls ?? []);
        expect(room.emitted).toEqual(effects.emits ?? []);
        expect(view(after.context)).toEqual({ ...view(before.context), ...effects.context });
      }
      expectInvariants(room);
    });
  });
});

describe('room machine sequences', () => {
  it('passes the target to enterRoom, the role to switchRole and the room to switchRoom', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'room.switchRole', role: 'audience' });
    await room.settle(['switchRole'], 'resolve');
    room.send({ type: 'room.switchRoom', room: otherRoom });
    await room.settle(['switchRoom'], 'resolve');
    expect(room.calls.map((c) => c.input)).toEqual([{ target }, { role: 'audience' }, { room: otherRoom }]);
  });

  it('a switched room keeps the enter options and takes back the role given to enter', async () => {
    const room = await enterRoom(true, { ...PLAIN_SETUP, target: liveAudience });
    room.send({ type: 'room.switchRole', role: 'anchor' });
    await room.settle(['switchRole'], 'resolve');
    expect(room.actor.getSnapshot().context.role).toBe('anchor');
    room.send({ type: 'room.switchRoom', room: otherRoom });
    await room.settle(['switchRoom'], 'resolve');
    expect(room.actor.getSnapshot().context).toMatchObject({ target: { ...liveAudience, roomId: 9999 }, role: 'audience' });
  });

  it.each([true, false])('destroy from inRoom: exitRoom settles before the instance is destroyed (factory: %s)', async (canRenewInstance) => {
    const room = await enterRoom(canRenewInstance);
    room.send({ type: 'room.destroy' });
    expect(sdkCalls(room)).toEqual(['enterRoom', 'exitRoom']);
    await room.settle(['exitRoom'], 'resolve');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'exitRoom', 'destroyInstance']);
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
  });

  describe.each([true, false])('destroy while exiting (factory: %s)', (canRenewInstance) => {
    it.each([
      ['exitRoom resolves', null],
      ['exitRoom rejects', 'EXIT_FAILED'],
      ['exit bound passes', 'EXIT_TIMEOUT'],
    ] as const)('then %s: destroyed, one destroy, no renewal', async (kind, error) => {
      const room = await enterRoom(canRenewInstance);
      room.send({ type: 'room.exit' });
      room.send({ type: 'room.destroy' });
      await HAPPEN[kind](room);
      const snapshot = room.actor.getSnapshot();
      expect(leafOf(snapshot)).toBe('destroyed');
      expect(snapshot.context.error?.code ?? null).toBe(error);
      expect(sdkCalls(room)).toEqual(['enterRoom', 'exitRoom', 'destroyInstance']);
      expect(room.renewInstance).not.toHaveBeenCalled();
      expectInvariants(room);
    });
  });

  describe.each(['room.switchRole', 'room.switchRoom'] as const)('a request during %s is taken once the switch settles', (type) => {
    const startSwitch = (room: Room) =>
      room.send(type === 'room.switchRole' ? { type, role: 'audience' } : { type, room: otherRoom });

    it.each(['resolve', 'reject'] as const)('exit, then the switch settles: %s', async (outcome) => {
      const room = await enterRoom(true);
      startSwitch(room);
      room.send({ type: 'room.exit' });
      expect(room.pending(['exitRoom'])).toBeUndefined();
      await room.settle(SWITCHES, outcome);
      expect(leafOf(room.actor.getSnapshot())).toBe('exiting.leaving');
      await room.settle(['exitRoom'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe('idle');
      expect(sdkCalls(room)).toEqual(['enterRoom', type === 'room.switchRole' ? 'switchRole' : 'switchRoom', 'exitRoom']);
      expectInvariants(room);
    });

    it.each(['resolve', 'reject'] as const)('destroy, then the switch settles: %s', async (outcome) => {
      const room = await enterRoom(true);
      startSwitch(room);
      room.send({ type: 'room.destroy' });
      await room.settle(SWITCHES, outcome);
      await room.settle(['exitRoom'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
      expect(sdkCalls(room)).toEqual(['enterRoom', type === 'room.switchRole' ? 'switchRole' : 'switchRoom', 'exitRoom', 'destroyInstance']);
      expectInvariants(room);
    });
  });

  it.each([
    ['a kick', { type: 'sdk.kickedOut', reason: 'banned' }],
    ['a failed rejoin', { type: 'sdk.error', error: { code: 5400, extraCode: 0, message: 'reJoin room failed' } }],
  ] as const)('a destroy asked for during a switch is still carried out when %s ends the session', async (_, ending) => {
    const room = await enterRoom(true);
    room.send({ type: 'room.switchRole', role: 'audience' });
    room.send({ type: 'room.destroy' });
    room.send(ending);
    await vi.advanceTimersByTimeAsync(0);
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'switchRole', 'destroyInstance']);
    expectInvariants(room);
  });

  it('reconnecting: a repeated status changes nothing; back to CONNECTED clears the warning', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.error', error: { code: 5500, extraCode: 5501, message: 'network unstable' } });
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTED', state: 'DISCONNECTED' });
    room.send({ type: 'sdk.connectionChanged', prevState: 'DISCONNECTED', state: 'CONNECTING' });
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'reconnecting', warning: { sdkCode: 5500 } });

    room.emitted.length = 0;
    room.send({ type: 'sdk.connectionChanged', prevState: 'CONNECTING', state: 'CONNECTED' });
    expect(room.actor.getSnapshot().context).toMatchObject({ connection: 'connected', warning: null });
    expect(room.emitted).toEqual(['connection']);
  });

  it('entering again after a kick listens once and calls enterRoom once more', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'sdk.kickedOut', reason: 'kick' });
    room.send({ type: 'room.enter', target });
    await room.settle(['enterRoom'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('inRoom.active');
    expect(sdkCalls(room)).toEqual(['enterRoom', 'enterRoom']);
    expectInvariants(room);
  });

  it('passes a roster notice on as remoteUsersChanged, with no call and the same snapshot (the roster lives outside it)', async () => {
    const room = await enterRoom(true);
    const before = room.actor.getSnapshot();
    const seen: unknown[] = [];
    const heard: unknown[] = [];
    room.actor.subscribe((snapshot) => seen.push(snapshot));
    room.actor.on('remoteUsersChanged', (event) => heard.push(event));
    room.send({ type: 'sdk.remote', count: 3, changes: [newcomer] });
    expect(seen).toEqual([before]);
    expect(heard).toEqual([{ type: 'remoteUsersChanged', count: 3, changes: [newcomer] }]);
    expect(sdkCalls(room)).toEqual(['enterRoom']);
  });

  it('a live audience may start a device that does not publish', async () => {
    const room = await enterRoom(true, { ...PLAIN_SETUP, target: liveAudience });
    room.send({ type: 'media.start', device: 'camera', publish: false });
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('starting');
  });
});

describe('local devices at the end of a session', () => {
  const toDestroy: Record<string, (room: Room) => Promise<void>> = {
    idle: async () => {},
    entering: REACH.entering,
    kicked: REACH.kicked,
  };

  it.each(Object.keys(toDestroy))('destroy from %s waits for a device that is on to stop', async (from) => {
    const room = startRoom(true);
    await turnOn(room, 'camera');
    await toDestroy[from]?.(room);
    room.send({ type: 'room.destroy' });
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    expect(room.destroyInstance).not.toHaveBeenCalled();

    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('destroyed');
    expect(sdkCalls(room).slice(-2)).toEqual(['stopDevice(camera)', 'destroyInstance']);
    expect(room.log).not.toContain('exitRoom');
    expectInvariants(room);
  });

  it.each([
    ['enter', REACH.entering, 'ENTER_TIMEOUT'],
    ['switchRole', REACH['inRoom.switchingRole'], 'SWITCH_FAILED'],
    ['switchRoom', REACH['inRoom.switchingRoom'], 'SWITCH_FAILED'],
  ] as const)('%s past its bound with a device on: the instance is retired once it stops', async (_, reach, code) => {
    for (const canRenewInstance of [true, false]) {
      const room = startRoom(canRenewInstance);
      await turnOn(room, 'camera');
      await reach(room);
      await room.elapse(ENTER_MS);
      expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
      expect(room.actor.getSnapshot().context).toMatchObject({ retireRequested: true, error: { code } });
      expect(room.destroyInstance).not.toHaveBeenCalled();

      await room.settle(['stopDevice'], 'resolve');
      expect(leafOf(room.actor.getSnapshot())).toBe(canRenewInstance ? 'idle' : 'destroyed');
      const calls = sdkCalls(room);
      expect(calls.slice(calls.indexOf('stopDevice(camera)'))).toEqual(
        canRenewInstance ? ['stopDevice(camera)', 'destroyInstance', 'renewInstance'] : ['stopDevice(camera)', 'destroyInstance'],
      );
      expect(room.actor.getSnapshot().context.retireRequested).toBe(!canRenewInstance);
      expectInvariants(room);
    }
  });

  it('releasing waits for every device that is on', async () => {
    const room = await enterRoom(true);
    await turnOn(room, 'camera');
    await turnOn(room, 'screen');
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
    expect(sdkCalls(room).slice(-2)).toEqual(['stopDevice(camera)', 'stopDevice(screen)']);

    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
    expectInvariants(room);
  });

  it('a device still starting is stopped once it has started', async () => {
    const room = await enterRoom(true);
    room.send({ type: 'media.start', device: 'camera', publish: true });
    room.send({ type: 'room.exit' });
    await room.settle(['exitRoom'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('exiting.releasing');
    await room.settle(['startDevice'], 'resolve');
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('stopping');
    await room.settle(['stopDevice'], 'resolve');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
  });

  it.each([
    ['a kick', { type: 'sdk.kickedOut', reason: 'kick' }, 'kicked'],
    ['a failed rejoin', { type: 'sdk.error', error: { code: 5400, message: 'rejoin failed' } }, 'idle'],
  ] as const)('after %s the devices are stopped without exitRoom', async (_, event, to) => {
    const room = await enterRoom(true);
    await turnOn(room, 'camera');
    room.send(event);
    expect(leafOf(room.actor.getSnapshot())).toBe(to);
    expect(room.actor.getSnapshot().context.local.camera.status).toBe('stopping');
    expect(sdkCalls(room).slice(-1)).toEqual(['stopDevice(camera)']);
    expect(room.pending(['exitRoom'])).toBeUndefined();
  });

  it('a stop that outlasts the release bound still reaches the context', async () => {
    const room = startRoom(true);
    await REACH['exiting.releasing, a device stopping'](room);
    await room.elapse(EXIT_MS);
    expect(room.actor.getSnapshot().context.local.microphone.status).toBe('stopping');
    await room.settle(['stopDevice'], 'resolve');
    expect(room.actor.getSnapshot().context.local.microphone.status).toBe('off');
    expect(leafOf(room.actor.getSnapshot())).toBe('idle');
    expectInvariants(room);
  });
});

describe('late completion of an abandoned call changes nothing', () => {
  const boundThenEnter = async (room: Room) => {
    await HAPPEN['enter bound passes'](room);
    room.send({ type: 'room.enter', target });
  };
  const cases: Array<{ call: CallName; reach: Source; leave: string; how: (room: Room) => Promise<void> }> = [
    { call: 'enterRoom', reach: 'entering', leave: 'room.destroy', how: HAPPEN['room.destroy'] },
    { call: 'enterRoom', reach: 'entering', leave: 'sdk.kickedOut', how: HAPPEN['sdk.kickedOut'] },
    { call: 'enterRoom', reach: 'entering', leave: 'the enter bound', how: HAPPEN['enter bound passes'] },
    // A new enter is in flight when the old call settles: only the new one may lead to inRoom.
    { call: 'enterRoom', reach: 'entering', leave: 'the enter bound, then a new enter', how: boundThenEnter },
    { call: 'switchRole', reach: 'inRoom.switchingRole', leave: 'sdk.kickedOut', how: HAPPEN['sdk.kickedOut'] },
    { call: 'switchRole', reach: 'inRoom.switchingRole', leave: 'the switch bound', how: HAPPEN['enter bound passes'] },
    { call: 'switchRoom', reach: 'inRoom.switchingRoom', leave: 'the switch bound, then a new enter', how: boundThenEnter },
    { call: 'switchRoom', reach: 'inRoom.switchingRoom', leave: 'a failed rejoin', how: HAPPEN['sdk.error 5400'] },
    { call: 'exitRoom', reach: 'exiting.leaving', leave: 'the exit bound', how: HAPPEN['exit bound passes'] },
  ];

  describe.each(cases)('$call, after $leave', ({ call, reach, how }) => {
    it.each(['resolve', 'reject'] as const)('settles late: %s', async (outcome) => {
      const room = startRoom(true);
      await REACH[reach](room);
      const abandoned = room.pending([call]);
      await how(room);

      const before = room.actor.getSnapshot();
      const logLength = room.log.length;
      room.emitted.length = 0;
      if (outcome === 'resolve') abandoned?.resolve();
      else abandoned?.reject(new Error('late'));
      await vi.advanceTimersByTimeAsync(0);

      expect(abandoned?.settled).toBe(true);
      expectUnchanged(room, before, logLength);
      expectInvariants(room);
    });
  });
});
