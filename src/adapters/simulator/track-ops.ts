import { abortError } from './rtc-error.js';

export type OpKind = 'start' | 'update' | 'stop';

interface Op {
  kind: OpKind;
  promise: Promise<void>;
}

/**
 * The SDK runs the start/update/stop calls of one track one after the other, and refuses those that
 * do not fit with 5998 "<fn> abort: <reason>" (read from the 5.17.1 bundle). A second start of a
 * started track is refused, not ignored; an update of a track that is not started too.
 * Simplified: the SDK also cancels queued calls when a stop comes ("keep stop"); this queue does not.
 */
export class TrackOps {
  private readonly ops: Op[] = [];

  constructor(private readonly isStarted: () => boolean) {}

  run(kind: OpKind, functionName: string, action: () => Promise<void>): Promise<void> {
    const refusal = this.refusal(kind);
    if (refusal) return Promise.reject(abortError(functionName, refusal));
    const last = this.ops[this.ops.length - 1];
    if (kind === 'stop' && last?.kind === 'stop') return last.promise;
    const previous = last ? last.promise.catch(() => undefined) : Promise.resolve();
    const op: Op = { kind, promise: Promise.resolve() };
    op.promise = previous.then(action).finally(() => void this.ops.splice(this.ops.indexOf(op), 1));
    this.ops.push(op);
    return op.promise;
  }

  private refusal(kind: OpKind): string | undefined {
    const [head] = this.ops;
    const last = this.ops[this.ops.length - 1];
    if (!head) {
      if (kind === 'start' && this.isStarted()) return 'already started';
      if (kind === 'update' && !this.isStarted()) return 'not started';
      return undefined;
    }
    if (this.ops.length === 1) {
      if (kind === 'start' && head.kind !== 'stop') return 'already start';
      if (kind === 'update' && head.kind === 'stop') return 'update not allowed when stopping';
      return undefined;
    }
    if (kind === 'update' && last?.kind === 'stop') return 'update not allowed after stop';
    if (kind === 'start' && last?.kind === 'update') return 'start not allowed after update';
    if (kind === 'start' && last?.kind === 'start') return 'duplicate start';
    return undefined;
  }
}
