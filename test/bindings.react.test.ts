import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { RoomProvider, useRoom, useRoomContext, useRoomController } from '../src/bindings/react.js';
import { createRoomController } from '../src/controller.js';

// Effects need a DOM: StrictMode's mount, unmount, mount is tested in Chromium
// (test/browser/bindings.test.ts). A server render runs no effect, which is what is checked here.
describe('the React bindings in a server render', () => {
  const cloud = new SimulatedCloud();

  it('useRoomController creates no controller, and gives null', () => {
    let created = 0;
    function Owner() {
      const room = useRoomController(() => {
        created += 1;
        return createRoomController({ trtc: () => cloud.createClient() });
      });
      return createElement('p', null, room === null ? 'no room yet' : 'a room');
    }
    for (let i = 0; i < 3; i += 1) expect(renderToString(createElement(Owner))).toBe('<p>no room yet</p>');
    expect(created).toBe(0);
  });

  it('useRoomContext reads the controller of the RoomProvider above', async () => {
    const room = createRoomController({ trtc: () => cloud.createClient() });
    function State() {
      return createElement('b', null, useRoom(useRoomContext(), (view) => view.state));
    }
    expect(renderToString(createElement(RoomProvider, { room }, createElement(State)))).toBe('<b>idle</b>');
    await room.destroy();
    expect(renderToString(createElement(RoomProvider, { room }, createElement(State)))).toBe('<b>destroyed</b>');
  });

  it('useRoomContext outside a RoomProvider throws, naming what is missing', () => {
    function Orphan() {
      useRoomContext();
      return null;
    }
    expect(() => renderToString(createElement(Orphan))).toThrow('useRoomContext(): no <RoomProvider room={...}> above this component');
  });
});
