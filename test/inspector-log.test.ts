import { describe, expect, it } from 'vitest';
import { InspectorLog, summarise } from '../src/inspector/index.js';
import type { SdkCall } from '../src/index.js';

const volumes = (n: number) => ({ change: { kind: 'volumes', volumes: [{ userId: 'bob', volume: n }] } });
const titles = (log: InspectorLog) => log.entries().map((entry) => `${entry.title}${entry.count > 1 ? ` ×${entry.count}` : ''}`);

describe('the inspector panel log', () => {
  it('collapses a run of noisy events into one counted row, until something else is logged', () => {
    const log = new InspectorLog();
    log.event('room.enter', {}, 1);
    for (let i = 0; i < 500; i += 1) log.event('sdk.remote', volumes(i), 2 + i, 'volumes');
    log.event('sdk.networkQuality', {}, 600, 'sdk.networkQuality');
    log.event('sdk.remote', volumes(7), 601, 'volumes');
    log.event('sdk.kickedOut', { reason: 'kick' }, 700);
    log.event('sdk.remote', volumes(8), 701, 'volumes');
    expect(titles(log)).toEqual(['room.enter', 'sdk.remote ×501', 'sdk.networkQuality', 'sdk.kickedOut', 'sdk.remote']);
    const collapsed = log.entries()[1];
    expect(collapsed?.at).toBe(601);
    expect(collapsed?.detail).toContain('"volume":7');
  });

  it('names machine-made events as the diagram does', () => {
    const log = new InspectorLog();
    log.event('xstate.done.actor.enterRoom', {}, 1);
    log.event('xstate.error.actor.exitRoom', {}, 2);
    log.event('xstate.after.enterTimeout.room.entering', {}, 3);
    expect(titles(log)).toEqual(['done: enterRoom', 'error: exitRoom', 'after enterTimeout']);
  });

  it('keeps one row per SDK call, updated when it settles', () => {
    const log = new InspectorLog();
    const call: SdkCall = { id: 1, instance: 1, method: 'enterRoom', args: [{ userSig: '[redacted]' }], status: 'pending', startedAt: 10 };
    log.call(call);
    log.drain();
    log.call({ ...call, status: 'rejected', endedAt: 35, error: { code: 5000, message: 'no' } });
    const { added, updated } = log.drain();
    expect(added).toEqual([]);
    expect(updated).toHaveLength(1);
    expect(log.entries()).toHaveLength(1);
    expect(log.entries()[0]).toMatchObject({ title: 'enterRoom()', status: 'rejected', at: 10 });
    expect(log.entries()[0]?.detail).toBe('{"userSig":"[redacted]"} → rejected in 25 ms: 5000 no');
    log.call({ id: 2, instance: 2, method: 'destroy', args: [], status: 'pending', startedAt: 40 });
    expect(log.entries()[1]?.title).toBe('destroy() #2');
  });

  it('stays within its limit, and a drain reports only what a renderer must do', () => {
    const log = new InspectorLog(3);
    log.event('a', {}, 1);
    log.event('b', {}, 2);
    expect(log.drain().added.map((entry) => entry.title)).toEqual(['a', 'b']);
    for (const name of ['c', 'd', 'e', 'f']) log.event(name, {}, 3);
    const changes = log.drain();
    // c was added and dropped between two drains: never drawn, never removed.
    expect(changes.added.map((entry) => entry.title)).toEqual(['d', 'e', 'f']);
    expect(changes.removed.map((entry) => entry.title)).toEqual(['a', 'b']);
    expect(titles(log)).toEqual(['d', 'e', 'f']);
    log.clear();
    expect(log.drain().removed.map((entry) => entry.title)).toEqual(['d', 'e', 'f']);
    expect(log.entries()).toEqual([]);
  });

  it('a burst while nothing drains stays bounded', () => {
    const log = new InspectorLog(50);
    for (let i = 0; i < 10_000; i += 1) log.event(`e${i}`, { i }, i);
    const changes = log.drain();
    expect(changes.added).toHaveLength(50);
    expect(changes.removed).toHaveLength(0);
  });

  it('summarises payloads on one short line', () => {
    expect(summarise({ a: 1 })).toBe('{"a":1}');
    const long = summarise({ text: 'x'.repeat(500) });
    expect(long.length).toBe(160);
    expect(long.endsWith('…')).toBe(true);
  });
});
