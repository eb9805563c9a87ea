/** How a promise stands, read synchronously by a test at any point. */
export interface Watched {
  state: 'pending' | 'resolved' | 'rejected';
  error?: unknown;
}

export function watch(promise: Promise<unknown>): Watched {
  const watched: Watched = { state: 'pending' };
  promise.then(
    () => void (watched.state = 'resolved'),
    (error: unknown) => Object.assign(watched, { state: 'rejected', error }),
  );
  return watched;
}
