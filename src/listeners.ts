/**
 * An app's listener that throws must not break the controller: its error is reported (as the
 * browser reports an uncaught error, with `reportError`, or on the console) and the others go on.
 */
export function reportListenerError(what: string, error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else console.error(`trtc-room-machine: a ${what} listener threw`, error);
}

/** The listener, made unable to throw into the caller. */
export function isolated<A extends unknown[]>(what: string, listener: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      listener(...args);
    } catch (error) {
      reportListenerError(what, error);
    }
  };
}
