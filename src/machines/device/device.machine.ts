import { assign, fromCallback, fromPromise, not, sendParent, setup, stateIn } from 'xstate';
import type { EventObject } from 'xstate';
import { toRoomError } from '../../errors.js';
import { changesMute } from './device.rules.js';
import type { DeviceCallInput, DeviceContext, DeviceEvent, DeviceKind, DeviceStatus } from './device.types.js';

function notProvided(name: string): () => never {
  return () => {
    throw new Error(`device machine: "${name}" is not provided; create the controller with createRoomController()`);
  };
}

const mediaFailed = (kind: DeviceKind, call: string, error: unknown) =>
  toRoomError('MEDIA_FAILED', `${kind}: ${call}`, error).toJSON();

/**
 * One local device (microphone, camera or screen): off → starting → on → stopping → off, or
 * failed. It reports every status to its parent (the room), which shows it and waits on it.
 */
export const deviceMachine = setup({
  types: {
    context: {} as DeviceContext,
    events: {} as DeviceEvent,
    input: {} as { kind: DeviceKind },
  },
  actors: {
    startDevice: fromPromise<void, DeviceCallInput>(notProvided('startDevice')),
    stopDevice: fromPromise<void, DeviceCallInput>(notProvided('stopDevice')),
    updateDevice: fromPromise<void, DeviceCallInput>(notProvided('updateDevice')),
    deviceEvents: fromCallback<EventObject, DeviceCallInput, DeviceEvent>(() => () => undefined),
  },
  guards: {
    stopAfterStart: ({ context }) => context.stopAfterStart,
    changesMute: ({ context, event }) => event.type === 'device.mute' && changesMute(context.muted, event.muted),
  },
  actions: {
    report: sendParent(({ context }, params: { status: DeviceStatus }) => ({
      type: 'device.status' as const,
      kind: context.kind,
      status: params.status,
      muted: context.muted,
      error: context.error,
    })),
    /**
     * The device is at rest (off, on and ready, or failed): the command that led here has ended,
     * with the failure of its call if it failed. The room passes it on as `media.settled`.
     */
    settle: sendParent(({ context }, params: { failed: boolean }) => ({
      type: 'device.settled' as const,
      kind: context.kind,
      error: params.failed ? context.error : null,
    })),
    requestStop: assign({ stopAfterStart: true }),
    clearForStart: assign((_, params: { muted: boolean }) => ({ error: null, stopAfterStart: false, muted: params.muted })),
    recordFailure: assign(({ context }, params: { call: string; error: unknown }) => ({
      error: mediaFailed(context.kind, params.call, params.error),
    })),
    setMuted: assign((_, params: { muted: boolean }) => ({ muted: params.muted })),
    unmute: assign({ muted: false }),
    clearError: assign({ error: null }),
  },
}).createMachine({
  id: 'device',
  context: ({ input }) => ({ kind: input.kind, muted: false, error: null, stopAfterStart: false }),
  initial: 'off',
  on: {
    // Whatever it was doing, the capture went with the instance: no call is left to make.
    // A command waiting on the device ends here too.
    'device.lost': { guard: not(stateIn('off')), target: '.off', actions: { type: 'settle', params: { failed: false } } },
  },
  states: {
    off: {
      entry: [{ type: 'unmute' }, { type: 'report', params: { status: 'off' } }],
      on: {
        'device.start': {
          target: 'starting',
          actions: { type: 'clearForStart', params: ({ event }) => ({ muted: event.type === 'device.start' && event.muted === true }) },
        },
      },
    },
    starting: {
      entry: { type: 'report', params: { status: 'starting' } },
      invoke: {
        id: 'start',
        src: 'startDevice',
        input: ({ context }) => ({ kind: context.kind }),
        onDone: [{ guard: 'stopAfterStart', target: 'stopping' }, { target: 'on' }],
        onError: {
          target: 'failed',
          actions: { type: 'recordFailure', params: ({ event }) => ({ call: 'start', error: event.error }) },
        },
      },
      on: {
        'device.stop': { actions: 'requestStop' },
        'device.release': { actions: 'requestStop' },
      },
    },
    on: {
      initial: 'ready',
      entry: { type: 'report', params: { status: 'on' } },
      invoke: { id: 'deviceEvents', src: 'deviceEvents', input: ({ context }) => ({ kind: context.kind }) },
      on: {
        'device.stop': 'stopping',
        'device.release': 'stopping',
        // The browser ended it: a command waiting on the device ends here too.
        'device.ended': { target: 'off', actions: { type: 'settle', params: { failed: false } } },
      },
      states: {
        ready: {
          // An update or mute that failed left its error in the context; a success cleared it.
          entry: { type: 'settle', params: { failed: true } },
          on: {
            'device.update': 'updating',
            'device.mute': { target: 'muting', guard: 'changesMute' },
          },
        },
        updating: {
          invoke: {
            id: 'update',
            src: 'updateDevice',
            input: ({ context }) => ({ kind: context.kind }),
            onDone: { target: 'ready', actions: ['clearError', { type: 'report', params: { status: 'on' } }] },
            onError: {
              target: 'ready',
              actions: [
                { type: 'recordFailure', params: ({ event }) => ({ call: 'update', error: event.error }) },
                { type: 'report', params: { status: 'on' } },
              ],
            },
          },
        },
        muting: {
          invoke: {
            id: 'mute',
            src: 'updateDevice',
            input: ({ context, event }) => ({ kind: context.kind, muted: event.type === 'device.mute' ? event.muted : !context.muted }),
            onDone: {
              target: 'ready',
              actions: [
                { type: 'setMuted', params: ({ context }) => ({ muted: !context.muted }) },
                'clearError',
                { type: 'report', params: { status: 'on' } },
              ],
            },
            onError: {
              target: 'ready',
              actions: [
                { type: 'recordFailure', params: ({ event }) => ({ call: 'mute', error: event.error }) },
                { type: 'report', params: { status: 'on' } },
              ],
            },
          },
        },
      },
    },
    stopping: {
      entry: { type: 'report', params: { status: 'stopping' } },
      invoke: {
        id: 'stop',
        src: 'stopDevice',
        input: ({ context }) => ({ kind: context.kind }),
        onDone: { target: 'off', actions: { type: 'settle', params: { failed: false } } },
        onError: {
          target: 'failed',
          actions: { type: 'recordFailure', params: ({ event }) => ({ call: 'stop', error: event.error }) },
        },
      },
    },
    failed: {
      entry: [{ type: 'report', params: { status: 'failed' } }, { type: 'settle', params: { failed: true } }],
      on: {
        'device.start': {
          target: 'starting',
          actions: { type: 'clearForStart', params: ({ event }) => ({ muted: event.type === 'device.start' && event.muted === true }) },
        },
        // The failure may have left capture running (a failed stop): stop again. The SDK's stop
        // of a device that never started resolves and does nothing.
        'device.stop': 'stopping',
        'device.release': 'stopping',
      },
    },
  },
});

export type DeviceMachine = typeof deviceMachine;
