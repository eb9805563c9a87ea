import type { SdkCall, SdkCallStatus } from '../inspect/sdk-calls.js';
import { eventLabel } from '../inspect/statechart.js';

export type LogEntryKind = 'event' | 'call' | 'state';

/** One row of the panel's log. Repeats of a noisy event collapse into one row with a count. */
export interface LogEntry {
  readonly seq: number;
  readonly kind: LogEntryKind;
  /** `Date.now()` of the latest occurrence. */
  at: number;
  title: string;
  /** The payload on one line (of the latest occurrence). */
  readonly detail: string;
  count: number;
  status?: SdkCallStatus;
}

const UNSET = Symbol('unset');

/** An entry whose detail line is written only when read: a collapsed run summarises its last payload once. */
class Entry implements LogEntry {
  count = 1;
  status?: SdkCallStatus;
  private text = '';
  private payload: unknown = UNSET;
  private format: (payload: unknown) => string = summarise;

  constructor(
    readonly seq: number,
    readonly kind: LogEntryKind,
    public at: number,
    public title: string,
  ) {}

  get detail(): string {
    if (this.payload !== UNSET) {
      this.text = this.format(typeof this.payload === 'function' ? (this.payload as () => unknown)() : this.payload);
      this.payload = UNSET;
    }
    return this.text;
  }

  setPayload(payload: unknown, format: (payload: unknown) => string): void {
    this.payload = payload;
    this.format = format;
  }

  setDetail(text: string): void {
    this.text = text;
    this.payload = UNSET;
  }
}

/** What changed since the last drain: the renderer's whole work for one frame. */
export interface LogChanges {
  added: LogEntry[];
  updated: LogEntry[];
  /** Entries dropped from the front to stay within the limit. */
  removed: LogEntry[];
}

const DETAIL_LENGTH = 160;

/** A short one-line rendering of a (redacted, plain) value. */
export function summarise(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    text = String(value);
  }
  return text.length > DETAIL_LENGTH ? `${text.slice(0, DETAIL_LENGTH - 1)}…` : text;
}

/** An event's payload: everything but its type, which is the row's title. */
function summariseEvent(event: unknown): string {
  const { type: _type, ...payload } = event as { type?: unknown };
  return summarise(payload);
}

function callTitle(call: SdkCall): string {
  return `${call.method}()${call.instance > 1 ? ` #${call.instance}` : ''}`;
}

function callDetail(call: SdkCall): string {
  const args = call.args.length === 0 ? '' : summarise(call.args.length === 1 ? call.args[0] : call.args);
  if (call.status === 'pending') return args;
  const took = call.endedAt === undefined ? '' : ` in ${call.endedAt - call.startedAt} ms`;
  const error = call.error ? `: ${call.error.code ?? ''} ${call.error.message}`.trimEnd() : '';
  return `${args}${args ? ' ' : ''}→ ${call.status}${took}${error}`;
}

/**
 * The log behind the panel, free of the DOM: entries in order, at most `limit`, and the changes
 * since the last drain. Noisy events (by key) collapse into the row of their last occurrence, as
 * long as nothing else was logged since.
 */
export class InspectorLog {
  private readonly rows: Entry[] = [];
  private readonly calls = new Map<number, Entry>();
  private readonly collapsible = new Map<string, Entry>();
  // Sets, so a burst between two frames (or while the page is hidden) stays bounded by the limit.
  private added = new Set<Entry>();
  private updated = new Set<Entry>();
  private removed = new Set<Entry>();
  private seq = 0;

  constructor(private readonly limit = 200) {}

  entries(): readonly LogEntry[] {
    return this.rows;
  }

  /**
   * A machine event (its payload is everything but `type`); `noisyKey` names what it collapses
   * with, `weight` how many occurrences it stands for. `event` may be a function giving it: it is
   * called only if the row is drawn (a collapsed run draws its last payload once a frame).
   */
  event(type: string, event: object | (() => object), at: number, noisyKey?: string, weight = 1): void {
    const open = noisyKey === undefined ? undefined : this.collapsible.get(noisyKey);
    if (open) {
      open.count += weight;
      open.at = at;
      open.setPayload(event, summariseEvent);
      this.touch(open);
      return;
    }
    const entry = this.add('event', eventLabel(type), at, noisyKey !== undefined);
    entry.count = weight;
    entry.setPayload(event, summariseEvent);
    if (noisyKey !== undefined) this.collapsible.set(noisyKey, entry);
  }

  state(title: string, detail: string, at: number): void {
    this.add('state', title, at, false).setDetail(detail);
  }

  call(call: SdkCall): void {
    const known = this.calls.get(call.id);
    if (known) {
      known.status = call.status;
      known.setDetail(callDetail(call));
      this.touch(known);
      if (call.status !== 'pending') this.calls.delete(call.id);
      return;
    }
    const entry = this.add('call', callTitle(call), call.startedAt, false);
    entry.setDetail(callDetail(call));
    entry.status = call.status;
    if (call.status === 'pending') this.calls.set(call.id, entry);
  }

  clear(): void {
    for (const entry of this.rows) this.drop(entry);
    this.rows.length = 0;
    this.calls.clear();
    this.collapsible.clear();
  }

  /** The changes since the last drain; the renderer applies them in one go. */
  drain(): LogChanges {
    const changes = { added: [...this.added], updated: [...this.updated].filter((entry) => !this.added.has(entry)), removed: [...this.removed] };
    this.added = new Set();
    this.updated = new Set();
    this.removed = new Set();
    return changes;
  }

  private add(kind: LogEntryKind, title: string, at: number, noisy: boolean): Entry {
    if (!noisy) this.collapsible.clear();
    const entry = new Entry(++this.seq, kind, at, title);
    this.rows.push(entry);
    this.added.add(entry);
    while (this.rows.length > this.limit) {
      const dropped = this.rows.shift();
      if (!dropped) break;
      this.drop(dropped);
      for (const [key, open] of this.collapsible) if (open === dropped) this.collapsible.delete(key);
    }
    return entry;
  }

  /** An entry never drawn just disappears; a drawn one is removed at the next drain. */
  private drop(entry: Entry): void {
    this.updated.delete(entry);
    if (!this.added.delete(entry)) this.removed.add(entry);
  }

  private touch(entry: Entry): void {
    this.updated.add(entry);
  }
}
