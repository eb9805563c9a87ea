/** A call a machine test made and holds open: the test settles it when the row says so. */
export interface CallInFlight<Name extends string, Input> {
  name: Name;
  input: Input;
  settled: boolean;
  /** The machine stopped the actor that made the call: its answer now goes nowhere. */
  stopped: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Calls that stay pending until the test settles them, kept in order in `calls`. `signal` is the
 * calling actor's: it aborts when the machine stops that actor.
 */
export function callsInFlight<Name extends string, Input>() {
  const calls: CallInFlight<Name, Input>[] = [];
  const call = (name: Name, input: Input, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const entry: CallInFlight<Name, Input> = {
        name,
        input,
        settled: false,
        stopped: false,
        resolve: () => {
          entry.settled = true;
          resolve();
        },
        reject: (error) => {
          entry.settled = true;
          reject(error);
        },
      };
      signal?.addEventListener('abort', () => {
        entry.stopped = true;
      });
      calls.push(entry);
    });
  return { calls, call };
}
