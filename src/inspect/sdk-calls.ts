import { describeSdkError } from '../errors.js';
import { reportListenerError } from '../listeners.js';
import type { TrtcLike } from '../adapters/trtc.types.js';
import { wrapCalls } from '../adapters/wrap-calls.js';
import type { Redactor } from './redact.js';

export type SdkCallStatus = 'pending' | 'resolved' | 'rejected' | 'returned' | 'threw';

/** One call the controller made on the SDK, as the call log reports it: at its start and at its end. */
export interface SdkCall {
  /** Counts up per controller. */
  id: number;
  /** Which SDK instance: 1 for the first, more when a wedged instance was replaced. */
  instance: number;
  method: string;
  /** The arguments, redacted and plain (a DOM element shows as `[HTMLDivElement]`). */
  args: unknown[];
  status: SdkCallStatus;
  /** `Date.now()` at the call and at its end. */
  startedAt: number;
  endedAt?: number;
  error?: { code?: number; message: string };
}

export type SdkCallListener = (call: SdkCall) => void;

function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  return args.slice(0, end);
}

/** The redacted arguments; an argument that throws when read (a hostile view) must not fail the call it is logged for. */
function readable(redact: () => unknown[]): unknown[] {
  try {
    return redact();
  } catch {
    return ['[unreadable]'];
  }
}

function describeError(error: unknown, redactor: Redactor): SdkCall['error'] {
  const { code, message } = describeSdkError(error);
  return { ...(code === undefined ? {} : { code }), message: redactor.mask(message) };
}

/**
 * Wraps each SDK instance so every call is reported to the listeners (and costs one set check when
 * there are none). The wrapper is the instance the controller uses from then on.
 */
export function createSdkCallLog(redactor: Redactor) {
  const listeners = new Set<SdkCallListener>();
  let ids = 0;
  let instances = 0;

  const report = (call: SdkCall) => {
    for (const listener of listeners) {
      try {
        listener(call);
      } catch (error) {
        // A failing log listener must not change what the SDK call does.
        reportListenerError('onSdkCall', error);
      }
    }
  };

  function logged(instance: number, method: string, run: (...args: unknown[]) => unknown) {
    return (...args: unknown[]): unknown => {
      if (listeners.size === 0) return run(...args);
      const started: SdkCall = {
        id: ++ids,
        instance,
        method,
        args: readable(() => redactor.redact(withoutTrailingUndefined(args)) as unknown[]),
        status: 'pending',
        startedAt: Date.now(),
      };
      const end = (status: SdkCallStatus, error?: unknown) =>
        report({ ...started, status, endedAt: Date.now(), ...(status === 'rejected' || status === 'threw' ? { error: describeError(error, redactor) } : {}) });
      report(started);
      let result: unknown;
      try {
        result = run(...args);
      } catch (error) {
        end('threw', error);
        throw error;
      }
      if (result instanceof Promise) {
        result.then(
          () => end('resolved'),
          (error: unknown) => end('rejected', error),
        );
      } else {
        end('returned');
      }
      return result;
    };
  }

  return {
    wrap(trtc: TrtcLike): TrtcLike {
      const instance = ++instances;
      return wrapCalls(trtc, (method, run) => logged(instance, method, run));
    },
    subscribe(listener: SdkCallListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
