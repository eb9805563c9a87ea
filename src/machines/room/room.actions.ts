import { and, assertEvent, enqueueActions } from 'xstate';
import { RoomError, roomErrors, toRoomError } from '../../errors.js';
import type { KickReason, SettledCommand } from '../../errors.js';
import type { DeviceEvent, DeviceKind } from '../device/device.types.js';
import { remoteCallId } from './room.setup.js';
import type { DeviceCommand, roomSetup } from './room.setup.js';
import type { RoomContext, RoomTarget, SdkErrorInfo, SwitchRoomInput, UserRole } from './room.types.js';

// The pieces the machine's transitions are made of, named for what they mean; the rules themselves
// (guards, and the named actions these refer to) live in room.setup.ts and room.rules.ts.

type WithEvent<E> = { event: E };

// Actions that enqueue several built-in actions (spawn, stop, assign, emit) are typed by the
// machine they serve: XState cannot infer them inside setup() beside parameterised actions.
type MachineConfig = Parameters<(typeof roomSetup)['createMachine']>[0];
type RoomAction = Exclude<NonNullable<MachineConfig['entry']>, readonly unknown[] | string | { type: string }>;

const RECONNECT_GRACE = 'reconnectGrace';

// Lifecycle calls are spawned, not invoked: a call outlives a state that stops waiting for it,
// and `callInFlight` says so until the SDK answers.
export const startEnterRoom: RoomAction = enqueueActions(({ enqueue, context }) => {
  enqueue.spawnChild('enterRoom', { id: 'enterRoom', input: { target: context.target } });
  enqueue.assign({ callInFlight: 'enterRoom', sdkLeft: false });
});

export const startSwitchRole: RoomAction = enqueueActions(({ enqueue, event }) => {
  assertEvent(event, 'room.switchRole');
  enqueue.spawnChild('switchRole', { id: 'switchRole', input: { role: event.role } });
  enqueue.assign({ callInFlight: 'switchRole' });
});

export const startSwitchRoom: RoomAction = enqueueActions(({ enqueue, event }) => {
  assertEvent(event, 'room.switchRoom');
  enqueue.spawnChild('switchRoom', { id: 'switchRoom', input: { room: event.room } });
  enqueue.assign({ callInFlight: 'switchRoom' });
});

/**
 * The lifecycle call is over: it settled (the SDK takes the next one), or its instance is being
 * destroyed, so nothing it still has in flight matters any more.
 */
export const endCall: RoomAction = enqueueActions(({ enqueue, context }) => {
  if (context.callInFlight) enqueue.stopChild(context.callInFlight);
  enqueue.assign({ callInFlight: null });
});

/** A remote media or playback command: one spawned call, which sends back `remote.done`. */
export const startRemoteCall: RoomAction = enqueueActions(({ enqueue, context, event }) => {
  assertEvent(event, 'remote.call');
  const input = { id: event.id, call: event.call, ...(event.change ? { change: event.change } : {}) };
  enqueue.spawnChild('remoteCall', { id: remoteCallId(event.id), input });
  enqueue.assign({ remoteCalls: [...context.remoteCalls, { id: event.id, call: event.call }] });
});

/** A remote call answered: its command settles. */
export const endRemoteCall: RoomAction = enqueueActions(({ enqueue, context, event }) => {
  assertEvent(event, 'remote.done');
  enqueue.stopChild(remoteCallId(event.id));
  enqueue.assign({ remoteCalls: context.remoteCalls.filter(({ id }) => id !== event.id) });
  enqueue.emit({ type: 'remote.settled', id: event.id, error: event.error === null ? null : toRoomError('MEDIA_FAILED', event.call, event.error) });
});

/** A remote command the state does not take: refused, with no SDK call. */
export const refuseRemoteCall = (why: string): RoomAction =>
  enqueueActions(({ enqueue, event }) => {
    assertEvent(event, 'remote.call');
    enqueue.emit({ type: 'remote.settled', id: event.id, error: roomErrors.invalidState(event.call, why) });
  });

/** destroy() abandons the remote calls still in flight: each settles now. */
export const abandonRemoteCalls: RoomAction = enqueueActions(({ enqueue, context }) => {
  for (const { id, call } of context.remoteCalls) {
    enqueue.stopChild(remoteCallId(id));
    enqueue.emit({ type: 'remote.settled', id, error: roomErrors.abandoned(call) });
  }
  enqueue.assign({ remoteCalls: [] });
});

/** The session is over: an exit waited for ends, and a switch past its bound with it. */
export const settleSessionEnd: RoomAction = enqueueActions(({ enqueue, context }) => {
  if (context.exitRequested) {
    enqueue.emit({ type: 'exit.settled', error: context.exitError ? RoomError.fromData(context.exitError) : null });
  }
  const owed = context.owedOutcome;
  if (owed) enqueue.emit({ type: `${owed.command}.settled`, error: RoomError.fromData(owed.error) });
  enqueue.assign({ exitRequested: false, exitError: null, owedOutcome: null });
});
type WithContext = { context: RoomContext };

type Outcome = 'KICKED' | 'CANCELLED' | 'DESTROYED';

/** The error a transition reports, built once per event, so the snapshot, `error` and the outcome share it. */
const built = new WeakMap<object, RoomError>();
function once(event: object, build: () => RoomError): RoomError {
  let error = built.get(event);
  if (!error) {
    error = build();
    built.set(event, error);
  }
  return error;
}

interface Report {
  settles?: SettledCommand;
  exit?: boolean;
  /** The command settles once the session is over, not here. */
  owes?: 'enter' | 'switch';
}

/** Records an error in the snapshot, emits it, and settles the command it ends (if any) with it. */
function reportError<A extends { event: object }>(build: (args: A) => RoomError, report: Report = {}) {
  const error = (args: A) => once(args.event, () => build(args));
  const { settles, ...keep } = report;
  return [
    { type: 'recordError', params: (args: A) => ({ error: error(args), ...keep }) },
    { type: 'emitError', params: (args: A) => ({ error: error(args) }) },
    ...(settles ? [{ type: 'settle', params: (args: A) => ({ command: settles, error: error(args) }) } as const] : []),
  ] as const;
}

function outcomeError(command: SettledCommand, outcome: Outcome, kickReason: KickReason | null): RoomError {
  switch (outcome) {
    case 'KICKED':
      return roomErrors.kicked(command, kickReason ?? 'banned');
    case 'CANCELLED':
      return command === 'enter'
        ? roomErrors.cancelled(command, 'exit() was called while entering; the room, if entered, is being left')
        : roomErrors.cancelled(command, 'the room is being left (exit() or destroy() was called)');
    case 'DESTROYED':
      return roomErrors.destroyed(command === 'enter' ? 'enter' : 'switch');
  }
}

/** The command ends here: `outcome` says why it did not do what was asked. */
export const settle = (command: SettledCommand, outcome?: Outcome) =>
  ({
    type: 'settle',
    params: ({ context, event }: WithContext & WithEvent<{ type: string; reason?: KickReason }>) => ({
      command,
      error: outcome ? outcomeError(command, outcome, event.type === 'sdk.kickedOut' ? (event.reason ?? null) : context.kickReason) : null,
    }),
  }) as const;

export const enterFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.enterFailed(event.error), { settles: 'enter' });

const enterTimeout = ({ context }: WithContext & WithEvent<object>) => roomErrors.enterTimeout(context.enterTimeoutMs, context.canRenewInstance);
export const enterTimedOut = reportError(enterTimeout, { settles: 'enter' });
/** With devices to stop first, the enter settles once they are stopped and the instance retired. */
export const enterTimedOutReleasing = [...reportError(enterTimeout, { owes: 'enter' }), 'requestRetire'] as const;

export const exitFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.exitFailed(event.error), { exit: true });

export const exitTimedOut = reportError(
  ({ context }: WithContext & WithEvent<object>) =>
    roomErrors.exitTimeout(context.exitTimeoutMs, context.canRenewInstance && !context.destroyRequested),
  { exit: true },
);

export const switchFailed = (call: 'switchRole' | 'switchRoom') =>
  reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.switchFailed(call, event.error), { settles: 'switch' });

/** The switch is wedged: the room is left and the instance retired; the switch settles once that is done. */
export const switchTimedOut = (call: 'switchRole' | 'switchRoom') =>
  [
    ...reportError(
      ({ context }: WithContext & WithEvent<object>) =>
        roomErrors.switchTimeout(call, context.enterTimeoutMs, context.canRenewInstance && !context.destroyRequested),
      { owes: 'switch' },
    ),
    'requestRetire',
  ] as const;

/** A failed rejoin: the SDK has left the room by itself. */
export const connectionLost = (settles?: SettledCommand) =>
  [
    ...reportError(({ event }: WithEvent<{ error: SdkErrorInfo }>) => roomErrors.connectionLost(event.error), settles ? { settles } : {}),
    'recordSdkLeft',
  ] as const;

/** The outage is over, or the session: no `reconnecting` is coming for it. */
export const endLapse: RoomAction = enqueueActions(({ enqueue, context }) => {
  if (!context.connectionLapse) return;
  enqueue.cancel(RECONNECT_GRACE);
  enqueue.assign({ connectionLapse: false });
});

const beginLapse: RoomAction = enqueueActions(({ enqueue }) => {
  enqueue.assign({ connectionLapse: true });
  enqueue.raise({ type: 'connection.graceEnded' }, { id: RECONNECT_GRACE, delay: 'reconnectGrace' });
});

/**
 * In the room, `connection` follows the SDK but for short outages: `reconnecting` shows once the
 * SDK has been away from CONNECTED for the grace, so a kick (which the SDK announces with a
 * DISCONNECTED) or a blip never flashes it.
 */
export const connectionChanged = [
  { guard: and(['isSdkConnected', 'showsReconnecting']), actions: [endLapse, { type: 'setConnection', params: { status: 'connected' } }, 'emitConnection'] },
  { guard: 'isSdkConnected', actions: endLapse },
  { guard: 'lapseBegins', actions: beginLapse },
] as const;

export const reconnectGraceEnded = {
  guard: 'inLapse',
  actions: [endLapse, { type: 'setConnection', params: { status: 'reconnecting' } }, 'emitConnection'],
} as const;

export const roleSwitched = [
  endCall,
  { type: 'setRole', params: ({ event }: WithEvent<{ output: UserRole }>) => ({ role: event.output }) },
  'emitRoleChanged',
] as const;

export const roomSwitched = [
  endCall,
  { type: 'setRoom', params: ({ event }: WithEvent<{ output: SwitchRoomInput['room'] }>) => ({ room: event.output }) },
  { type: 'emitRoomSwitched', params: ({ event }: WithEvent<{ output: SwitchRoomInput['room'] }>) => ({ room: event.output }) },
  // The SDK re-entered with the enter's role: say which role is held now.
  'emitRoleChanged',
] as const;

/** The instance is wedged: destroyed, and a fresh one taken from the factory. */
export const retireInstance = [endCall, 'destroyInstance', 'renewInstance', 'countNewInstance'] as const;

/** Out of a room: devices the controller started are stopped before the instance is destroyed (bounded). */
export const destroyOutOfRoom = [
  { guard: 'devicesActive', target: '#room.exiting.releasing', actions: 'requestDestroy' },
  { target: '#room.destroyed', actions: 'requestDestroy' },
] as const;

/** In a room, what a remote call changed counts (the roster, autoplay); elsewhere its command only settles. */
export const remoteCallAnsweredInRoom = [
  { guard: 'remoteCallSucceeded', actions: ['applyRemoteChange', 'recordAutoplayResumed', endRemoteCall] },
  { actions: endRemoteCall },
] as const;

const toDevice = (device: DeviceKind, event: DeviceEvent) => ({ type: 'sendToDevice', params: { device, event } as DeviceCommand }) as const;

/** The session is over: every device the controller started is stopped. */
export const releaseDevices = [
  toDevice('microphone', { type: 'device.release' }),
  toDevice('camera', { type: 'device.release' }),
  toDevice('screen', { type: 'device.release' }),
] as const;

/** The instance was destroyed, which stopped its tracks: the devices are off with no call. */
export const loseDevices = [
  toDevice('microphone', { type: 'device.lost' }),
  toDevice('camera', { type: 'device.lost' }),
  toDevice('screen', { type: 'device.lost' }),
] as const;

const forward = (type: 'device.stop' | 'device.update') =>
  ({
    actions: {
      type: 'sendToDevice',
      params: ({ event }: WithEvent<{ device: DeviceKind }>): DeviceCommand => ({ device: event.device, event: { type } }),
    },
  }) as const;

/** Local media commands, taken where devices may run: idle (preview), entering and inRoom. */
export const mediaCommands = {
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

/** In a room, a live-scene audience may not start publishing (`mayPublish`). */
export const mediaCommandsInRoom = {
  ...mediaCommands,
  'media.start': { ...mediaCommands['media.start'], guard: 'mayPublish' },
} as const;

const unheard =
  (code: 'ENTER_FAILED' | 'CONNECTION_LOST') =>
  ({ context, event }: WithContext & WithEvent<{ error: unknown }>) =>
    roomErrors.listenerRefused(code, event.error, context.canRenewInstance && !context.destroyRequested);

/**
 * The instance refused a listener as the enter began: it could not tell of a kick, so the enter
 * ends and the instance is retired, as for an enter past its bound (devices are stopped first).
 */
export const enterUnheard = [
  {
    guard: 'devicesActive',
    target: '#room.exiting.releasing',
    actions: [...reportError(unheard('ENTER_FAILED'), { owes: 'enter' }), 'requestRetire'],
  },
  { guard: 'canRenewInstance', target: '#room.idle', actions: [...reportError(unheard('ENTER_FAILED'), { settles: 'enter' }), ...retireInstance] },
  { target: '#room.destroyed', actions: reportError(unheard('ENTER_FAILED'), { settles: 'enter' }) },
] as const;

/** The instance refused a listener in a room or while leaving it: the room is left, then the instance retired. */
export const sessionUnheard = [...reportError(unheard('CONNECTION_LOST')), 'requestRetire'] as const;
/**
 * The instance refused a listener while the room is being left: the leave goes on and the instance
 * is retired after. The app hears of it (`error`), but it does not change how the session ended:
 * the view keeps what ended it (nothing, for an exit() as asked), so `describeEnding` is not misled.
 */
export const leavingUnheard = [{ type: 'emitError', params: (args: WithContext & WithEvent<{ error: unknown }>) => ({ error: unheard('CONNECTION_LOST')(args) }) }, 'requestRetire'] as const;
/** As `sessionUnheard`, during a switch: it settles once the session is over (it may still be in flight). */
export const switchUnheard = [...reportError(unheard('CONNECTION_LOST'), { owes: 'switch' }), 'requestRetire'] as const;

const roomOf = (target: RoomTarget) => (target.roomId === undefined ? { strRoomId: target.strRoomId ?? '' } : { roomId: target.roomId });

/** Another controller of this browser profile holds this user in that room: refused, with no SDK call. */
export const refuseDuplicate: RoomAction = enqueueActions(({ enqueue, event }) => {
  assertEvent(event, 'room.enter');
  const { userId, roomId, strRoomId } = event.target;
  const room = roomId === undefined ? `room "${strRoomId ?? ''}"` : `room ${roomId}`;
  enqueue.emit({ type: 'enter.settled', error: roomErrors.duplicateUser(userId, room) });
});

/** The same user in the same room from another controller: both say so (`duplicateUser`) unless the app allows it. */
export const warnDuplicate: RoomAction = enqueueActions(({ enqueue, event, context }) => {
  if (event.type === 'room.enter' && event.duplicate !== 'warn') return;
  const target = event.type === 'room.enter' ? event.target : context.target;
  if (target) enqueue.emit({ type: 'duplicateUser', userId: target.userId, ...roomOf(target) });
});
