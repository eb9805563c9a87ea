import { useEffect, useState } from 'react';
import { createRoomController } from 'trtc-room-machine';
import { useRoom, useRoomEvent } from 'trtc-room-machine/react';
import { SimulatedCloud } from 'trtc-room-machine/simulator';

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };
const cloud = new SimulatedCloud({ latencyMs: 50 });

// Controllers live outside components here, shared by all of them and never destroyed by an
// unmount. A component can own one instead with useRoomController (docs/bindings.md).
const room = createRoomController({ trtc: () => cloud.createClient({ label: 'alice' }) });
const bob = createRoomController({ trtc: () => cloud.createClient({ label: 'bob' }) });
void bob.enter({ ...ROOM, userId: 'bob', userSig: 'x' });

// Read by the browser test: neither line re-renders when only a remote camera changes.
const renders = { status: 0, remoteUsers: 0 };
Object.assign(window, { renders });

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

// A refused or failed command also shows in the view (`state`, `error`): nothing more to do here.
const run = (command: () => Promise<void>) => () => void command().catch(() => undefined);

function Status() {
  const state = useRoom(room, (view) => view.state);
  const kickReason = useRoom(room, (view) => view.kickReason);
  useEffect(() => {
    renders.status += 1;
  });
  return (
    <p>
      State: <b data-testid="state">{state}</b> · kick reason: <b data-testid="kick-reason">{kickReason ?? '—'}</b>
    </p>
  );
}

function RemoteUsers() {
  // A new array on every view: `sameIds` keeps the last one while the ids stay the same.
  const userIds = useRoom(room, (view) => view.remoteUsers.map((user) => user.userId), sameIds);
  useEffect(() => {
    renders.remoteUsers += 1;
  });
  return (
    <p>
      Remote users: <b data-testid="remote-count">{userIds.length}</b> <span data-testid="remote-ids">{userIds.join(', ')}</span>
    </p>
  );
}

function RemoteCameras() {
  const cameras = useRoom(room, (view) => view.remoteUsers.filter((user) => user.video).length);
  return (
    <p>
      Remote cameras on: <b data-testid="remote-cameras">{cameras}</b>
    </p>
  );
}

function Events() {
  const [events, setEvents] = useState<string[]>([]);
  useRoomEvent(room, 'kicked', (event) => setEvents((earlier) => [...earlier, `kicked out: ${event.reason}`]));
  return (
    <p>
      Events: <span data-testid="events">{events.join(' · ') || '—'}</span>
    </p>
  );
}

function Controls() {
  const bobCamera = useRoom(bob, (view) => view.local.camera);
  const toggleBobCamera = run(() => (bobCamera === 'on' ? bob.stopLocalVideo() : bob.startLocalVideo()));
  return (
    <p>
      <button data-testid="enter" onClick={run(() => room.enter({ ...ROOM, userId: 'alice', userSig: 'x' }))}>
        Enter
      </button>{' '}
      <button data-testid="exit" onClick={run(() => room.exit())}>
        Exit
      </button>{' '}
      <button data-testid="kick" onClick={() => cloud.removeUser({ ...ROOM, userIds: ['alice'] })}>
        Kick me
      </button>{' '}
      <button data-testid="destroy" onClick={run(() => room.destroy())}>
        Destroy
      </button>{' '}
      <button data-testid="bob-camera" onClick={toggleBobCamera}>
        Bob: camera {bobCamera === 'on' ? 'off' : 'on'}
      </button>
    </p>
  );
}

export function App() {
  return (
    <main>
      <h1>trtc-room-machine + React</h1>
      <Controls />
      <Status />
      <RemoteUsers />
      <RemoteCameras />
      <Events />
    </main>
  );
}
