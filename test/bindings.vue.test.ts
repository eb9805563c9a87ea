import { createSSRApp, defineComponent, effectScope, h, shallowRef, watch } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { EffectScope } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { createRoomController } from 'trtc-room-machine';
import type { KickReason, RoomController } from 'trtc-room-machine';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import { useRoom, useRoomEvent } from 'trtc-room-machine/vue';
import { counting } from './support/parity.js';

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };

let scopes: EffectScope[] = [];
let rooms: RoomController[] = [];

function setup() {
  const cloud = new SimulatedCloud();
  const participant = (userId: string) => {
    const room = createRoomController({ trtc: () => cloud.createClient({ label: userId }) });
    rooms.push(room);
    return { room, enter: () => room.enter({ ...ROOM, userId, userSig: 'x' }) };
  };
  const scope = effectScope();
  scopes.push(scope);
  const kickAlice = async () => {
    await cloud.removeUser({ ...ROOM, userIds: ['alice'] });
    await cloud.flush();
  };
  return { cloud, scope, alice: participant('alice'), bob: participant('bob'), kickAlice };
}

afterEach(async () => {
  for (const scope of scopes) scope.stop();
  await Promise.all(rooms.map((room) => room.destroy()));
  scopes = [];
  rooms = [];
});

describe('useRoom (Vue)', () => {
  it('follows the view from idle to the room and out of it when kicked', async () => {
    const { scope, alice, kickAlice } = setup();
    const view = scope.run(() => useRoom(alice.room))!;
    expect(view.value.state).toBe('idle');

    const states: string[] = [];
    scope.run(() => watch(() => view.value.state, (state) => states.push(state), { flush: 'sync' }));
    const entering = alice.enter();
    expect(view.value.state).toBe('entering');
    await entering;
    expect(view.value.state).toBe('inRoom');
    expect(view.value).toBe(alice.room.view());

    await kickAlice();
    expect(view.value).toMatchObject({ state: 'kicked', kickReason: 'banned' });
    expect(states).toEqual(['entering', 'inRoom', 'kicked']);
  });

  it('changes a selection only when the selected part changes', async () => {
    const { scope, alice, bob } = setup();
    const state = scope.run(() => useRoom(alice.room, (view) => view.state))!;
    const remoteCount = scope.run(() => useRoom(alice.room, (view) => view.remoteUsers.length))!;
    const view = scope.run(() => useRoom(alice.room))!;
    const stateChanges: string[] = [];
    let viewChanges = 0;
    scope.run(() => {
      watch(state, (next) => stateChanges.push(next), { flush: 'sync' });
      watch(view, () => (viewChanges += 1), { flush: 'sync' });
    });

    await bob.enter();
    await alice.enter();
    await bob.room.startLocalVideo();
    await bob.room.startLocalAudio();
    expect(remoteCount.value).toBe(1);
    expect(alice.room.view().remoteUsers[0]).toMatchObject({ userId: 'bob', video: true, audio: true });
    expect(stateChanges).toEqual(['entering', 'inRoom']);
    expect(viewChanges).toBeGreaterThan(stateChanges.length);
  });

  it('keeps the previous selection when isEqual says the new one is equal', async () => {
    const { scope, alice, bob } = setup();
    const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
    const userIds = scope.run(() => useRoom(alice.room, (view) => view.remoteUsers.map((user) => user.userId), sameIds))!;
    let changes = 0;
    scope.run(() => watch(userIds, () => (changes += 1), { flush: 'sync' }));

    await bob.enter();
    await alice.enter();
    const withBob = userIds.value;
    expect(withBob).toEqual(['bob']);
    await bob.room.startLocalVideo();
    expect(userIds.value).toBe(withBob);
    expect(changes).toBe(1);
  });

  it('stops following the room when its scope stops', async () => {
    const { scope, alice, kickAlice } = setup();
    const view = scope.run(() => useRoom(alice.room))!;
    const state = scope.run(() => useRoom(alice.room, (next) => next.state))!;
    await alice.enter();
    const inRoom = view.value;
    scope.stop();

    await kickAlice();
    expect(alice.room.view().state).toBe('kicked');
    expect(view.value).toBe(inRoom);
    expect(state.value).toBe('inRoom');
  });
});

describe('useRoomEvent (Vue)', () => {
  it('delivers the kicked event until its scope stops', async () => {
    const { scope, alice, kickAlice } = setup();
    const reasons: KickReason[] = [];
    scope.run(() => useRoomEvent(alice.room, 'kicked', (event) => reasons.push(event.reason)));

    await alice.enter();
    await kickAlice();
    expect(reasons).toEqual(['banned']);

    scope.stop();
    await alice.enter();
    await kickAlice();
    expect(alice.room.view().kickReason).toBe('banned');
    expect(reasons).toEqual(['banned']);
  });

  it('returns the function that stops it outside any scope', async () => {
    const { alice, kickAlice } = setup();
    const reasons: KickReason[] = [];
    const stop = useRoomEvent(alice.room, 'kicked', (event) => reasons.push(event.reason));
    await alice.enter();
    stop();
    await kickAlice();
    expect(alice.room.view().state).toBe('kicked');
    expect(reasons).toEqual([]);
  });
});

describe('server rendering (Vue)', () => {
  it('100 renders read the view once each and leave no subscription or listener behind', async () => {
    const { alice } = setup();
    const { counted, active } = counting(alice.room);
    const Card = defineComponent({
      setup() {
        const state = useRoom(counted, (view) => view.state);
        useRoomEvent(counted, 'kicked', () => undefined);
        return () => h('p', { class: 'state' }, state.value);
      },
    });
    for (let i = 0; i < 100; i += 1) {
      expect(await renderToString(createSSRApp(Card))).toBe('<p class="state">idle</p>');
    }
    expect(active()).toBe(0);
  });
});

describe('a controller that changes (Vue)', () => {
  it('a ref or getter of a controller is followed, and the one left is no longer listened to', async () => {
    const { scope, alice, bob } = setup();
    const first = counting(alice.room);
    const second = counting(bob.room);
    const current = shallowRef(first.counted);
    const states: string[] = [];
    const state = scope.run(() => useRoom(current, (view) => view.state))!;
    scope.run(() => useRoomEvent(() => current.value, 'entered', () => states.push(current.value === first.counted ? 'alice' : 'bob')));
    expect(first.active()).toBe(2);

    current.value = second.counted;
    await Promise.resolve();
    expect(first.active()).toBe(0);
    expect(second.active()).toBe(2);
    await alice.enter();
    expect(state.value).toBe('idle');
    await bob.enter();
    expect(state.value).toBe('inRoom');
    expect(states).toEqual(['bob']);
    scope.stop();
    expect(second.active()).toBe(0);
  });
});
