import { and, not, or } from 'xstate';
import { initialContext, roomSetup } from './room.setup.js';
import {
  abandonRemoteCalls,
  connectionChanged,
  connectionLost,
  destroyOutOfRoom,
  endCall,
  endRemoteCall,
  enterFailed,
  endLapse,
  enterUnheard,
  enterTimedOut,
  enterTimedOutReleasing,
  exitFailed,
  exitTimedOut,
  loseDevices,
  mediaCommands,
  mediaCommandsInRoom,
  reconnectGraceEnded,
  refuseDuplicate,
  refuseRemoteCall,
  releaseDevices,
  remoteCallAnsweredInRoom,
  retireInstance,
  roleSwitched,
  roomSwitched,
  settle,
  leavingUnheard,
  sessionUnheard,
  settleSessionEnd,
  startEnterRoom,
  startRemoteCall,
  startSwitchRole,
  startSwitchRoom,
  switchFailed,
  switchTimedOut,
  switchUnheard,
  warnDuplicate,
} from './room.actions.js';

/**
 * The life of one TRTC room session. The SDK's rules hold because of where transitions go:
 * - `kicked` is reached without `exitRoom` (the SDK has left already), and a kick or a failed
 *   rejoin heard while leaving stops any retry of exitRoom;
 * - `destroyed` is final, so nothing runs after it, and it is entered once;
 * - a lifecycle call (enterRoom, switchRole, switchRoom) is spawned and tracked in
 *   `callInFlight` until the SDK answers, even after its state has stopped waiting for it: a new
 *   enterRoom waits for it (`entering.waitingForCall`), so calls never overlap;
 * - every SDK call has a bound (`after`). An instance that passes one is retired with the least
 *   damage: one that may be in a room is left first (exitRoom, tried twice), one that is only
 *   entering is destroyed without waiting for the enter (that ends it); devices the controller
 *   started are stopped before any destroy;
 * - an instance that throws when a listener is added (`sdk.listenerRefused`) cannot tell of a kick:
 *   its session ends (the room is left if it may be in one) and the instance is retired. So
 *   enterRoom waits for every listener to be in place (`sdk.listening`), and so does `entered`,
 *   the app's cue to switch.
 * Each command's ending is emitted (`enter.settled`, `exit.settled`, `switch.settled`,
 * `remote.settled`, `media.settled`) when the controller is usable again; the controller only maps
 * it to a promise. The three local devices are child machines (device.machine.ts).
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
    'device.status': { actions: 'recordDevice' },
    'device.settled': { actions: 'emitMediaSettled' },
    // A call given up on answers late: the SDK may take the next lifecycle call. Where the root
    // takes it (kicked, idle, entering.waitingForCall) it was given up on because the SDK left the
    // room by itself (a kick, a failed rejoin): its success does not put the SDK back in a room
    // (as the SDK does when kicked while entering), so it needs nothing. `exiting` leaves a room
    // that such a call did get into (see releasing).
    'xstate.done.actor.enterRoom': { actions: endCall },
    'xstate.error.actor.enterRoom': { actions: endCall },
    'xstate.done.actor.switchRole': { actions: endCall },
    'xstate.error.actor.switchRole': { actions: endCall },
    'xstate.done.actor.switchRoom': { actions: endCall },
    'xstate.error.actor.switchRoom': { actions: endCall },
    // A remote call that answers outside a room settles its command and changes nothing else.
    'remote.done': { actions: endRemoteCall },
    // Remote media needs a session that is not winding down: idle, entering and inRoom take it.
    'remote.call': [
      { guard: 'isInstanceSetting', actions: startRemoteCall },
      { actions: refuseRemoteCall('the room is being left, or was left by a kick; enter() again first') },
    ],
  },
  initial: 'idle',
  states: {
    idle: {
      entry: ['clearRoster', 'forgetRoomDetails', settleSessionEnd],
      // A destroy asked for during a switch that ended without us (a failed rejoin) is still owed.
      always: { guard: 'destroyRequested', target: 'exiting.releasing' },
      on: {
        'room.enter': [
          // Another tab of this browser is in that room as that user, and the app refuses to kick it.
          { guard: 'refusesDuplicate', actions: refuseDuplicate },
          { target: 'entering', actions: ['beginEnter', warnDuplicate] },
        ],
        'room.exit': { actions: settle('exit') },
        'room.destroy': destroyOutOfRoom,
        'remote.call': { actions: startRemoteCall },
        ...mediaCommands,
      },
    },

    entering: {
      // Listening starts before the call, so nothing the SDK says while entering is missed.
      invoke: { id: 'sdkEvents', src: 'sdkEvents', input: { roster: true } },
      initial: 'subscribing',
      states: {
        // enterRoom goes only to an instance that can tell of a kick: one whose every listener
        // was added. One that refused (sdk.listenerRefused) is retired with no enterRoom at all.
        subscribing: {
          on: {
            'sdk.listening': 'waitingForCall',
            'room.exit': { target: '#room.idle', actions: ['requestExit', settle('enter', 'CANCELLED')] },
          },
        },
        // The SDK refuses an enterRoom while an earlier call is in flight (5998): wait for it.
        // With none in flight (the usual case) the enter starts at once.
        waitingForCall: {
          always: { guard: not('callInFlight'), target: 'calling' },
          on: {
            // Nothing was asked of the SDK yet: the enter is simply dropped.
            'room.exit': { target: '#room.idle', actions: ['requestExit', settle('enter', 'CANCELLED')] },
          },
        },
        // Only this state's own enterRoom answers here; an earlier one answers at the root.
        calling: {
          entry: startEnterRoom,
          on: {
            'xstate.done.actor.enterRoom': [
              { guard: 'exitRequested', target: '#room.exiting', actions: [endCall, settle('enter', 'CANCELLED')] },
              { target: '#room.inRoom', actions: [endCall, settle('enter')] },
            ],
            'xstate.error.actor.enterRoom': { target: '#room.idle', actions: [endCall, ...enterFailed] },
          },
        },
      },
      on: {
        // An enterRoom cannot be cancelled in the SDK: wait for it, then leave if it entered.
        'room.exit': { actions: 'requestExit' },
        // destroy() is the only way to end an enterRoom that never settles; the SDK is not in a room
        // yet. Devices are stopped first, without waiting for the enter.
        'room.destroy': [
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: ['requestDestroy', settle('enter', 'DESTROYED')] },
          { target: 'destroyed', actions: ['requestDestroy', settle('enter', 'DESTROYED')] },
        ],
        'sdk.kickedOut': { target: 'kicked', actions: ['recordKick', settle('enter', 'KICKED')] },
        'sdk.listenerRefused': enterUnheard,
        // Another tab is entering as this user: the SDK will kick this session (kick).
        'presence.duplicate': { actions: warnDuplicate },
        'sdk.error': { actions: ['recordWarning', 'emitWarning'] },
        'sdk.remote': { actions: 'emitRemoteUsersChanged' },
        'sdk.autoplayFailed': { actions: { type: 'setAutoplayBlocked', params: { blocked: true } } },
        'remote.call': { actions: startRemoteCall },
        'remote.done': remoteCallAnsweredInRoom,
        ...mediaCommandsInRoom,
      },
      after: {
        // A wedged enter: destroying the instance ends it and stops its tracks, in this very step.
        enterBound: [
          // Devices are stopped first (quick: the SDK stops a track while an enter hangs), without
          // waiting for the enter; then the instance is destroyed, which ends the hung enterRoom.
          { guard: 'devicesActive', target: '#room.exiting.releasing', actions: enterTimedOutReleasing },
          { guard: 'canRenewInstance', target: 'idle', actions: [...enterTimedOut, ...retireInstance] },
          { target: 'destroyed', actions: enterTimedOut },
        ],
      },
    },

    inRoom: {
      initial: 'active',
      entry: [{ type: 'setConnection', params: { status: 'connected' } }, 'emitConnection'],
      exit: [endLapse, { type: 'setConnection', params: { status: 'disconnected' } }, 'emitConnection'],
      invoke: { id: 'sdkEvents', src: 'sdkEvents', input: { roster: true } },
      on: {
        // The app hears it is in the room once the room's listeners are in place, so a switch it
        // asks for then goes to an instance that can tell of a kick.
        'sdk.listening': { actions: 'emitEntered' },
        'sdk.kickedOut': { target: 'kicked', actions: 'recordKick' },
        // The SDK cannot tell of a kick: the room is left, then the instance retired.
        'sdk.listenerRefused': { target: '#room.exiting', actions: sessionUnheard },
        'presence.duplicate': { actions: warnDuplicate },
        'sdk.error': [
          // A failed rejoin: the SDK has left the room by itself, so there is nothing to exit.
          { guard: 'isRejoinFailure', target: 'idle', actions: [...connectionLost(), ...releaseDevices] },
          { actions: ['recordWarning', 'emitWarning'] },
        ],
        'sdk.connectionChanged': connectionChanged,
        'connection.graceEnded': reconnectGraceEnded,
        'sdk.remote': { actions: 'emitRemoteUsersChanged' },
        'sdk.networkQuality': { actions: 'setNetwork' },
        'sdk.autoplayFailed': { actions: { type: 'setAutoplayBlocked', params: { blocked: true } } },
        'remote.call': { actions: startRemoteCall },
        'remote.done': remoteCallAnsweredInRoom,
        ...mediaCommandsInRoom,
      },
      states: {
        active: {
          always: [
            { guard: 'destroyRequested', target: '#room.exiting' },
            { guard: 'exitRequested', target: '#room.exiting' },
          ],
          on: {
            'room.exit': { target: '#room.exiting', actions: 'requestExit' },
            'room.destroy': { target: '#room.exiting', actions: 'requestDestroy' },
            'room.switchRole': 'switchingRole',
            'room.switchRoom': 'switchingRoom',
          },
        },
        // Role and room switches are lifecycle calls too: exit and destroy wait for them (bounded).
        switchingRole: {
          entry: startSwitchRole,
          on: {
            'xstate.done.actor.switchRole': [
              // exit() or destroy() came meanwhile: the room is left at once, so the switch is moot.
              { guard: 'leaveRequested', target: 'active', actions: [...roleSwitched, settle('switch', 'CANCELLED')] },
              { target: 'active', actions: [...roleSwitched, settle('switch')] },
            ],
            'xstate.error.actor.switchRole': { target: 'active', actions: [endCall, ...switchFailed('switchRole')] },
            'room.exit': { actions: 'requestExit' },
            'room.destroy': { actions: 'requestDestroy' },
            'sdk.listenerRefused': { target: '#room.exiting', actions: switchUnheard },
            // The switch is left in flight (callInFlight): a new enter waits for it.
            'sdk.kickedOut': { target: '#room.kicked', actions: ['recordKick', settle('switch', 'KICKED')] },
            'sdk.error': [
              { guard: 'isRejoinFailure', target: '#room.idle', actions: [...connectionLost('switch'), ...releaseDevices] },
              { actions: ['recordWarning', 'emitWarning'] },
            ],
          },
          // The SDK may still be in the room: leave it (exitRoom) before the instance is destroyed.
          after: { switchBound: { target: '#room.exiting', actions: switchTimedOut('switchRole') } },
        },
        switchingRoom: {
          // The SDK may leave the old room and enter the new one: the roster starts afresh.
          entry: ['clearRoster', startSwitchRoom],
          on: {
            'xstate.done.actor.switchRoom': [
              { guard: 'leaveRequested', target: 'active', actions: [...roomSwitched, settle('switch', 'CANCELLED')] },
              { target: 'active', actions: [...roomSwitched, settle('switch')] },
            ],
            // Where the SDK stands after a failed switch is unknown: leave cleanly (exitRoom is harmless out of a room).
            'xstate.error.actor.switchRoom': { target: '#room.exiting', actions: [endCall, ...switchFailed('switchRoom')] },
            'room.exit': { actions: 'requestExit' },
            'room.destroy': { actions: 'requestDestroy' },
            'sdk.listenerRefused': { target: '#room.exiting', actions: switchUnheard },
            'sdk.kickedOut': { target: '#room.kicked', actions: ['recordKick', settle('switch', 'KICKED')] },
            'sdk.error': [
              { guard: 'isRejoinFailure', target: '#room.idle', actions: [...connectionLost('switch'), ...releaseDevices] },
              { actions: ['recordWarning', 'emitWarning'] },
            ],
          },
          after: { switchBound: { target: '#room.exiting', actions: switchTimedOut('switchRoom') } },
        },
      },
    },

    exiting: {
      initial: 'leaving',
      entry: ['clearRoster', 'forgetRoomDetails', 'clearExitError'],
      // Only what ends a session is heard here: after a kick or a failed rejoin the SDK is out of
      // the room, so exitRoom is not called (again), nor for a call given up on that answers late.
      invoke: { id: 'sdkEvents', src: 'sdkEvents', input: { roster: false } },
      on: {
        // exit() joins the exit in flight; destroy() waits for it, then destroys.
        'room.exit': { actions: 'requestExit' },
        'room.destroy': { actions: 'requestDestroy' },
        'sdk.kickedOut': { actions: 'recordSdkLeft' },
        'sdk.error': { guard: 'isRejoinFailure', actions: 'recordSdkLeft' },
        // The room is still left (exitRoom), unheard; the instance is retired after. Once it is to
        // be retired or destroyed anyway, a refusal (again) changes nothing and is not told again.
        'sdk.listenerRefused': { guard: not(or(['retireRequested', 'destroyRequested'])), actions: leavingUnheard },
      },
      states: {
        leaving: {
          exit: 'emitExited',
          initial: 'waitingForCall',
          states: {
            // A switch given up on is still out. The SDK's exitRoom would wait for it anyway, and a
            // destroy() now would leave the user in the room (5100): wait for the SDK's own answer
            // (it gives up on a switch after ~10 s), then leave.
            waitingForCall: {
              always: [
                { guard: 'sdkLeft', target: '#room.exiting.releasing' },
                { guard: not('callInFlight'), target: 'calling' },
              ],
              after: { abandonedCallBound: 'calling' },
            },
            calling: {
              invoke: {
                id: 'exitRoom',
                src: 'exitRoom',
                onDone: '#room.exiting.releasing',
                onError: [{ guard: 'sdkLeft', target: '#room.exiting.releasing' }, { target: 'retrying' }],
              },
              after: { exitBound: { target: '#room.exiting.releasing', actions: [...exitTimedOut, 'requestRetire'] } },
            },
            // One more try: a failed exitRoom is cheap to repeat, and a destroy() in the room is not.
            retrying: {
              invoke: {
                id: 'exitRoom',
                src: 'exitRoom',
                onDone: '#room.exiting.releasing',
                onError: [
                  { guard: 'sdkLeft', target: '#room.exiting.releasing' },
                  { target: '#room.exiting.releasing', actions: [...exitFailed, 'requestRetire'] },
                ],
              },
              after: { exitBound: { target: '#room.exiting.releasing', actions: [...exitTimedOut, 'requestRetire'] } },
            },
          },
        },
        // Every device the controller started is stopped before the session ends.
        releasing: {
          entry: releaseDevices,
          on: {
            // An enter or room switch given up on got in after all, and no kick came: leave that room too.
            'xstate.done.actor.enterRoom': [{ guard: not('sdkLeft'), target: 'leaving', actions: endCall }, { actions: endCall }],
            'xstate.done.actor.switchRoom': [{ guard: not('sdkLeft'), target: 'leaving', actions: endCall }, { actions: endCall }],
          },
          always: { guard: 'devicesReleased', target: 'done' },
          after: { exitBound: 'done' },
        },
        done: {
          always: [
            { guard: and(['destroyRequested', 'retireRequested']), target: '#room.destroyed', actions: loseDevices },
            { guard: 'destroyRequested', target: '#room.destroyed' },
            // A wedged instance is destroyed, and replaced when there is a factory.
            { guard: and(['retireRequested', 'canRenewInstance']), target: '#room.idle', actions: [...retireInstance, ...loseDevices] },
            { guard: 'retireRequested', target: '#room.destroyed', actions: loseDevices },
            { target: '#room.idle' },
          ],
        },
      },
    },

    kicked: {
      entry: ['emitKicked', ...releaseDevices, 'clearRoster', 'forgetRoomDetails', settleSessionEnd],
      // A destroy asked for during a switch that a kick ended is still owed.
      always: { guard: 'destroyRequested', target: 'exiting.releasing' },
      on: {
        'room.enter': [
          // Another tab of this browser is in that room as that user, and the app refuses to kick it.
          { guard: 'refusesDuplicate', actions: refuseDuplicate },
          { target: 'entering', actions: ['beginEnter', warnDuplicate] },
        ],
        'room.exit': { actions: settle('exit') },
        'room.destroy': destroyOutOfRoom,
      },
    },

    destroyed: {
      type: 'final',
      entry: [endCall, 'destroyInstance', 'clearRoster', 'forgetRoomDetails', settleSessionEnd, abandonRemoteCalls, 'emitDestroyed'],
    },
  },
});

export type RoomMachine = typeof roomMachine;
