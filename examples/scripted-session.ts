// A scripted session on the built-in simulator: no Tencent account, no browser.
// `npm run story` runs it and prints every state change and every SDK call the controllers make.
import { createRoomController, stateOf } from 'trtc-room-machine';
import type { RoomController } from 'trtc-room-machine';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import type { SimulatedCall } from 'trtc-room-machine/simulator';

const sdkAppId = 1400000000;
const roomId = 8888;
const cloud = new SimulatedCloud({ latencyMs: 20 });

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const step = (text: string) => console.log(`\n${paint(1, `▶ ${text}`)}`);

interface Participant {
  name: string;
  room: RoomController;
  /** trtc.exitRoom() calls made between a kick and the next successful enter: must stay 0. */
  exitsAfterKick: number;
}

function participant(name: string): Participant {
  const tag = paint(36, `[${name}]`.padEnd(16));
  let kicked = false;
  const printCall = (call: SimulatedCall) => {
    if (call.method === 'on' || call.method === 'off') return;
    if (call.method === 'exitRoom' && call.phase === 'call' && kicked) self.exitsAfterKick += 1;
    const outcome = call.phase === 'call' ? '…' : call.phase === 'resolve' ? paint(32, 'ok') : paint(31, `${call.phase} ${call.code ?? ''}`);
    console.log(`${tag} sdk    trtc.${call.method}() ${outcome}`);
  };
  const room = createRoomController({
    trtc: () => {
      const client = cloud.createClient({ label: name });
      client.onCall(printCall);
      return client;
    },
  });
  const self: Participant = { name, room, exitsAfterKick: 0 };

  let last: string = stateOf(room.getSnapshot());
  room.subscribe((snapshot) => {
    const state = stateOf(snapshot);
    if (state === last) return;
    const why = state === 'kicked' ? ` (reason: ${snapshot.context.kickReason})` : '';
    console.log(`${tag} state  ${last} → ${paint(33, state)}${why}`);
    last = state;
  });
  room.on('kicked', () => (kicked = true));
  room.on('entered', () => (kicked = false));
  return self;
}

const config = (userId: string) => ({ sdkAppId, userId, userSig: `demo-sig-for-${userId}`, roomId });

step(`alice and bob enter room ${roomId}`);
const alice = participant('alice');
const bob = participant('bob');
await alice.room.enter(config('alice'));
await bob.room.enter(config('bob'));

step('alice turns on her microphone and camera; bob sees them in his view');
await alice.room.startLocalAudio();
await alice.room.startLocalVideo({ option: { profile: '720p' } });
await cloud.flush();
console.log(`  bob.view().remoteUsers = ${JSON.stringify(bob.room.view().remoteUsers.map(({ userId, audio, video }) => ({ userId, audio, video })))}`);

step('alice signs in on her phone with the same userId: the laptop is kicked out ("kick")');
const phone = participant('alice (phone)');
await phone.room.enter(config('alice'));
await cloud.flush();

await cloud.flush();
console.log(`  the laptop's devices after the kick: ${JSON.stringify(alice.room.view().local)}`);

step('the laptop calls exit() anyway: it resolves at once, with no trtc.exitRoom() call');
await alice.room.exit();

step('the server removes bob (RemoveUser): bob is kicked out ("banned")');
cloud.removeUser({ sdkAppId, roomId, userIds: ['bob'] });
await cloud.flush();

step('bob enters again; then the server dismisses the room (DismissRoom): everyone is out ("room_disband")');
await bob.room.enter(config('bob'));
cloud.dismissRoom({ sdkAppId, roomId });
await cloud.flush();

step('carol enters the fresh room, then destroys her controller: it exits first, then destroys');
const carol = participant('carol');
await carol.room.enter(config('carol'));
await carol.room.destroy();

step('the others destroy theirs: they are out already, so there is nothing to exit');
await Promise.all([alice, bob, phone].map(({ room }) => room.destroy()));

step('what the SDK rules required');
for (const { name, exitsAfterKick } of [alice, bob, phone, carol]) {
  console.log(`  ${name.padEnd(15)} trtc.exitRoom() calls after a kick: ${exitsAfterKick}`);
}
console.log('\nNext: `npm test` runs the whole suite. README.md shows the same calls over the real trtc-sdk-v5.');
