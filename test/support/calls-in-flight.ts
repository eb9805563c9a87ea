/** A call a machine test made and holds open: the test settles it when the row says so. */
export interface CallInFlight<Name extends string, Input> {
  name: Name;
  input: Input;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** Calls that stay pending until the test settles them, kept in order in `calls`. */
export function callsInFlight<Name extends string, Input>() {
  const calls: CallInFlight<Name, Input>[] = [];
  const call = (name: Name, input: Input) =>
    new Promise<void>((resolve, reject) => {
      const entry: CallInFlight<Name, Input> = {
        name,
        input,
        settled: false,
        resolve: () => {
          entry.settled = true;
          resolve();
        },
        reject: (error) => {
          entry.settled = true;
          reject(error);
        },
      };
      calls.push(entry);
    });
  return { calls, call };
}
