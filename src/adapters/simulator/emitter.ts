type Handler = (...args: never) => void;

/** The part of the SDK's event emitter the simulator needs: on, off, emit, and a count for tests. */
export class Emitter {
  private readonly handlers = new Map<string, Set<Handler>>();

  on(event: string, handler: Handler): void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
  }

  off(event: string, handler: Handler): void {
    this.handlers.get(event)?.delete(handler);
  }

  emit(event: string, ...args: unknown[]): void {
    const set = this.handlers.get(event);
    if (!set || set.size === 0) return;
    for (const handler of [...set]) (handler as (...a: unknown[]) => void)(...args);
  }

  listenerCount(event?: string): number {
    if (event !== undefined) return this.handlers.get(event)?.size ?? 0;
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  clear(): void {
    this.handlers.clear();
  }
}
