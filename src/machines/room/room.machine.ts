import type { RoomError } from './room.errors.js';
import { initialContext, roomErrors, roomSetup, toConnectionStatus } from './room.setup.js';

const replaceWedgedInstance = ['destroyInstance', 'renewInstance', 'countNewInstance'] as const;

/** Records an error in the snapshot and emits it, as one RoomError. */
function reportError<A>(toError: (args: A) => RoomError) {
  return [
    { type: 'recordError', params: (args: A) => ({ error: toError(args) }) },
    { type: 'emitError', params: (args: A) => ({ error: toError(args) }) },
  ] as const;
}

type WithEvent<E> = { event: E };
type WithContext = { context: Parameters<typeof roomErrors.enterTimeout>[0] };

const enterFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.enterFailed(event.error));
const exitFailed = reportError(({ event }: WithEvent<{ error: unknown }>) => roomErrors.exitFailed(event.error));
const enterTimedOut = reportError(({ context }: WithContext) => roomErrors.enterTimeout(context));
const exitTimedOut = reportError(({ context }: WithContext) => roomErrors.exitTimeout(context));

/**
 * The life of one TRTC room session. The SDK's rules hold because of where transitions go:
 * - `kicked` is reached without `exitRoom` (the SDK has left already) and listens to nothing;
 * - `destroyed` is final, so nothing runs after it, and it is entered once;
 * - enterRoom and exitRoom live in different states, so they never overlap;
 * - every SDK call has a bound (`after`), and a call past its bound retires the instance.
 */
export const roomMachine = roomSetup.createMachine({
  id: 'room',
  context: ({ input }) => initialContext(input),
  initial: 'idle',
  states: {
    idle: {
      on: {
        'room.enter': {
          target: 'entering',
          actions: { type: 'beginEnter', params: ({ event }) => ({ target: event.target }) },
        },
        'room.destroy': 'destroyed',
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
          { guard: 'canRenewInstance', target: 'idle', actions: [...enterTimedOut, ...replaceWedgedInstance] },
          { target: 'destroyed', actions: enterTimedOut },
        ],
      },
      on: {
        // An enterRoom cannot be cancelled in the SDK: wait for it, then leave if it entered.
        'room.exit': { actions: 'requestExit' },
        // destroy() is the only way to end an enterRoom that never settles.
        'room.destroy': 'destroyed',
        'sdk.kickedOut': {
          target: 'kicked',
          actions: { type: 'recordKick', params: ({ event }) => ({ reason: event.reason }) },
        },
        'sdk.error': {
          actions: [
            { type: 'recordWarning', params: ({ event }) => ({ error: event.error }) },
            { type: 'emitWarning', params: ({ event }) => ({ error: event.error }) },
          ],
        },
      },
    },

    inRoom: {
      entry: [{ type: 'setConnection', params: { status: 'connected' } }, 'emitConnection', 'emitEntered'],
      exit: [{ type: 'setConnection', params: { status: 'disconnected' } }, 'emitConnection'],
      invoke: { id: 'sdkEvents', src: 'sdkEvents' },
      on: {
        'room.exit': 'exiting',
        'room.destroy': { target: 'exiting', actions: 'requestDestroy' },
        'sdk.kickedOut': {
          target: 'kicked',
          actions: { type: 'recordKick', params: ({ event }) => ({ reason: event.reason }) },
        },
        'sdk.error': [
          {
            // A failed rejoin: the SDK has left the room by itself, so there is nothing to exit.
            guard: { type: 'isRejoinFailure', params: ({ event }) => ({ error: event.error }) },
            target: 'idle',
            actions: reportError(({ event }: WithEvent<{ error: Parameters<typeof roomErrors.fromEvent>[0] }>) =>
              roomErrors.fromEvent(event.error),
            ),
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
      },
    },

    exiting: {
      exit: 'emitExited',
      invoke: {
        id: 'exitRoom',
        src: 'exitRoom',
        onDone: [{ guard: 'destroyRequested', target: 'destroyed' }, { target: 'idle' }],
        onError: [
          { guard: 'destroyRequested', target: 'destroyed', actions: exitFailed },
          { guard: 'canRenewInstance', target: 'idle', actions: [...exitFailed, ...replaceWedgedInstance] },
          { target: 'destroyed', actions: exitFailed },
        ],
      },
      after: {
        exitTimeout: [
          { guard: 'destroyRequested', target: 'destroyed', actions: exitTimedOut },
          { guard: 'canRenewInstance', target: 'idle', actions: [...exitTimedOut, ...replaceWedgedInstance] },
          { target: 'destroyed', actions: exitTimedOut },
        ],
      },
      on: {
        // exit() joins the exit in flight; destroy() waits for it, then destroys.
        'room.destroy': { actions: 'requestDestroy' },
      },
    },

    kicked: {
      entry: 'emitKicked',
      on: {
        'room.enter': {
          target: 'entering',
          actions: { type: 'beginEnter', params: ({ event }) => ({ target: event.target }) },
        },
        'room.destroy': 'destroyed',
      },
    },

    destroyed: {
      type: 'final',
      entry: ['destroyInstance', 'emitDestroyed'],
    },
  },
});

export type RoomMachine = typeof roomMachine;
