import { shallowEqual as xstateShallowEqual, useSelector } from '@xstate/react';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { shallowEqual, useRoom } from '../src/bindings/react.js';
import type { RoomController } from '../src/controller.js';
import type { RoomView } from '../src/machines/room/room.view.js';
import { CASE_NAMES, CASES, actorOf, aliceSession, counting } from './support/parity.js';
import type { CaseName } from './support/parity.js';

// Our useRoom and @xstate/react's useSelector, fed the same controller, in a server render. What
// needs effects (mounting, StrictMode, unmounting) is compared in Chromium: test/browser/bindings-parity.test.ts.

function Ours({ room, name }: { room: RoomController; name: CaseName }) {
  const { selector, ours } = CASES[name];
  return createElement('p', null, JSON.stringify(useRoom(room, (view) => selector(view), ours)));
}

function Xstate({ room, name }: { room: RoomController; name: CaseName }) {
  const { selector, xstate } = CASES[name];
  // A new actor each render, as a server renders each component once.
  return createElement('p', null, JSON.stringify(useSelector(actorOf(room), (view: RoomView) => selector(view), xstate)));
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

describe('ours and @xstate/react, rendered on the server', () => {
  it.each(CASE_NAMES)('selector %s: 100 renders show the current value, and neither subscribes', async (name) => {
    const session = aliceSession();
    cleanups.push(session.destroy);
    const [alice, bob] = session.steps;
    await alice!();
    await bob!();
    const html = `<p>${JSON.stringify(CASES[name].selector(session.alice.view())).replaceAll('"', '&quot;')}</p>`;
    expect(html).toContain('inRoom');
    const ours = counting(session.alice);
    const xstate = counting(session.alice);
    for (let i = 0; i < 100; i += 1) {
      expect(renderToString(createElement(Ours, { room: ours.counted, name }))).toBe(html);
      expect(renderToString(createElement(Xstate, { room: xstate.counted, name }))).toBe(html);
    }
    // useSyncExternalStore reads the server snapshot and never subscribes on the server.
    expect([ours.active(), ours.made()]).toEqual([0, 0]);
    expect([xstate.active(), xstate.made()]).toEqual([0, 0]);
  });
});

describe("our shallowEqual and @xstate/react's", () => {
  it('agree, but for an array against an object with the same entries', () => {
    const inner = { on: true };
    const pairs: Array<[unknown, unknown]> = [
      [{ a: 1, b: inner }, { b: inner, a: 1 }],
      [{ a: 1, b: inner }, { a: 1, b: { on: true } }],
      [{ a: undefined }, { b: undefined }],
      [[1, inner], [1, inner]],
      [0, -0],
      [NaN, NaN],
    ];
    for (const [a, b] of pairs) expect(shallowEqual(a, b)).toBe(xstateShallowEqual(a, b));
    // @xstate/react's is react-redux's, which compares keys only.
    expect([shallowEqual([1], { 0: 1 }), xstateShallowEqual([1], { 0: 1 })]).toEqual([false, true]);
  });
});
