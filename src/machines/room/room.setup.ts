import { assign, emit, fromCallback, fromPromise, setup } from 'xstate';
import type { EventObject } from 'xstate';
import { RoomError, toRoomError } from './room.errors.js';
import type { RoomErrorCode } from './room.errors.js';
import type {
  ConnectionStatus,
  EnterRoomInput,
  KickReason,
  RoomContext,
  RoomEmitted,
  RoomEvent,
  RoomInput,
  RoomTarget,
  RoomWarning,
  SdkConnectionState,
  SdkErrorInfo,
  SdkEvent,
} from './room.types.js';

/** SDK error code of a failed rejoin: the SDK has already left the room by itself. */
const REJOIN_FAILED = 5400;

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

/**
 * Named placeholders and the machine's own pure logic. SDK-facing actors and actions are
 * placeholders here; the adapter provides them (see adapters/trtc.ts).
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
    sdkEvents: fromCallback<EventObject, void, SdkEvent>(notProvided('sdkEvents')),
  },
  delays: {
    enterTimeout: ({ context }) => context.enterTimeoutMs,
    exitTimeout: ({ context }) => context.exitTimeoutMs,
  },
  guards: {
    exitRequested: ({ context }) => context.exitRequested,
    destroyRequested: ({ context }) => context.destroyRequested,
    canRenewInstance: ({ context }) => context.canRenewInstance,
    isRejoinFailure: (_, params: { error: SdkErrorInfo }) => params.error.code === REJOIN_FAILED,
    isNewConnectionStatus: ({ context }, params: { state: SdkConnectionState }) =>
      toConnectionStatus(params.state) !== context.connection,
  },
  actions: {
    destroyInstance: notProvided('destroyInstance'),
    renewInstance: notProvided('renewInstance'),

    beginEnter: assign((_, params: { target: RoomTarget }) => ({
      target: params.target,
      kickReason: null,
      error: null,
      warning: null,
      exitRequested: false,
    })),
    requestExit: assign({ exitRequested: true }),
    requestDestroy: assign({ destroyRequested: true }),
    countNewInstance: assign({ instance: ({ context }) => context.instance + 1 }),
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
  },
});

/** Errors the machine raises itself, and the SDK's error events, as RoomErrors. */
export const roomErrors = {
  enterFailed: (error: unknown) => toRoomError('ENTER_FAILED', 'enterRoom', error),
  exitFailed: (error: unknown) => toRoomError('EXIT_FAILED', 'exitRoom', error),
  enterTimeout: (context: RoomContext) =>
    timeoutError('ENTER_TIMEOUT', 'enterRoom', context.enterTimeoutMs, context.canRenewInstance),
  exitTimeout: (context: RoomContext) =>
    timeoutError('EXIT_TIMEOUT', 'exitRoom', context.exitTimeoutMs, context.canRenewInstance && !context.destroyRequested),
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
  };
}
