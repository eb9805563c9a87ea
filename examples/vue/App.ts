import { defineComponent, h, ref } from 'vue';
import { createRoomController } from 'trtc-room-machine';
import { useRoom, useRoomEvent } from 'trtc-room-machine/vue';
import { SimulatedCloud } from 'trtc-room-machine/simulator';

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };
const cloud = new SimulatedCloud({ latencyMs: 50 });

// Controllers live outside components: unmounting a component must not end a room others show.
const room = createRoomController({ trtc: () => cloud.createClient({ label: 'alice' }) });
const bob = createRoomController({ trtc: () => cloud.createClient({ label: 'bob' }) });
void bob.enter({ ...ROOM, userId: 'bob', userSig: 'x' });

// Read by the browser test: neither line re-renders when only a remote camera changes.
const renders = { status: 0, remoteUsers: 0 };
Object.assign(window, { renders });

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

// A refused or failed command also shows in the view (`state`, `error`): nothing more to do here.
const run = (command: () => Promise<void>) => () => void command().catch(() => undefined);

const Status = defineComponent(() => {
  const state = useRoom(room, (view) => view.state);
  const kickReason = useRoom(room, (view) => view.kickReason);
  return () => {
    renders.status += 1;
    return h('p', [
      'State: ',
      h('b', { 'data-testid': 'state' }, state.value),
      ' · kick reason: ',
      h('b', { 'data-testid': 'kick-reason' }, kickReason.value ?? '—'),
    ]);
  };
});

const RemoteUsers = defineComponent(() => {
  // A new array on every view: `sameIds` keeps the last one while the ids stay the same.
  const userIds = useRoom(room, (view) => view.remoteUsers.map((user) => user.userId), sameIds);
  return () => {
    renders.remoteUsers += 1;
    return h('p', [
      'Remote users: ',
      h('b', { 'data-testid': 'remote-count' }, userIds.value.length),
      ' ',
      h('span', { 'data-testid': 'remote-ids' }, userIds.value.join(', ')),
    ]);
  };
});

const RemoteCameras = defineComponent(() => {
  const cameras = useRoom(room, (view) => view.remoteUsers.filter((user) => user.video).length);
  return () => h('p', ['Remote cameras on: ', h('b', { 'data-testid': 'remote-cameras' }, cameras.value)]);
});

const Events = defineComponent(() => {
  const events = ref<string[]>([]);
  useRoomEvent(room, 'kicked', (event) => events.value.push(`kicked out: ${event.reason}`));
  return () => h('p', ['Events: ', h('span', { 'data-testid': 'events' }, events.value.join(' · ') || '—')]);
});

const Controls = defineComponent(() => {
  const bobCamera = useRoom(bob, (view) => view.local.camera);
  const toggleBobCamera = run(() => (bobCamera.value === 'on' ? bob.stopLocalVideo() : bob.startLocalVideo()));
  const button = (testId: string, label: string, onClick: () => void) => [h('button', { 'data-testid': testId, onClick }, label), ' '];
  return () =>
    h('p', [
      ...button('enter', 'Enter', run(() => room.enter({ ...ROOM, userId: 'alice', userSig: 'x' }))),
      ...button('exit', 'Exit', run(() => room.exit())),
      ...button('kick', 'Kick me', () => cloud.removeUser({ ...ROOM, userIds: ['alice'] })),
      ...button('destroy', 'Destroy', run(() => room.destroy())),
      ...button('bob-camera', `Bob: camera ${bobCamera.value === 'on' ? 'off' : 'on'}`, toggleBobCamera),
    ]);
});

export const App = defineComponent(() => () =>
  h('main', [h('h1', 'trtc-room-machine + Vue'), h(Controls), h(Status), h(RemoteUsers), h(RemoteCameras), h(Events)]),
);
