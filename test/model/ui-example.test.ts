import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { RoomStateName, RoomView } from '../../src/index.js';
import { expectedView, roomModel, roomModelEvents, RoomDriver } from '../../src/testing/index.js';
import type { RoomModelEventType } from '../../src/testing/index.js';

/** The UI under test: what the user reads for a view. */
function render(view: RoomView): string {
  switch (view.state) {
    case 'idle':
      return view.error ? `Could not join (${view.error.code}). Try again` : 'Join';
    case 'entering':
      return 'Joining…';
    case 'inRoom': {
      const camera = view.local.camera === 'on' ? 'camera on' : 'camera off';
      return view.connection === 'reconnecting' ? `Reconnecting… (${camera})` : `In the room (${camera})`;
    }
    case 'exiting':
      return 'Leaving…';
    case 'kicked':
      return view.kickReason === 'room_disband' ? 'The room was closed' : 'You were removed from the room';
    case 'destroyed':
      return 'Goodbye';
  }
}

/** What the user should read in each state of the model. */
const SCREENS: Record<RoomStateName, RegExp> = {
  idle: /^(Join|Could not join \(ENTER_FAILED\)\. Try again)$/,
  entering: /^Joining…$/,
  inRoom: /^(In the room|Reconnecting…) \(camera (on|off)\)$/,
  exiting: /^Leaving…$/,
  kicked: /^(The room was closed|You were removed from the room)$/,
  destroyed: /^Goodbye$/,
};

// The part of the model this screen cares about.
const EVENTS: RoomModelEventType[] = [
  'user.enter', 'enter.ok', 'enter.fail', 'user.exit', 'exit.ok', 'kick',
  'connection.drop', 'connection.restore', 'camera.start', 'camera.stop', 'user.destroy',
];
const model = createTestModel(roomModel, {
  events: [...roomModelEvents],
  filterEvents: (state, event) => EVENTS.includes(event.type) && state.can(event),
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the room screen', () => {
  for (const path of model.getShortestPaths()) {
    it(path.description, async () => {
      const driver = new RoomDriver({ advance: (ms) => vi.advanceTimersByTimeAsync(ms) });
      await driver.start();
      await driver.playPath(path, ({ to }) => {
        const screen = render(driver.room.view());
        const expected = expectedView(to);
        expect(screen).toMatch(SCREENS[expected.state]);
        if (expected.state === 'inRoom') {
          expect(screen).toContain(expected.camera === 'on' ? 'camera on' : 'camera off');
          expect(screen.startsWith('Reconnecting')).toBe(expected.connection === 'reconnecting');
        }
        if (expected.state === 'kicked') expect(screen === 'The room was closed').toBe(expected.kickReason === 'room_disband');
      });
      await driver.dispose();
    });
  }
});
