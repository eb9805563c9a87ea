import { and } from 'xstate';
import type { RoomError } from './room.errors.js';
import { initialContext, roomErrors, roomSetup, toConnectionStatus } from './room.setup.js';
import type { DeviceCommand } from './room.setup.js';
import type { DeviceEvent } from '../device/device.types.js';
import type { RemoteChange, RoomContext, SdkErrorInfo } from './room.types.js';

/** Records an error in the snapshot and emits it, as one RoomError. */
function reportError<A>(toError: (args: A) => RoomError) {
  return [
    { type: 'recordError', params: (args: A) => ({ error: toError(args) }) },
    { type: 'emitError', params: (args: A) => ({ error: toError(args) }) },
  ] as const;
}

type WithEvent<E> = { event: E };
type WithContext = { context: RoomContext };

const enterFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.enterFailed(event.error));
const exitFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.exitFailed(event.error));
const switchRoleFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.switchFailed('switchRole', event.error));
const switchRoomFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.switchFailed('switchRoom', event.error));
const connectionLost = reportError(({ event }: WithEvent<{ error: SdkErrorInfo }>) => roomErrors.fromEvent(event.error));
const enterTimedOut = reportError(({ context }: WithContext) => roomErrors.enterTimeout(context));
const exitTimedOut = reportError(({ context }: WithContext) => roomErrors.exitTimeout(context));
const switchRoleTimedOut = reportError(({ context }: WithContext) => roomErrors.switchTimeout(context, 'switchRole'));
const switchRoomTimedOut = reportError(({ context }: WithContext) => roomErrors.switchTimeout(context, 'switchRoom'));

const replaceWedgedInstance = ['destroyInstance', 'renewInstance', 'countNewInstance'] as const;
// A device still running when its instance is destroyed is gone with it.
const beginEnter = { type: 'beginEnter', params: ({ event }: WithEvent<{ target: RoomContext['target'] & object }>) => ({ target: event.target }) } as const;
const recordKick = { type: 'recordKick', params: ({ event }: WithEvent<{ reason: RoomContext['kickReason'] & string }>) => ({ reason: event.reason }) } as const;
/**
 * The roster lives outside the snapshot, applied as the SDK reports it (O(1) per event); its
 * notice, one per burst, tells subscribers, listeners and inspectors that remoteUsers changed.
 */
const rosterChanged = {
  type: 'emitRemoteUsersChanged',
  params: ({ event }: WithEvent<{ count: number; changes: readonly RemoteChange[] }>) => ({ count: event.count, changes: event.changes }),
} as const;

type DeviceKind = 'microphone' | 'camera' | 'screen';
const toDevice = (device: DeviceKind, event: DeviceEvent) => ({ type: 'sendToDevice', params: { device, event } as DeviceCommand }) as const;

const forward = (type: 'device.stop' | 'device.update') =>
  ({
    actions: {
      type: 'sendToDevice',
      params: ({ event }: WithEvent<{ device: DeviceKind }>): DeviceCommand => ({ device: event.device, event: { type } }),
    },
  }) as const;

/** Local media commands, taken where devices may run: idle (preview), entering and inRoom. */
const mediaCommands = {
  'media.start': {
    actions: {
      type: 'sendToDevice',
      params: ({ event }: WithEvent<{ device: DeviceKind; muted?: boolean }>): DeviceCommand => ({
        device: event.device,
        event: { type: 'device.start', muted: event.muted === true },
      }),
    },
  },
  'media.stop': forward('device.stop'),
  'media.update': forward('device.update'),
  'media.mute': {
    actions: {
      type: 'sendToDevice',
      params: ({ event }: WithEvent<{ device: DeviceKind; muted: boolean }>): DeviceCommand => ({
        device: event.device,
        event: { type: 'device.mute', muted: event.muted },
      }),
    },
  },
} as const;

/** In a room, the SDK refuses to publish for a live-scene audience (5107): the machine refuses first. */
const mediaCommandsInRoom = {
  ...mediaCommands,
  'media.start': {
    ...mediaCommands['media.start'],
    guard: { type: 'mayPublish', params: ({ event }: WithEvent<{ publish: boolean }>) => ({ publish: event.publish }) },
  },
} as const;

const releaseDevices = [
  toDevice('microphone', { type: 'device.release' }),
  toDevice('camera', { type: 'device.release' }),
  toDevice('screen', { type: 'device.release' }),
] as const;

const loseDevices = [
  toDevice('microphone', { type: 'device.lost' }),
  toDevice('camera', { type: 'device.lost' }),
  toDevice('screen', { type: 'device.lost' }),
] as const;


/**
 * The life of one TRTC room session. The SDK's rules hold because of where transitions go:
 * - `kicked` is reached without `exitRoom` (the SDK has left already) and listens to nothing;
 * - `destroyed` is final, so nothing runs after it, and it is entered once, after the devices
 *   the controller started have been stopped;
 * - enterRoom, exitRoom, switchRole and switchRoom live in different states, so they never overlap;
 * - every SDK call has a bound (`after`), and a call past its bound retires the instance.
 * The three local devices are child machines (device.machine.ts) that report their status here.
 */
export const roomMachine = roomSetup.createMachine({
  id: 'room',
  context: ({ input }) => initialContext(input),
  invoke: [
    { id: 'microphone', src: 'localDevice', input: { kind: 'microphone' } },
    { id: 'camera', src: 'localDevice', input: { kind: 'camera' } },
    { id: 'screen', src: 'localDevice', input: { kind: 'screen' } },
  ],
  on: {
    'device.status': {
      actions: [
        {
          type: 'recordDevice',
          params: ({ event }) => ({ kind: event.kind, report: { status: event.status, muted: event.muted, error: event.error } }),
        },
      ],
    },
  },
  initial: 'idle',
  states: {
    idle: {
      entry: ['clearRoster', 'leaveRoomView'],
      // A destroy asked for during a switch that ended without us (a failed rejoin) is still owed.
      always: { guard: 'destroyRequested', target: '#room.exiting.releasing' },
      on: {
        'room.enter': { target: 'entering', actions: beginEnter },
        'room.destroy': [
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: 'requestDestroy' },
          { target: 'destroyed' },
        ],
        ...mediaCommands,
      },
    },

    entering: {
      invoke: [
        // Listening starts before the call, so nothing the SDK says while entering is missed.
        { id: 'sdkEvents', src: 'sdkEvents' },
        {
          id: 'enterRoom',
          src: 'enterRoom',
          input: ({ context }) => ({ target: context.target }),
          onDone: [{ guard: 'exitRequested', target: 'exiting' }, { target: 'inRoom' }],
          onError: { target: 'idle', actions: enterFailed },
        },
      ],
      after: {
        enterTimeout: [
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: [...enterTimedOut, 'requestRetire'] },
          { guard: 'canRenewInstance', target: 'idle', actions: [...enterTimedOut, ...replaceWedgedInstance] },
          { target: 'destroyed', actions: enterTimedOut },
        ],
      },
      on: {
        // An enterRoom cannot be cancelled in the SDK: wait for it, then leave if it entered.
        'room.exit': { actions: 'requestExit' },
        // destroy() is the only way to end an enterRoom that never settles.
        'room.destroy': [
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: 'requestDestroy' },
          { target: 'destroyed' },
        ],
        'sdk.kickedOut': { target: 'kicked', actions: recordKick },
        'sdk.error': {
          actions: [
            { type: 'recordWarning', params: ({ event }) => ({ error: event.error }) },
            { type: 'emitWarning', params: ({ event }) => ({ error: event.error }) },
          ],
        },
        'sdk.remote': { actions: rosterChanged },
        'sdk.autoplayFailed': { actions: { type: 'setAutoplayBlocked', params: { blocked: true } } },
        'room.autoplayResumed': { actions: { type: 'setAutoplayBlocked', params: { blocked: false } } },
        ...mediaCommandsInRoom,
      },
    },

    inRoom: {
      initial: 'active',
      entry: [{ type: 'setConnection', params: { status: 'connected' } }, 'emitConnection', 'emitEntered'],
      exit: [{ type: 'setConnection', params: { status: 'disconnected' } }, 'emitConnection'],
      invoke: { id: 'sdkEvents', src: 'sdkEvents' },
      on: {
        'sdk.kickedOut': { target: 'kicked', actions: recordKick },
        'sdk.error': [
          {
            // A failed rejoin: the SDK has left the room by itself, so there is nothing to exit.
            guard: { type: 'isRejoinFailure', params: ({ event }) => ({ error: event.error }) },
            target: 'idle',
            actions: [...connectionLost, ...releaseDevices],
          },
          {
            actions: [
              { type: 'recordWarning', params: ({ event }) => ({ error: event.error }) },
              { type: 'emitWarning', params: ({ event }) => ({ error: event.error }) },
            ],
          },
        ],
        'sdk.connectionChanged': {
          guard: { type: 'isNewConnectionStatus', params: ({ event }) => ({ state: event.state }) },
          actions: [
            { type: 'setConnection', params: ({ event }) => ({ status: toConnectionStatus(event.state) }) },
            'emitConnection',
          ],
        },
        'sdk.remote': { actions: rosterChanged },
        'sdk.networkQuality': { actions: { type: 'setNetwork', params: ({ event }) => ({ network: event.network }) } },
        'sdk.autoplayFailed': { actions: { type: 'setAutoplayBlocked', params: { blocked: true } } },
        'room.autoplayResumed': { actions: { type: 'setAutoplayBlocked', params: { blocked: false } } },
        ...mediaCommandsInRoom,
      },
      states: {
        active: {
          always: [
            { guard: 'destroyRequested', target: '#room.exiting' },
            { guard: 'exitRequested', target: '#room.exiting' },
          ],
          on: {
            'room.exit': '#room.exiting',
            'room.destroy': { target: '#room.exiting', actions: 'requestDestroy' },
            'room.switchRole': 'switchingRole',
            'room.switchRoom': 'switchingRoom',
          },
        },
        // Role and room switches are lifecycle calls too: exit and destroy wait for them.
        switchingRole: {
          invoke: {
            id: 'switchRole',
            src: 'switchRole',
            input: ({ event }) => ({ role: event.type === 'room.switchRole' ? event.role : 'anchor' }),
            onDone: {
              target: 'active',
              actions: [{ type: 'setRole', params: ({ event }) => ({ role: event.output }) }, 'emitRoleChanged'],
            },
            onError: { target: 'active', actions: switchRoleFailed },
          },
          after: { enterTimeout: { target: '#room.exiting.releasing', actions: [...switchRoleTimedOut, 'requestRetire', 'emitExited'] } },
          on: {
            'room.exit': { actions: 'requestExit' },
            'room.destroy': { actions: 'requestDestroy' },
          },
        },
        switchingRoom: {
          // The SDK may leave the old room and enter the new one: the roster starts afresh.
          entry: 'clearRoster',
          invoke: {
            id: 'switchRoom',
            src: 'switchRoom',
            input: ({ event }) => ({ room: event.type === 'room.switchRoom' ? event.room : {} }),
            onDone: {
              target: 'active',
              actions: [
                { type: 'setRoom', params: ({ event }) => ({ room: event.output }) },
                { type: 'emitRoomSwitched', params: ({ event }) => ({ room: event.output }) },
                // The SDK re-entered with the enter's role: say which role is held now.
                'emitRoleChanged',
              ],
            },
            // Where the SDK stands after a failed switch is unknown: leave cleanly (exitRoom is harmless out of a room).
            onError: { target: '#room.exiting', actions: switchRoomFailed },
          },
          after: { enterTimeout: { target: '#room.exiting.releasing', actions: [...switchRoomTimedOut, 'requestRetire', 'emitExited'] } },
          on: {
            'room.exit': { actions: 'requestExit' },
            'room.destroy': { actions: 'requestDestroy' },
          },
        },
      },
    },

    exiting: {
      initial: 'leaving',
      entry: ['clearRoster', 'leaveRoomView'],
      states: {
        leaving: {
          exit: 'emitExited',
          invoke: {
            id: 'exitRoom',
            src: 'exitRoom',
            onDone: 'releasing',
            onError: { target: 'releasing', actions: [...exitFailed, 'requestRetire'] },
          },
          after: { exitTimeout: { target: 'releasing', actions: [...exitTimedOut, 'requestRetire'] } },
        },
        // Every device the controller started is stopped before the session ends, and no SDK
        // call is left in flight (an abandoned enter that succeeds meanwhile is left by the adapter).
        releasing: {
          entry: [...releaseDevices, 'clearDrained'],
          invoke: { id: 'lifecycleSettled', src: 'lifecycleSettled', onDone: { actions: 'markDrained' } },
          always: { guard: and(['devicesReleased', 'lifecycleDrained']), target: 'done' },
          after: { exitTimeout: 'done' },
        },
        done: {
          always: [
            { guard: 'destroyRequested', target: '#room.destroyed' },
            // A wedged instance is destroyed, and replaced when there is a factory.
            { guard: and(['retireRequested', 'canRenewInstance']), target: '#room.idle', actions: [...replaceWedgedInstance, ...loseDevices] },
            { guard: 'retireRequested', target: '#room.destroyed' },
            { target: '#room.idle' },
          ],
        },
      },
      on: {
        // exit() joins the exit in flight; destroy() waits for it, then destroys.
        'room.destroy': { actions: 'requestDestroy' },
      },
    },

    kicked: {
      entry: ['emitKicked', ...releaseDevices, 'clearRoster', 'leaveRoomView'],
      // A destroy asked for during a switch that a kick ended is still owed.
      always: { guard: 'destroyRequested', target: '#room.exiting.releasing' },
      on: {
        'room.enter': { target: 'entering', actions: beginEnter },
        'room.destroy': [
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: 'requestDestroy' },
          { target: 'destroyed' },
        ],
      },
    },

    destroyed: {
      type: 'final',
      entry: ['destroyInstance', 'clearRoster', 'leaveRoomView', 'emitDestroyed'],
    },
  },
});

export type RoomMachine = typeof roomMachine;
