import { assign, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { DeviceStatus } from '../machines/device/device.types.js';
import type { RoomErrorCode } from '../errors.js';
import type { ConnectionStatus, KickReason, RoomStateName, UserRole } from '../machines/room/room.types.js';

/**
 * The camera as the model tracks it. `wedged`: on, but its next stop will never settle;
 * `stuck`: that stop was asked for and is still pending (the view shows `stopping`).
 */
export type ModelCamera = 'off' | 'on' | 'muted' | 'failed' | 'wedged' | 'stuck';

export interface RoomModelContext {
  /** The controller was given a factory, so a wedged instance is replaced instead of ending `destroyed`. */
  factory: boolean;
  camera: ModelCamera;
  screen: boolean;
  /** In the room: the role held and which room, the one entered (`first`) or the one switched to. */
  role: UserRole;
  room: 'first' | 'second';
  connection: 'connected' | 'reconnecting';
  warning: boolean;
  autoplayBlocked: boolean;
  /** Another user is in the first room. */
  others: boolean;
  exitRequested: boolean;
  destroyRequested: boolean;
  /** The instance is wedged: it is destroyed (and, with a factory, replaced) once the session ends. */
  retire: boolean;
  /**
   * A command past its bound (an enter with devices to stop, a switch) settles only once the
   * instance is retired: ENTER_TIMEOUT or SWITCH_FAILED then.
   */
  owed: 'enter' | 'switch' | null;
  error: RoomErrorCode | null;
  kickReason: KickReason | null;
}

/**
 * What the user does (`user.*`, `camera.*`, `screen.*`, `autoplay.resume`) and how the SDK, the
 * server, the browser and the network answer. `*.hang` means the bound passes with no answer.
 */
export type RoomModelEvent =
  | { type: 'user.enter' }
  | { type: 'user.exit' }
  | { type: 'user.destroy' }
  | { type: 'user.switchRole' }
  | { type: 'user.switchRoom' }
  | { type: 'enter.ok' }
  | { type: 'enter.fail' }
  /** Signalling is unreachable: the SDK keeps retrying and warns (5500/5501); only the bound ends the enter. */
  | { type: 'enter.stall' }
  | { type: 'enter.hang' }
  | { type: 'exit.ok' }
  /** exitRoom fails once, and the controller's second try works. */
  | { type: 'exit.blip' }
  | { type: 'exit.fail' }
  | { type: 'exit.hang' }
  | { type: 'switch.ok' }
  | { type: 'switch.fail' }
  | { type: 'switch.hang' }
  /** What the end of the session waits for (a device stop, an abandoned enter or room switch) never settles: the release bound passes. */
  | { type: 'release.hang' }
  | { type: 'kick'; reason: KickReason }
  | { type: 'connection.drop' }
  | { type: 'connection.warn' }
  | { type: 'connection.restore' }
  | { type: 'rejoin.fail' }
  | { type: 'camera.start' }
  | { type: 'camera.denied' }
  | { type: 'camera.stop' }
  | { type: 'camera.mute' }
  | { type: 'camera.unmute' }
  | { type: 'camera.update' }
  /** The camera stops answering: its next stop will never settle. */
  | { type: 'camera.hang' }
  | { type: 'screen.start' }
  | { type: 'screen.endedByBrowser' }
  | { type: 'autoplay.fail' }
  | { type: 'autoplay.resume' }
  | { type: 'remote.enter' }
  | { type: 'remote.exit' };

export type RoomModelEventType = RoomModelEvent['type'];

export const KICK_REASONS: readonly KickReason[] = ['kick', 'banned', 'room_disband'];

/** The events with a payload, in every variant; pass as `events` to `createTestModel`. */
export const roomModelEvents: readonly RoomModelEvent[] = KICK_REASONS.map((reason) => ({ type: 'kick', reason }));

type Ctx = RoomModelContext;
type Patch = Partial<Ctx>;

const stuck = (c: Ctx) => c.camera === 'wedged' || c.camera === 'stuck';
const busy = (c: Ctx) => c.camera !== 'off' || c.screen;

/** Every device the controller started is stopped; a wedged one stays `stopping`. */
const released = (c: Ctx): Patch => ({ camera: stuck(c) ? 'stuck' : 'off', screen: false });

/** What leaving the room (or never getting in) resets. */
const outOfRoom: Patch = {
  role: 'anchor',
  room: 'first',
  connection: 'connected',
  warning: false,
  autoplayBlocked: false,
  exitRequested: false,
};

/** The end of a session: destroyed, or idle; a retired instance is destroyed, and its devices go with it. */
function sessionEnd(c: Ctx): { target: 'destroyed' | 'idle'; patch: Patch } {
  if (c.destroyRequested || (c.retire && !c.factory)) return { target: 'destroyed', patch: { owed: null } };
  if (c.retire) return { target: 'idle', patch: { retire: false, owed: null, camera: 'off', screen: false } };
  return { target: 'idle', patch: { owed: null } };
}

const cameraEvents = {
  'camera.start': { guard: 'cameraStartable', actions: { type: 'set', params: { camera: 'on' } } },
  'camera.denied': { guard: 'cameraStartable', actions: { type: 'set', params: { camera: 'failed' } } },
  'camera.stop': { guard: 'cameraStoppable', actions: { type: 'set', params: { camera: 'off' } } },
  'camera.mute': { guard: 'cameraUnmuted', actions: { type: 'set', params: { camera: 'muted' } } },
  'camera.unmute': { guard: 'cameraMuted', actions: { type: 'set', params: { camera: 'on' } } },
  // A new profile: nothing the model shows changes (an action, so that `can()` counts the event).
  'camera.update': { guard: 'cameraUnmuted', actions: { type: 'set', params: {} } },
} as const;

const kickOut = [
  // A destroy asked for during a switch is still owed after the kick.
  { guard: 'destroyRequested', target: '#roomModel.ending', actions: 'kicked' },
  { target: '#roomModel.kicked', actions: 'kicked' },
] as const;

/** The SDK has left the room by itself: nothing to exit, the devices are released. */
const connectionLost = [{ type: 'recordError', params: { code: 'CONNECTION_LOST' } }, 'release'] as const;
const rejoinFailed = [
  { guard: 'destroyRequested', target: '#roomModel.ending', actions: connectionLost },
  { target: '#roomModel.idle', actions: connectionLost },
] as const;

/** Out of a room, destroy() first stops the devices still running (the view shows none after it either way). */
const destroyNow = [
  { guard: 'stuck', target: '#roomModel.exiting.releasing', actions: 'requestDestroy' },
  { guard: 'busy', target: '#roomModel.destroyed', actions: 'release' },
  { target: '#roomModel.destroyed' },
] as const;

/**
 * A switch past the bound wedges the instance: the room is left (exitRoom) and the instance
 * retired; the switch settles when that is done.
 */
const switchTimedOut = {
  target: '#roomModel.exiting',
  actions: [{ type: 'recordError', params: { code: 'SWITCH_FAILED' } }, 'retire', { type: 'set', params: { owed: 'switch' } }],
} as const;

/**
 * The room session as its user and the SDK see it. Every answer of the SDK is an explicit event,
 * so a path is a complete script: what the user does, and how each call ends.
 */
export const roomModel = setup({
  types: {
    context: {} as RoomModelContext,
    events: {} as RoomModelEvent,
    input: {} as { factory?: boolean } | undefined,
  },
  guards: {
    factory: ({ context }) => context.factory,
    stuck: ({ context }) => stuck(context),
    busy: ({ context }) => busy(context),
    exitOrDestroyRequested: ({ context }) => context.exitRequested || context.destroyRequested,
    exitNotRequested: ({ context }) => !context.exitRequested && !context.destroyRequested,
    destroyNotRequested: ({ context }) => !context.destroyRequested,
    destroyRequested: ({ context }) => context.destroyRequested,
    endsDestroyed: ({ context }) => sessionEnd(context).target === 'destroyed',
    cameraStartable: ({ context }) => context.camera === 'off' || context.camera === 'failed',
    cameraStoppable: ({ context }) => context.camera === 'on' || context.camera === 'muted' || context.camera === 'failed',
    cameraUnmuted: ({ context }) => context.camera === 'on',
    cameraMuted: ({ context }) => context.camera === 'muted',
    connected: ({ context }) => context.connection === 'connected',
    reconnecting: ({ context }) => context.connection === 'reconnecting',
    warnable: ({ context }) => context.connection === 'reconnecting' && !context.warning,
    autoplayPlaying: ({ context }) => !context.autoplayBlocked,
    autoplayBlocked: ({ context }) => context.autoplayBlocked,
    othersMayEnter: ({ context }) => context.room === 'first' && !context.others,
    othersMayExit: ({ context }) => context.room === 'first' && context.others,
    screenOff: ({ context }) => !context.screen,
    screenOn: ({ context }) => context.screen,
  },
  actions: {
    set: assign((_, params: Patch) => params),
    roleSwitched: assign({ role: ({ context }) => (context.role === 'anchor' ? 'audience' : 'anchor') }),
    // The SDK re-enters with the enter's options: the role is the enter's again.
    roomSwitched: assign({ role: 'anchor', room: ({ context }) => (context.room === 'first' ? 'second' : 'first') }),
    beginEnter: assign({ error: null, kickReason: null, ...outOfRoom }),
    release: assign(({ context }) => released(context)),
    loseDevices: assign({ camera: 'off', screen: false }),
    leaveRoom: assign(outOfRoom),
    endSession: assign(({ context }) => sessionEnd(context).patch),
    recordError: assign((_, params: { code: RoomErrorCode }) => ({ error: params.code })),
    retire: assign({ retire: true }),
    requestExit: assign({ exitRequested: true }),
    requestDestroy: assign({ destroyRequested: true }),
    kicked: assign(({ context, event }) => {
      const reason = event.type === 'kick' ? event.reason : 'banned';
      // A dismissed room puts out everyone in it.
      const others = reason === 'room_disband' && context.room === 'first' ? false : context.others;
      return { ...released(context), kickReason: reason, others };
    }),
  },
}).createMachine({
  id: 'roomModel',
  context: ({ input }) => ({
    factory: input?.factory ?? true,
    camera: 'off',
    screen: false,
    role: 'anchor',
    room: 'first',
    connection: 'connected',
    warning: false,
    autoplayBlocked: false,
    others: true,
    exitRequested: false,
    destroyRequested: false,
    retire: false,
    owed: null,
    error: null,
    kickReason: null,
  }),
  initial: 'idle',
  states: {
    idle: {
      entry: 'leaveRoom',
      on: {
        'user.enter': { target: 'entering', actions: 'beginEnter' },
        // Nothing to leave: exit() resolves at once.
        'user.exit': { actions: { type: 'set', params: {} } },
        'user.destroy': destroyNow,
        ...cameraEvents,
      },
    },

    entering: {
      initial: 'waiting',
      on: {
        'user.exit': { guard: 'exitNotRequested', actions: 'requestExit' },
        // destroy() ends an enter without waiting for it: devices running are stopped first.
        'user.destroy': [{ guard: 'busy', target: '#roomModel.ending', actions: ['requestDestroy', 'release'] }, { target: 'destroyed' }],
        // The wedged instance is destroyed (after stopping devices, not waiting for the enter) and,
        // with a factory, replaced; with devices to stop, enter() settles once that is done.
        'enter.hang': [
          {
            guard: 'busy',
            target: '#roomModel.ending',
            actions: [{ type: 'recordError', params: { code: 'ENTER_TIMEOUT' } }, 'retire', 'release', { type: 'set', params: { owed: 'enter' } }],
          },
          { guard: 'factory', target: 'idle', actions: { type: 'recordError', params: { code: 'ENTER_TIMEOUT' } } },
          { target: 'destroyed', actions: { type: 'recordError', params: { code: 'ENTER_TIMEOUT' } } },
        ],
      },
      states: {
        // The enterRoom call is out; its answer has not reached the controller yet.
        waiting: {
          on: {
            'enter.ok': [
              { guard: 'exitOrDestroyRequested', target: '#roomModel.exiting' },
              { target: '#roomModel.inRoom' },
            ],
            'enter.fail': { target: '#roomModel.idle', actions: { type: 'recordError', params: { code: 'ENTER_FAILED' } } },
            'enter.stall': { target: 'stalled', actions: { type: 'set', params: { warning: true } } },
            kick: { target: '#roomModel.kicked', actions: 'kicked' },
            'autoplay.fail': { guard: 'autoplayPlaying', actions: { type: 'set', params: { autoplayBlocked: true } } },
            'autoplay.resume': { guard: 'autoplayBlocked', actions: { type: 'set', params: { autoplayBlocked: false } } },
            ...cameraEvents,
          },
        },
        stalled: {},
      },
    },

    inRoom: {
      initial: 'active',
      entry: { type: 'set', params: { connection: 'connected', warning: false } },
      states: {
        active: {
          on: {
            'user.exit': '#roomModel.exiting',
            'user.destroy': { target: '#roomModel.exiting', actions: 'requestDestroy' },
            'user.switchRole': { guard: 'connected', target: 'switchingRole' },
            'user.switchRoom': { guard: 'connected', target: 'switchingRoom' },
            kick: kickOut,
            // A failed rejoin comes after the connection was lost.
            'rejoin.fail': { guard: 'reconnecting', target: '#roomModel.idle', actions: connectionLost },
            'connection.drop': { guard: 'connected', actions: { type: 'set', params: { connection: 'reconnecting' } } },
            'connection.warn': { guard: 'warnable', actions: { type: 'set', params: { warning: true } } },
            'connection.restore': { guard: 'reconnecting', actions: { type: 'set', params: { connection: 'connected', warning: false } } },
            'camera.hang': { guard: 'cameraUnmuted', actions: { type: 'set', params: { camera: 'wedged' } } },
            'screen.start': { guard: 'screenOff', actions: { type: 'set', params: { screen: true } } },
            'screen.endedByBrowser': { guard: 'screenOn', actions: { type: 'set', params: { screen: false } } },
            'autoplay.fail': { guard: 'autoplayPlaying', actions: { type: 'set', params: { autoplayBlocked: true } } },
            'autoplay.resume': { guard: 'autoplayBlocked', actions: { type: 'set', params: { autoplayBlocked: false } } },
            'remote.enter': { guard: 'othersMayEnter', actions: { type: 'set', params: { others: true } } },
            'remote.exit': { guard: 'othersMayExit', actions: { type: 'set', params: { others: false } } },
            ...cameraEvents,
          },
        },
        switchingRole: {
          on: {
            'switch.ok': [
              { guard: 'exitOrDestroyRequested', target: '#roomModel.exiting' },
              { target: 'active', actions: 'roleSwitched' },
            ],
            'switch.fail': [
              { guard: 'exitOrDestroyRequested', target: '#roomModel.exiting', actions: { type: 'recordError', params: { code: 'SWITCH_FAILED' } } },
              { target: 'active', actions: { type: 'recordError', params: { code: 'SWITCH_FAILED' } } },
            ],
            'switch.hang': switchTimedOut,
            'user.exit': { guard: 'exitNotRequested', actions: 'requestExit' },
            'user.destroy': { guard: 'destroyNotRequested', actions: 'requestDestroy' },
            kick: kickOut,
            'rejoin.fail': rejoinFailed,
          },
        },
        switchingRoom: {
          on: {
            kick: kickOut,
            'rejoin.fail': rejoinFailed,
            'switch.ok': [
              { guard: 'exitOrDestroyRequested', target: '#roomModel.exiting' },
              { target: 'active', actions: 'roomSwitched' },
            ],
            // Where the SDK stands after a failed switch is unknown: the controller leaves.
            'switch.fail': { target: '#roomModel.exiting', actions: { type: 'recordError', params: { code: 'SWITCH_FAILED' } } },
            'switch.hang': switchTimedOut,
            'user.exit': { guard: 'exitNotRequested', actions: 'requestExit' },
            'user.destroy': { guard: 'destroyNotRequested', actions: 'requestDestroy' },
          },
        },
      },
    },

    exiting: {
      initial: 'leaving',
      entry: 'leaveRoom',
      on: {
        'user.exit': { guard: 'exitNotRequested', actions: 'requestExit' },
        'user.destroy': { guard: 'destroyNotRequested', actions: 'requestDestroy' },
      },
      states: {
        // exitRoom is out; one that fails is tried once more (`exit.fail` is two failures).
        leaving: {
          on: {
            'exit.ok': { target: '#roomModel.ending', actions: 'release' },
            'exit.blip': { target: '#roomModel.ending', actions: 'release' },
            'exit.fail': {
              target: '#roomModel.ending',
              actions: [{ type: 'recordError', params: { code: 'EXIT_FAILED' } }, 'retire', 'release'],
            },
            'exit.hang': {
              target: '#roomModel.ending',
              actions: [{ type: 'recordError', params: { code: 'EXIT_TIMEOUT' } }, 'retire', 'release'],
            },
          },
        },
        // A device stop, an enter or a room switch that never settles holds the end of the session until the bound.
        releasing: {
          on: {
            'release.hang': [
              { guard: 'endsDestroyed', target: '#roomModel.destroyed', actions: 'endSession' },
              { target: '#roomModel.idle', actions: 'endSession' },
            ],
          },
        },
      },
    },

    // Not a state anyone sees: where a session goes once its devices are being released.
    ending: {
      always: [
        { guard: 'stuck', target: 'exiting.releasing' },
        { guard: 'endsDestroyed', target: 'destroyed', actions: 'endSession' },
        { target: 'idle', actions: 'endSession' },
      ],
    },

    kicked: {
      entry: 'leaveRoom',
      on: {
        'user.enter': { target: 'entering', actions: 'beginEnter' },
        'user.exit': { actions: { type: 'set', params: {} } },
        'user.destroy': destroyNow,
      },
    },

    // The SDK's destroy() stops every local track.
    destroyed: { type: 'final', entry: ['leaveRoom', 'loseDevices'] },
  },
});

export type RoomModel = typeof roomModel;
export type RoomModelSnapshot = SnapshotFrom<RoomModel>;

/** The top-level state of a model snapshot: the controller's state for the same path. */
export function modelState(snapshot: RoomModelSnapshot): RoomStateName {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as RoomStateName;
}

/** What `room.view()` shows in a model state. */
export interface ExpectedView {
  state: RoomStateName;
  camera: DeviceStatus;
  cameraMuted: boolean;
  screen: DeviceStatus;
  connection: ConnectionStatus;
  role: UserRole | undefined;
  error: RoomErrorCode | undefined;
  kickReason: KickReason | undefined;
  warning: boolean;
  autoplayBlocked: boolean;
  /** How many other users are shown; undefined while it depends on when the SDK's events come (entering, switching room). */
  remoteUsers: number | undefined;
}

const CAMERA_VIEW: Record<ModelCamera, DeviceStatus> = {
  off: 'off',
  on: 'on',
  muted: 'on',
  failed: 'failed',
  wedged: 'on',
  stuck: 'stopping',
};

export function expectedView(snapshot: RoomModelSnapshot): ExpectedView {
  const c = snapshot.context;
  const state = modelState(snapshot);
  const inRoom = state === 'inRoom';
  const switchingRoom = snapshot.matches({ inRoom: 'switchingRoom' });
  return {
    state,
    camera: CAMERA_VIEW[c.camera],
    cameraMuted: c.camera === 'muted',
    screen: c.screen ? 'on' : 'off',
    connection: inRoom ? c.connection : 'disconnected',
    role: inRoom || state === 'entering' ? c.role : undefined,
    error: c.error ?? undefined,
    kickReason: c.kickReason ?? undefined,
    warning: c.warning,
    autoplayBlocked: c.autoplayBlocked,
    remoteUsers: state === 'entering' || switchingRoom ? undefined : inRoom && c.room === 'first' && c.others ? 1 : 0,
  };
}
