import { assertEvent, assign, emit, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import type { EventObject } from 'xstate';
import { deviceMachine } from '../device/device.machine.js';
import { DEFAULT_RECONNECT_GRACE_MS } from './room.config.js';
import { DEVICE_KINDS } from '../device/device.types.js';
import type { DeviceEvent, DeviceKind, DeviceReport, DeviceStatus } from '../device/device.types.js';
import { RoomError } from '../../errors.js';
import type { SettledCommand } from '../../errors.js';
import { mayPublish } from './room.rules.js';
import type {
  ConnectionStatus,
  EnterRoomInput,
  NetworkQuality,
  RemoteCallInput,
  RoomContext,
  RoomEmitted,
  RoomEvent,
  RoomInput,
  RoomTarget,
  RoomWarning,
  SdkConnectionState,
  SdkErrorInfo,
  SdkEvent,
  SwitchRoleInput,
  SwitchRoomInput,
  UserRole,
} from './room.types.js';

/**
 * How long the SDK itself pursues a role switch before it gives up (5400 "switchRole timeout"):
 * ~10 s, measured in Chromium (docs/sdk-facts.md). A switch the controller gave up on earlier is
 * waited for this long before the room is left.
 */
export const SDK_SWITCH_TIMEOUT_MS = 10_000;

/** SDK error code of a failed rejoin: the SDK has already left the room by itself. */
const REJOIN_FAILED = 5400;
const RELEASED: DeviceStatus = 'off';

function notProvided(name: string): () => never {
  return () => {
    throw new Error(`room machine: "${name}" is not provided; create the controller with createRoomController() or .provide() it`);
  };
}

function toWarning(error: SdkErrorInfo): RoomWarning {
  return { sdkCode: error.code, message: error.message, ...(error.extraCode === undefined ? {} : { sdkExtraCode: error.extraCode }) };
}

export interface DeviceCommand {
  device: DeviceKind;
  event: DeviceEvent;
}

export interface SdkEventsInput {
  /** Whether the roster is fed: only while entering and in the room. */
  roster: boolean;
}

export const NO_NETWORK: NetworkQuality = { uplink: 0, downlink: 0, uplinkRTT: 0, downlinkRTT: 0, uplinkLoss: 0, downlinkLoss: 0 };
const DEVICE_OFF: DeviceReport = { status: 'off', muted: false, error: null };

export const remoteCallId = (id: number) => `remoteCall.${id}`;

/**
 * Named placeholders and the machine's own pure logic. SDK-facing actors and actions are
 * placeholders here; the adapter and the controller provide them.
 */
export const roomSetup = setup({
  types: {
    context: {} as RoomContext,
    events: {} as RoomEvent,
    input: {} as RoomInput,
    emitted: {} as RoomEmitted,
  },
  actors: {
    enterRoom: fromPromise<void, EnterRoomInput>(notProvided('enterRoom')),
    exitRoom: fromPromise<void>(notProvided('exitRoom')),
    /** Resolves with the role now held. */
    switchRole: fromPromise<UserRole, SwitchRoleInput>(notProvided('switchRole')),
    /** Resolves with the room now entered. */
    switchRoom: fromPromise<SwitchRoomInput['room'], SwitchRoomInput>(notProvided('switchRoom')),
    /**
     * The SDK's events, translated; `roster: false` hears only what ends a session (kicks, errors).
     * As it starts it sends `sdk.listening` once every listener is added, or `sdk.listenerRefused`:
     * an enter calls enterRoom only after the first.
     */
    sdkEvents: fromCallback<EventObject, SdkEventsInput, SdkEvent>(notProvided('sdkEvents')),
    /** Makes one remote media or playback call and sends back `remote.done` with its outcome. */
    remoteCall: fromCallback<EventObject, RemoteCallInput>(notProvided('remoteCall')),
    localDevice: deviceMachine,
  },
  delays: {
    enterBound: ({ context }) => context.enterTimeoutMs,
    /** A role or room switch has the enter's bound: it may enter a room too. */
    switchBound: ({ context }) => context.enterTimeoutMs,
    exitBound: ({ context }) => context.exitTimeoutMs,
    abandonedCallBound: SDK_SWITCH_TIMEOUT_MS,
    reconnectGrace: ({ context }) => context.reconnectGraceMs,
  },
  guards: {
    exitRequested: ({ context }) => context.exitRequested,
    leaveRequested: ({ context }) => context.exitRequested || context.destroyRequested,
    destroyRequested: ({ context }) => context.destroyRequested,
    canRenewInstance: ({ context }) => context.canRenewInstance,
    refusesDuplicate: ({ event }) => event.type === 'room.enter' && event.duplicate === 'refuse',
    retireRequested: ({ context }) => context.retireRequested,
    callInFlight: ({ context }) => context.callInFlight !== null,
    remoteCallSucceeded: ({ event }) => event.type === 'remote.done' && event.error === null,
    // Settings of the instance, not of a room: taken in every state but destroyed.
    isInstanceSetting: ({ event }) =>
      event.type === 'remote.call' && (event.call === 'enableAudioVolumeEvaluation' || event.call === 'resumeAutoplay'),
    sdkLeft: ({ context }) => context.sdkLeft,
    isRejoinFailure: ({ event }) => event.type === 'sdk.error' && event.error.code === REJOIN_FAILED,
    isSdkConnected: ({ event }) => event.type === 'sdk.connectionChanged' && event.state === 'CONNECTED',
    showsReconnecting: ({ context }) => context.connection === 'reconnecting',
    /** The SDK leaves CONNECTED while the room shows connected: the grace starts (once). */
    lapseBegins: ({ context, event }) =>
      event.type === 'sdk.connectionChanged' && event.state !== 'CONNECTED' && context.connection === 'connected' && !context.connectionLapse,
    inLapse: ({ context }) => context.connectionLapse,
    // A failed device counts too: its failure may have been a stop, so it is stopped again.
    devicesActive: ({ context }) => DEVICE_KINDS.some((kind) => context.local[kind].status !== RELEASED),
    devicesReleased: ({ context }) => DEVICE_KINDS.every((kind) => context.local[kind].status === RELEASED),
    mayPublish: ({ context, event }) => event.type !== 'media.start' || mayPublish(context, event.publish),
  },
  actions: {
    destroyInstance: notProvided('destroyInstance'),
    renewInstance: notProvided('renewInstance'),
    clearRoster: notProvided('clearRoster'),
    /** Applies what a succeeded remote call changed (a subscription, a remote mute) to the roster. */
    applyRemoteChange: notProvided('applyRemoteChange'),

    beginEnter: assign(({ event }) => {
      assertEvent(event, 'room.enter');
      return {
        target: event.target,
        role: event.target.role ?? 'anchor',
        kickReason: null,
        error: null,
        warning: null,
        exitRequested: false,
        retireRequested: false,
      };
    }),
    requestExit: assign({ exitRequested: true }),
    requestDestroy: assign({ destroyRequested: true }),
    requestRetire: assign({ retireRequested: true }),
    countNewInstance: assign({ instance: ({ context }) => context.instance + 1, retireRequested: false }),

    /** Kicked out, or the rejoin failed: the SDK is out of the room, and exitRoom is not called again. */
    recordSdkLeft: assign({ sdkLeft: true }),
    clearExitError: assign({ exitError: null }),

    /** Playback resumed by the user's gesture: remote media plays again. */
    recordAutoplayResumed: assign(({ context, event }) =>
      event.type === 'remote.done' && event.call === 'resumeAutoplay' ? { autoplayBlocked: false } : { autoplayBlocked: context.autoplayBlocked },
    ),
    /** `exit` and `owes` keep the error for an outcome emitted once the session is over. */
    recordError: assign((_, params: { error: RoomError; exit?: boolean; owes?: 'enter' | 'switch' }) => {
      const data = params.error.toJSON();
      return { error: data, ...(params.exit ? { exitError: data } : {}), ...(params.owes ? { owedOutcome: { command: params.owes, error: data } } : {}) };
    }),
    emitError: emit((_, params: { error: RoomError }) => ({ type: 'error' as const, error: params.error })),
    /** A command ends: `error` null when it did what was asked. */
    settle: emit((_, params: { command: SettledCommand; error: RoomError | null }) => ({
      type: `${params.command}.settled` as const,
      error: params.error,
    })),
    recordWarning: assign(({ event }) => {
      assertEvent(event, 'sdk.error');
      return { warning: toWarning(event.error) };
    }),
    emitWarning: emit(({ event }) => {
      assertEvent(event, 'sdk.error');
      return { type: 'warning' as const, warning: toWarning(event.error) };
    }),
    recordKick: assign(({ event }) => {
      assertEvent(event, 'sdk.kickedOut');
      return { kickReason: event.reason, sdkLeft: true };
    }),
    emitKicked: emit(({ context }) => ({ type: 'kicked' as const, reason: context.kickReason ?? 'banned' })),
    setConnection: assign((_, params: { status: ConnectionStatus }) =>
      // Back online: the reconnect warnings of the outage no longer apply.
      params.status === 'connected' ? { connection: params.status, warning: null } : { connection: params.status },
    ),
    emitConnection: emit(({ context }) => ({ type: 'connection' as const, status: context.connection })),
    emitEntered: emit({ type: 'entered' }),
    emitExited: emit({ type: 'exited' }),
    emitDestroyed: emit({ type: 'destroyed' }),
    emitRemoteUsersChanged: emit(({ event }) => {
      assertEvent(event, 'sdk.remote');
      return { type: 'remoteUsersChanged' as const, count: event.count, changes: event.changes };
    }),

    setNetwork: assign(({ event }) => {
      assertEvent(event, 'sdk.networkQuality');
      return { network: event.network };
    }),
    forgetRoomDetails: assign({ network: NO_NETWORK, autoplayBlocked: false, role: null, warning: null }),
    setAutoplayBlocked: assign((_, params: { blocked: boolean }) => ({ autoplayBlocked: params.blocked })),
    setRole: assign((_, params: { role: UserRole }) => ({ role: params.role })),
    emitRoleChanged: emit(({ context }) => ({ type: 'roleChanged' as const, role: context.role ?? 'anchor' })),
    // The SDK switches by leaving and entering again with the enter's options: the role resets too.
    setRoom: assign(({ context }, params: { room: SwitchRoomInput['room'] }) => ({
      target: context.target ? { ...withoutRoom(context.target), ...params.room } : null,
      role: context.target?.role ?? 'anchor',
    })),
    emitRoomSwitched: emit((_, params: { room: SwitchRoomInput['room'] }) => ({ type: 'roomSwitched' as const, room: params.room })),

    emitMediaSettled: emit(({ event }) => {
      assertEvent(event, 'device.settled');
      return { type: 'media.settled' as const, device: event.kind, error: event.error ? RoomError.fromData(event.error) : null };
    }),
    recordDevice: assign(({ context, event }) => {
      assertEvent(event, 'device.status');
      return { local: { ...context.local, [event.kind]: { status: event.status, muted: event.muted, error: event.error } } };
    }),
    sendToDevice: sendTo(
      (_, params: DeviceCommand) => params.device,
      (_, params: DeviceCommand) => params.event,
    ),
  },
});

function withoutRoom(target: RoomTarget): RoomTarget {
  const { roomId: _roomId, strRoomId: _strRoomId, ...rest } = target;
  return rest;
}

export function initialContext(input: RoomInput): RoomContext {
  return {
    enterTimeoutMs: input.enterTimeoutMs,
    exitTimeoutMs: input.exitTimeoutMs,
    canRenewInstance: input.canRenewInstance,
    instance: 1,
    target: null,
    kickReason: null,
    error: null,
    warning: null,
    connection: 'disconnected',
    reconnectGraceMs: input.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS,
    connectionLapse: false,
    exitRequested: false,
    destroyRequested: false,
    retireRequested: false,
    callInFlight: null,
    sdkLeft: false,
    exitError: null,
    owedOutcome: null,
    remoteCalls: [],
    role: null,
    local: { microphone: DEVICE_OFF, camera: DEVICE_OFF, screen: DEVICE_OFF },
    network: NO_NETWORK,
    autoplayBlocked: false,
  };
}
