import type { ActorRefLike, AnyActorRef, InspectionEvent, Observer } from 'xstate';
import type { Redactor } from './redact.js';
import { reportListenerError } from '../listeners.js';

/** What `inspect` accepts: an XState v5 inspection observer, or a function of each event. */
export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

interface ActorInternals {
  id?: string;
  src?: unknown;
  logic?: unknown;
  _parent?: ActorRefLike;
}

/** The machine event behind each redacted inspection event: read only by `peekEvent`, never handed out. */
const machineEvents = new WeakMap<object, unknown>();

/**
 * The type of an inspection event's machine event, whether it is noisy, and its `count` — read
 * without making the redacted copy of the event (a walk of an audio-volume batch, a thousand a second).
 */
export function peekEvent(inspection: InspectionEvent): { type: string; noisy: boolean; count?: number } {
  const event = (machineEvents.has(inspection) ? machineEvents.get(inspection) : (inspection as { event?: unknown }).event) as
    | { type?: unknown; count?: unknown }
    | undefined;
  const type = typeof event?.type === 'string' ? event.type : '';
  return { type, noisy: isNoisyEvent(event), ...(typeof event?.count === 'number' ? { count: event.count } : {}) };
}

/** Fields an inspection event refers to actors by; they stay actor refs, with redacted snapshots. */
const REF_FIELDS = new Set(['actorRef', 'sourceRef']);
/** The machine's own transition definitions: static, no session data. */
const DEFINITION_FIELDS = new Set(['_transitions']);

/**
 * Redacts inspection events before they reach any observer. Events, snapshots and action params
 * become plain redacted copies, made when first read; actor refs become small views whose `getSnapshot()` is redacted
 * too (inspectors such as @statelyai/inspect read it), one view per actor.
 */
export function createInspectionRedactor(redactor: Redactor): (event: InspectionEvent) => InspectionEvent {
  const views = new WeakMap<object, ActorRefLike>();

  const viewOf = (ref: ActorRefLike | undefined): ActorRefLike | undefined => {
    if (ref === undefined) return undefined;
    const known = views.get(ref);
    if (known) return known;
    // Only what inspectors read: ids, the (static) logic, the parent, and a redacted snapshot.
    // The actor's internals (its live snapshot, options, system) stay behind.
    const actor = ref as ActorInternals;
    const view: ActorRefLike & Record<string, unknown> = {
      id: actor.id,
      sessionId: ref.sessionId,
      src: actor.src,
      logic: actor.logic,
      get _parent() {
        return viewOf(actor._parent);
      },
      getSnapshot: () => redactor.redact(ref.getSnapshot()),
      send: (event) => ref.send(event),
      toJSON: () => ({ xstate$$type: 1, id: actor.id }),
    };
    views.set(ref, view);
    return view;
  };

  return (event) => {
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      if (REF_FIELDS.has(key)) clean[key] = viewOf(value as ActorRefLike | undefined);
      else if (DEFINITION_FIELDS.has(key)) clean[key] = value;
      else if (typeof value !== 'object' || value === null) clean[key] = redactor.redact(value);
      else lazy(clean, key, () => redactor.redact(value));
    }
    if ('event' in event) machineEvents.set(clean, event.event);
    return clean as unknown as InspectionEvent;
  };
}

/** Copies are made on first read: an observer that skips an event (or a field) costs nothing. */
function lazy(target: Record<string, unknown>, key: string, make: () => unknown): void {
  let made = false;
  let value: unknown;
  Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      if (!made) {
        value = make();
        made = true;
      }
      return value;
    },
  });
}

/**
 * One redacting observer on the actor system, fanning out to every observer added; attached only
 * while someone inspects, so an uninspected controller pays nothing.
 */
export interface InspectionHub {
  /** Adds an observer; `greeting` events (redacted) go to it alone first. */
  add(observer: InspectionObserver, greeting?: readonly InspectionEvent[]): () => void;
  /** The system-level observer (for `createActor`'s `inspect` option and `system.inspect`). */
  readonly observer: Observer<InspectionEvent>;
  readonly size: number;
}

function deliver(observer: Observer<InspectionEvent>, event: InspectionEvent): void {
  try {
    observer.next?.(event);
  } catch (error) {
    // An inspector's failure must not break the room; the others still get the event.
    reportListenerError('inspect', error);
  }
}

export function createInspectionHub(redact: (event: InspectionEvent) => InspectionEvent): InspectionHub {
  const observers = new Set<Observer<InspectionEvent>>();
  const observer: Observer<InspectionEvent> = {
    next(event) {
      if (observers.size === 0) return;
      const clean = redact(event);
      for (const target of observers) deliver(target, clean);
    },
  };
  return {
    add(target, greeting = []) {
      const entry = typeof target === 'function' ? { next: target } : target;
      for (const event of greeting) deliver(entry, redact(event));
      observers.add(entry);
      return () => observers.delete(entry);
    },
    observer,
    get size() {
      return observers.size;
    },
  };
}

/**
 * Audio-volume batches and network-quality reports arrive several times a second and drown the
 * lifecycle in a log: inspectors collapse or drop them. Takes a machine event.
 */
export function isNoisyEvent(event: unknown): boolean {
  const { type, changes } = (event ?? {}) as { type?: unknown; changes?: ReadonlyArray<{ kind?: unknown }> };
  if (type === 'sdk.networkQuality') return true;
  return type === 'sdk.remote' && Array.isArray(changes) && changes.length > 0 && changes.every((change) => change.kind === 'volumes');
}

/**
 * What a late observer is first told: each actor already running announces itself, as it did at
 * its start to an observer given at creation (inspectors take the machine definitions from these).
 */
export function greetingFor(root: AnyActorRef): InspectionEvent[] {
  const children = Object.values(root.getSnapshot().children as Record<string, AnyActorRef | undefined>);
  const running = [root, ...children].filter((ref): ref is AnyActorRef => ref !== undefined);
  return running.map((ref): InspectionEvent => ({ type: '@xstate.actor', actorRef: ref, rootId: root.sessionId }));
}
