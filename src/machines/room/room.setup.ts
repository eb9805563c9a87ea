import { assign, emit, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import type { EventObject } from 'xstate';
import { deviceMachine } from '../device/device.machine.js';
import { DEVICE_KINDS } from '../device/device.types.js';
import type { DeviceEvent, DeviceKind, DeviceReport, DeviceStatus } from '../device/device.types.js';
import { RoomError, toRoomError } from './room.errors.js';
import type { RoomErrorCode } from './room.errors.js';
import type {
  ConnectionStatus,
  EnterRoomInput,
  KickReason,
  NetworkQuality,
  RemoteChange,
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

/** SDK error code of a failed rejoin: the SDK has already left the room by itself. */
const REJOIN_FAILED = 5400;
const RELEASED: DeviceStatus = 'off';

function notProvided(name: string): () => never {
  return () => {
    throw new Error(`room machine: "${name}" is not provided; create the controller with createRoomController() or .provide() it`);
  };
}

function timeoutError(code: RoomErrorCode, call: string, ms: number, renewed: boolean): RoomError {
  const instance = renewed
    ? 'the instance was destroyed and a fresh one will be used for the next enter()'
    : 'the instance was destroyed; pass `trtc` as a factory (() => TRTC.create()) to recover without a new controller';
  return new RoomError(code, `${call} did not settle within ${ms} ms; ${instance}`);
}

function errorFromEvent(error: SdkErrorInfo): RoomError {
  const codes = `SDK code ${error.code}${error.extraCode === undefined ? '' : `/${error.extraCode}`}`;
  return new RoomError('CONNECTION_LOST', `the connection was lost and the SDK could not rejoin (${codes}): ${error.message}`, {
    sdkCode: error.code,
    ...(error.extraCode === undefined ? {} : { sdkExtraCode: error.extraCode }),
    cause: error.cause,
  });
}

function toWarning(error: SdkErrorInfo): RoomWarning {
  return { sdkCode: error.code, message: error.message, ...(error.extraCode === undefined ? {} : { sdkExtraCode: error.extraCode }) };
}

export interface DeviceCommand {
  device: DeviceKind;
  event: DeviceEvent;
}

export const NO_NETWORK: NetworkQuality = { uplink: 0, downlink: 0, uplinkRTT: 0, downlinkRTT: 0, uplinkLoss: 0, downlinkLoss: 0 };
const DEVICE_OFF: DeviceReport = { status: 'off', muted: false, error: null };

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
    sdkEvents: fromCallback<EventObject, void, SdkEvent>(notProvided('sdkEvents')),
    /** Resolves once no lifecycle call of the instance is in flight. */
    lifecycleSettled: fromPromise<void>(notProvided('lifecycleSettled')),
    localDevice: deviceMachine,
  },
  delays: {
    enterTimeout: ({ context }) => context.enterTimeoutMs,
    exitTimeout: ({ context }) => context.exitTimeoutMs,
  },
  guards: {
    exitRequested: ({ context }) => context.exitRequested,
    destroyRequested: ({ context }) => context.destroyRequested,
    canRenewInstance: ({ context }) => context.canRenewInstance,
    retireRequested: ({ context }) => context.retireRequested,
    lifecycleDrained: ({ context }) => context.lifecycleDrained,
    isRejoinFailure: (_, params: { error: SdkErrorInfo }) => params.error.code === REJOIN_FAILED,
    isNewConnectionStatus: ({ context }, params: { state: SdkConnectionState }) =>
      toConnectionStatus(params.state) !== context.connection,
    // A failed device counts too: its failure may have been a stop, so it is stopped again.
    devicesActive: ({ context }) => DEVICE_KINDS.some((kind) => context.local[kind].status !== RELEASED),
    devicesReleased: ({ context }) => DEVICE_KINDS.every((kind) => context.local[kind].status === RELEASED),
    // The SDK refuses to publish for an audience in the live scene (5107): say so before calling it.
    mayPublish: ({ context }, params: { publish: boolean }) =>
      !params.publish || context.target?.scene !== 'live' || context.role !== 'audience',
  },
  actions: {
    destroyInstance: notProvided('destroyInstance'),
    renewInstance: notProvided('renewInstance'),
    clearRoster: notProvided('clearRoster'),

    beginEnter: assign((_, params: { target: RoomTarget }) => ({
      target: params.target,
      role: params.target.role ?? 'anchor',
      kickReason: null,
      error: null,
      warning: null,
      exitRequested: false,
      retireRequested: false,
    })),
    requestExit: assign({ exitRequested: true }),
    requestDestroy: assign({ destroyRequested: true }),
    requestRetire: assign({ retireRequested: true }),
    clearDrained: assign({ lifecycleDrained: false }),
    markDrained: assign({ lifecycleDrained: true }),
    countNewInstance: assign({ instance: ({ context }) => context.instance + 1, retireRequested: false }),
    recordError: assign((_, params: { error: RoomError }) => ({ error: params.error.toJSON() })),
    emitError: emit((_, params: { error: RoomError }) => ({ type: 'error' as const, error: params.error })),
    recordWarning: assign((_, params: { error: SdkErrorInfo }) => ({ warning: toWarning(params.error) })),
    emitWarning: emit((_, params: { error: SdkErrorInfo }) => ({ type: 'warning' as const, warning: toWarning(params.error) })),
    recordKick: assign((_, params: { reason: KickReason }) => ({ kickReason: params.reason })),
    emitKicked: emit(({ context }) => ({ type: 'kicked' as const, reason: context.kickReason ?? 'banned' })),
    setConnection: assign((_, params: { status: ConnectionStatus }) =>
      // Back online: the reconnect warnings of the outage no longer apply.
      params.status === 'connected' ? { connection: params.status, warning: null } : { connection: params.status },
    ),
    emitConnection: emit(({ context }) => ({ type: 'connection' as const, status: context.connection })),
    emitEntered: emit({ type: 'entered' }),
    emitExited: emit({ type: 'exited' }),
    emitDestroyed: emit({ type: 'destroyed' }),
    emitRemoteUsersChanged: emit((_, params: { count: number; changes: readonly RemoteChange[] }) => ({
      type: 'remoteUsersChanged' as const,
      ...params,
    })),

    setNetwork: assign((_, params: { network: NetworkQuality }) => ({ network: params.network })),
    leaveRoomView: assign({ network: NO_NETWORK, autoplayBlocked: false, role: null, warning: null }),
    setAutoplayBlocked: assign((_, params: { blocked: boolean }) => ({ autoplayBlocked: params.blocked })),
    setRole: assign((_, params: { role: UserRole }) => ({ role: params.role })),
    emitRoleChanged: emit(({ context }) => ({ type: 'roleChanged' as const, role: context.role ?? 'anchor' })),
    // The SDK switches by leaving and entering again with the enter's options: the role resets too.
    setRoom: assign(({ context }, params: { room: SwitchRoomInput['room'] }) => ({
      target: context.target ? { ...withoutRoom(context.target), ...params.room } : null,
      role: context.target?.role ?? 'anchor',
    })),
    emitRoomSwitched: emit((_, params: { room: SwitchRoomInput['room'] }) => ({ type: 'roomSwitched' as const, room: params.room })),

    recordDevice: assign(({ context }, params: { kind: DeviceKind; report: DeviceReport }) => ({
      local: { ...context.local, [params.kind]: params.report },
    })),
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

/** Errors the machine raises itself, and the SDK's error events, as RoomErrors. */
export const roomErrors = {
  enterFailed: (error: unknown) => toRoomError('ENTER_FAILED', 'enterRoom', error),
  exitFailed: (error: unknown) => toRoomError('EXIT_FAILED', 'exitRoom', error),
  switchFailed: (call: string, error: unknown) => toRoomError('SWITCH_FAILED', call, error),
  enterTimeout: (context: RoomContext) =>
    timeoutError('ENTER_TIMEOUT', 'enterRoom', context.enterTimeoutMs, context.canRenewInstance),
  exitTimeout: (context: RoomContext) =>
    timeoutError('EXIT_TIMEOUT', 'exitRoom', context.exitTimeoutMs, context.canRenewInstance && !context.destroyRequested),
  switchTimeout: (context: RoomContext, call: 'switchRole' | 'switchRoom') =>
    timeoutError('SWITCH_FAILED', call, context.enterTimeoutMs, context.canRenewInstance && !context.destroyRequested),
  fromEvent: errorFromEvent,
};

export function toConnectionStatus(state: SdkConnectionState): ConnectionStatus {
  // In the room, anything but CONNECTED means the SDK is retrying (it never gives up by itself).
  return state === 'CONNECTED' ? 'connected' : 'reconnecting';
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
    exitRequested: false,
    destroyRequested: false,
    retireRequested: false,
    lifecycleDrained: true,
    role: null,
    local: { microphone: DEVICE_OFF, camera: DEVICE_OFF, screen: DEVICE_OFF },
    network: NO_NETWORK,
    autoplayBlocked: false,
  };
}

