import type { TrtcLike } from './trtc.types.js';

/** Listener plumbing: passed through as it is, never wrapped. */
const PLUMBING = new Set(['on', 'off']);

/**
 * The instance with every method call (but `on` / `off`) going through `around`, which gets the
 * method's name and a function that runs it on the instance itself (so the instance's own inner
 * calls are not seen again).
 */
export function wrapCalls(
  trtc: TrtcLike,
  around: (method: string, run: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): TrtcLike {
  return new Proxy(trtc, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof key !== 'string' || typeof value !== 'function') return value;
      const run = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      return PLUMBING.has(key) ? run : around(key, run);
    },
  });
}
