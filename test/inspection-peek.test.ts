import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createInspectionRedactor, peekEvent } from '../src/inspect/inspection.js';
import { createRedactor } from '../src/inspect/redact.js';
import { InspectorLog } from '../src/inspector/index.js';

/** A redactor that counts the values it is asked to redact. */
function counting() {
  const inner = createRedactor({ values: ['hush'] });
  let calls = 0;
  return {
    redactor: { ...inner, redact: (value: unknown) => ((calls += 1), inner.redact(value)) },
    calls: () => calls,
  };
}

const volumes = { type: 'sdk.remote', count: 3, changes: [{ kind: 'volumes', volumes: [{ userId: 'hush', volume: 4 }] }] };

describe('peekEvent', () => {
  it('tells the type, noisiness and count of the machine event without making its redacted copy', () => {
    const { redactor, calls } = counting();
    const redact = createInspectionRedactor(redactor);
    const clean = redact({ type: '@xstate.event', event: volumes, actorRef: undefined, sourceRef: undefined, rootId: 'x' } as unknown as InspectionEvent);
    const before = calls();
    expect(peekEvent(clean)).toEqual({ type: 'sdk.remote', noisy: true, count: 3 });
    expect(calls()).toBe(before);
    // Reading the event itself still gives the redacted copy only.
    expect(JSON.stringify((clean as { event?: unknown }).event)).not.toContain('hush');
    expect(calls()).toBe(before + 1);
  });

  it('reads unredacted inspection events (a greeting) directly', () => {
    const event = { type: '@xstate.event', event: { type: 'room.enter' } } as unknown as InspectionEvent;
    expect(peekEvent(event)).toEqual({ type: 'room.enter', noisy: false });
  });
});

describe('InspectorLog.event with a payload getter', () => {
  it('calls the getter only when the row is drawn, once for a collapsed run', () => {
    const log = new InspectorLog();
    let reads = 0;
    for (let i = 0; i < 100; i += 1) log.event('sdk.remote', () => ((reads += 1), { type: 'sdk.remote', n: i }), i, 'sdk.remote');
    expect(reads).toBe(0);
    const { added } = log.drain();
    expect(added).toHaveLength(1);
    expect(added[0]?.count).toBe(100);
    expect(added[0]?.detail).toBe('{"n":99}');
    expect(reads).toBe(1);
  });
});
