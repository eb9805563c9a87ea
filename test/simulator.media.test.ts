// The simulator's media: local tracks, what the others in the room receive of them, remote
// subscriptions, volumes, autoplay, network quality, switchRole and switchRoom. Behaviour of
// trtc-sdk-v5 5.17.1 read from its bundle where not measured (see the comments in the simulator).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient, SimulatedFault, SimulatedMethod, SimulatedRoomRef } from '../src/adapters/simulator/index.js';
import { watch } from './support/watch.js';

type EnterConfig = Parameters<SimulatedClient['enterRoom']>[0];
type Logged = [event: string, payload: unknown];

const APP = 1400000001;
const ROOM: SimulatedRoomRef = { sdkAppId: APP, roomId: 123 };
const CSC = 'connection-state-changed';
const EVENTS = [
  CSC,
  'kicked-out',
  'error',
  'remote-user-enter',
  'remote-user-exit',
  'remote-audio-available',
  'remote-audio-unavailable',
  'remote-video-available',
  'remote-video-unavailable',
  'screen-share-stopped',
  'network-quality',
];

function config(userId: string, room: Partial<EnterConfig> = { roomId: 123 }): EnterConfig {
  return { sdkAppId: APP, userId, userSig: `sig-${userId}`, ...room };
}

/** Records the client's SDK events in order; screen-share-stopped has no payload. */
function events(client: SimulatedClient, names: readonly string[] = EVENTS): Logged[] {
  const log: Logged[] = [];
  for (const event of names) client.on(event, (...args: unknown[]) => void log.push([event, args[0]]));
  return log;
}

/** The remote-* events only. */
const remote = (log: Logged[]): Logged[] => log.filter(([event]) => event.startsWith('remote-'));

const enter = (userId: string): Logged => ['remote-user-enter', { userId }];
const exit = (userId: string): Logged => ['remote-user-exit', { userId }];
const audio = (userId: string, on: boolean): Logged => [`remote-audio-${on ? 'available' : 'unavailable'}`, { userId }];
const video = (userId: string, streamType: 'main' | 'sub', on: boolean): Logged => [
  `remote-video-${on ? 'available' : 'unavailable'}`,
  { userId, streamType },
];

async function inRoom(cloud: SimulatedCloud, userId: string, room?: Partial<EnterConfig>): Promise<SimulatedClient> {
  const client = cloud.createClient({ label: userId });
  await client.enterRoom(config(userId, room));
  return client;
}

/** alice, then bob, in one room, each with an event log started after both joined. */
async function pair(cloud: SimulatedCloud) {
  const alice = await inRoom(cloud, 'alice');
  const bob = await inRoom(cloud, 'bob');
  return { alice, bob, aliceLog: events(alice), bobLog: events(bob) };
}

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const callLines = (client: SimulatedClient, methods: readonly SimulatedMethod[]): string[] =>
  client.calls.filter((c) => methods.includes(c.method)).map((c) => [c.method, c.phase, c.code ?? ''].join(' ').trim());

afterEach(() => {
  vi.useRealTimers();
});

describe('local media', () => {
  it('preview before entering: tracks start while idle, nobody sees them; enterRoom publishes them', async () => {
    const cloud = new SimulatedCloud();
    const bob = await inRoom(cloud, 'bob');
    const bobLog = events(bob);
    const alice = cloud.createClient({ label: 'alice' });
    await alice.startLocalAudio();
    await alice.startLocalVideo({ view: 'preview', option: { profile: '720p' } });
    expect(alice.local).toEqual({
      audio: { started: true, muted: false, published: false },
      video: { started: true, muted: false, published: false, options: { view: 'preview', option: { profile: '720p' } } },
      screen: { started: false, published: false, systemAudio: false },
    });
    expect(bobLog).toEqual([]);

    await alice.enterRoom(config('alice'));
    expect(alice.local).toMatchObject({ audio: { published: true }, video: { published: true } });
    expect(bobLog).toEqual([enter('alice'), audio('alice', true), video('alice', 'main', true)]);
  });

  it('publish: false captures without publishing, on entering too; update({ publish: true }) publishes', async () => {
    const cloud = new SimulatedCloud();
    const alice = cloud.createClient({ label: 'alice' });
    await alice.startLocalVideo({ publish: false });
    const bob = await inRoom(cloud, 'bob');
    const bobLog = events(bob);
    await alice.enterRoom(config('alice'));
    expect(alice.local.video).toMatchObject({ started: true, published: false });
    expect(bobLog).toEqual([enter('alice')]);

    await alice.updateLocalVideo({ publish: true });
    expect(bobLog).toEqual([enter('alice'), video('alice', 'main', true)]);
    await alice.updateLocalVideo({ publish: false });
    expect(bobLog.slice(2)).toEqual([video('alice', 'main', false)]);
    expect(alice.local.video).toMatchObject({ started: true, published: false });
  });

  it('start, mute, unmute and stop of the microphone and camera reach the other client', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    await alice.startLocalAudio();
    await alice.startLocalVideo();
    await alice.updateLocalAudio({ mute: true });
    expect(alice.local.audio).toEqual({ started: true, muted: true, published: true });
    await alice.updateLocalVideo({ mute: true });
    await alice.updateLocalAudio({ mute: false });
    await alice.updateLocalVideo({ mute: false });
    await alice.stopLocalAudio();
    await alice.stopLocalVideo();
    expect(bobLog).toEqual([
      audio('alice', true),
      video('alice', 'main', true),
      audio('alice', false),
      video('alice', 'main', false),
      audio('alice', true),
      video('alice', 'main', true),
      audio('alice', false),
      video('alice', 'main', false),
    ]);
    expect(alice.local.audio).toEqual({ started: false, muted: false, published: false });
  });

  it("a track started muted is published but not available; 'microphone' mutes too", async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob, bobLog } = await pair(cloud);
    await alice.startLocalAudio({ mute: 'microphone' });
    expect(alice.local.audio).toEqual({ started: true, muted: true, published: true });
    expect(bobLog).toEqual([]);
    // Published but muted: the remote user exists for startRemoteVideo, the stream does not.
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({ extraCode: 5103 });
  });

  it('screen share is the sub stream; option.systemAudio is recorded; updateScreenShare keeps it', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    await alice.startScreenShare({ option: { systemAudio: true } });
    expect(alice.local.screen).toEqual({ started: true, published: true, systemAudio: true });
    await alice.updateScreenShare({ option: { fillMode: 'contain' } });
    expect(alice.local.screen.systemAudio).toBe(true);
    await alice.stopScreenShare();
    expect(alice.local.screen).toEqual({ started: false, published: false, systemAudio: false });
    await alice.startScreenShare();
    expect(alice.local.screen.systemAudio).toBe(false);
    expect(bobLog).toEqual([video('alice', 'sub', true), video('alice', 'sub', false), video('alice', 'sub', true)]);
  });

  it("the browser's Stop sharing: the share ends, screen-share-stopped here, sub unavailable there, no call", async () => {
    const cloud = new SimulatedCloud();
    const { alice, aliceLog, bobLog } = await pair(cloud);
    await alice.startScreenShare();
    alice.endScreenShareByBrowser();
    expect(aliceLog).toEqual([['screen-share-stopped', undefined]]);
    expect(bobLog).toEqual([video('alice', 'sub', true), video('alice', 'sub', false)]);
    expect(alice.local.screen.started).toBe(false);
    expect(alice.calls.filter((c) => c.method === 'stopScreenShare')).toEqual([]);
    alice.endScreenShareByBrowser();
    expect(aliceLog).toHaveLength(1);
    await expect(alice.startScreenShare()).resolves.toBeUndefined();
  });

  it('the SDK refuses a second start and an update before start with 5998; a stop of nothing resolves', async () => {
    const cloud = new SimulatedCloud();
    const alice = cloud.createClient({ label: 'alice' });
    await expect(alice.updateLocalVideo({ mute: true })).rejects.toMatchObject({ code: 5998, message: 'updateLocalVideo abort: not started' });
    await expect(alice.stopLocalVideo()).resolves.toBeUndefined();
    await alice.startLocalVideo();
    await expect(alice.startLocalVideo()).rejects.toMatchObject({ code: 5998, message: 'startLocalVideo abort: already started' });

    const first = alice.startLocalAudio();
    await expect(alice.startLocalAudio()).rejects.toMatchObject({ code: 5998, message: 'startLocalAudio abort: already start' });
    await first;
    expect(alice.local.audio.started).toBe(true);
  });

  it('calls on one track run one after the other: a stop right after a start ends stopped', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 5 });
    const alice = cloud.createClient({ label: 'alice' });
    const order: string[] = [];
    const starting = alice.startLocalVideo().then(() => order.push(`start:${alice.local.video.started}`));
    const updating = alice.updateLocalVideo({ mute: true }).then(() => order.push(`update:${alice.local.video.muted}`));
    const stopping = alice.stopLocalVideo().then(() => order.push(`stop:${alice.local.video.started}`));
    await Promise.all([starting, updating, stopping]);
    expect(order).toEqual(['start:true', 'update:true', 'stop:false']);
    await expect(alice.updateLocalVideo({ mute: false })).rejects.toMatchObject({ code: 5998 });
  });

  it.each([
    ['permission denied', 5302, 'NotAllowedError: Permission denied'],
    ['no device', 5301, 'NotFoundError: Requested device not found'],
  ])('device failure (%s): startLocalVideo rejects 5300/%i, nothing starts, a retry works', async (_, extraCode, message) => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    alice.injectFault('startLocalVideo', { kind: 'reject', code: 5300, extraCode, message });
    await expect(alice.startLocalVideo()).rejects.toMatchObject({ name: 'RtcError', code: 5300, extraCode, message, functionName: 'startLocalVideo' });
    expect(alice.local.video.started).toBe(false);
    expect(bobLog).toEqual([]);
    await alice.startLocalVideo();
    expect(bobLog).toEqual([video('alice', 'main', true)]);
    expect(callLines(alice, ['startLocalVideo'])).toEqual([
      'startLocalVideo call',
      'startLocalVideo reject 5300',
      'startLocalVideo call',
      'startLocalVideo resolve',
    ]);
  });

  it('a device fault without a code is 5300/5303 "NotReadableError: device in use"', async () => {
    const alice = new SimulatedCloud().createClient({ label: 'alice' });
    alice.injectFault('startLocalAudio', { kind: 'reject' });
    alice.injectFault('startScreenShare', { kind: 'throw' });
    await expect(alice.startLocalAudio()).rejects.toMatchObject({ code: 5300, extraCode: 5303, message: 'NotReadableError: device in use' });
    expect(() => alice.startScreenShare()).toThrow(expect.objectContaining({ code: 5300, extraCode: 5303 }));
    expect(alice.local.audio.started).toBe(false);
    expect(alice.local.screen.started).toBe(false);
  });

  it('destroy() stops every local track; afterwards start and update reject 5100, stop resolves', async () => {
    const cloud = new SimulatedCloud();
    const alice = cloud.createClient({ label: 'alice' });
    await alice.startLocalAudio();
    await alice.startLocalVideo();
    await alice.startScreenShare();
    alice.destroy();
    expect(alice.local).toEqual({
      audio: { started: false, muted: false, published: false },
      video: { started: false, muted: false, published: false, options: undefined },
      screen: { started: false, published: false, systemAudio: false },
    });
    await expect(alice.startLocalAudio()).rejects.toMatchObject({ code: 5100 });
    await expect(alice.updateLocalVideo({ mute: true })).rejects.toMatchObject({ code: 5100 });
    await expect(alice.stopScreenShare()).resolves.toBeUndefined();
  });

  it('destroy() in a room throws 5100 before stopping the tracks: they stay captured, no longer published', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    await alice.startLocalAudio();
    expect(() => alice.destroy()).toThrow(expect.objectContaining({ code: 5100 }));
    expect(alice.local.audio).toEqual({ started: true, muted: false, published: false });
    expect(bobLog).toEqual([audio('alice', true), audio('alice', false), exit('alice')]);
    await alice.stopLocalAudio();
    expect(alice.local.audio.started).toBe(false);
  });

  it('exitRoom and kicks keep the local tracks (unpublished); the next enterRoom publishes them again', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob, bobLog } = await pair(cloud);
    await alice.startLocalAudio();
    await alice.startLocalVideo();
    await alice.exitRoom();
    expect(alice.local).toMatchObject({ audio: { started: true, published: false }, video: { started: true, published: false } });
    expect(bobLog).toEqual([audio('alice', true), video('alice', 'main', true), audio('alice', false), video('alice', 'main', false), exit('alice')]);

    bobLog.length = 0;
    await alice.enterRoom(config('alice'));
    await cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['alice'] });
    await cloud.flush();
    expect(alice.local).toMatchObject({ audio: { started: true, published: false }, video: { started: true, published: false } });
    expect(bobLog).toEqual([
      enter('alice'),
      audio('alice', true),
      video('alice', 'main', true),
      audio('alice', false),
      video('alice', 'main', false),
      exit('alice'),
    ]);
    expect(bob.state).toBe('inRoom');
  });
});

describe('roles in the live scene', () => {
  it('the role defaults to anchor, in the live scene too', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live' });
    expect(alice.role).toBe('anchor');
    const bob = await inRoom(cloud, 'bob', { roomId: 123, scene: 'live' });
    const bobLog = events(bob);
    await alice.startLocalAudio();
    expect(bobLog).toEqual([audio('alice', true)]);
  });

  it('an audience is not announced; its tracks start but are not published (the SDK swallows the refusal)', async () => {
    const cloud = new SimulatedCloud();
    const bob = await inRoom(cloud, 'bob', { roomId: 123, scene: 'live' });
    const bobLog = events(bob);
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live', role: 'audience' });
    const aliceLog = events(alice);
    await expect(alice.startLocalAudio()).resolves.toBeUndefined();
    await alice.startLocalVideo();
    expect(alice.local).toMatchObject({ audio: { started: true, published: false }, video: { started: true, published: false } });
    await bob.startLocalVideo();
    expect(bobLog).toEqual([]);
    expect(remote(aliceLog)).toEqual([video('bob', 'main', true)]);
    expect(cloud.usersIn(ROOM)).toEqual(['bob', 'alice']);
  });

  it("switchRole('anchor') announces the user and publishes its started tracks; 'audience' takes them back", async () => {
    const cloud = new SimulatedCloud();
    const bob = await inRoom(cloud, 'bob', { roomId: 123, scene: 'live' });
    const bobLog = events(bob);
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live', role: 'audience' });
    await alice.startLocalAudio();
    await alice.startScreenShare({ publish: false });

    await alice.switchRole('anchor');
    expect(alice.role).toBe('anchor');
    expect(alice.local).toMatchObject({ audio: { published: true }, screen: { started: true, published: false } });
    expect(bobLog).toEqual([enter('alice'), audio('alice', true)]);

    await alice.switchRole('audience');
    expect(alice.local.audio).toEqual({ started: true, muted: false, published: false });
    expect(bobLog.slice(2)).toEqual([audio('alice', false), exit('alice')]);
  });

  it('becoming an audience unpublishes at once, before the server answers', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 10 });
    const { alice, bobLog } = await pair(cloud);
    await alice.startLocalAudio();
    const switching = watch(alice.switchRole('audience'));
    expect(bobLog).toEqual([audio('alice', true), audio('alice', false)]);
    expect(switching.state).toBe('pending');
    await cloud.flush();
    expect(switching.state).toBe('resolved');
    // In the rtc scene the role changes nothing else: the user stays in the others' rosters.
    expect(bobLog).toHaveLength(2);
  });

  it('a switchRole whose room was left meanwhile rejects 5100/5101', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 5 });
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live' });
    const switching = alice.switchRole('audience');
    alice.failRejoin();
    await expect(switching).rejects.toMatchObject({ code: 5100, extraCode: 5101 });
    expect(alice.role).toBe('anchor');
  });
});

describe('remote users and streams', () => {
  it('a newcomer meets each user already there, then its streams; they meet the newcomer, then its streams', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice');
    await alice.startLocalAudio();
    await alice.startScreenShare();
    const bob = await inRoom(cloud, 'bob');
    const logs = [events(alice), events(bob)];
    const carol = cloud.createClient({ label: 'carol' });
    const carolLog = events(carol);
    await carol.startLocalVideo();
    await carol.enterRoom(config('carol'));

    expect(remote(carolLog)).toEqual([enter('alice'), audio('alice', true), video('alice', 'sub', true), enter('bob')]);
    for (const log of logs) expect(remote(log)).toEqual([enter('carol'), video('carol', 'main', true)]);
  });

  it('an app may subscribe from its remote-video-available handler, also to a user who enters with video', async () => {
    const cloud = new SimulatedCloud();
    const bob = await inRoom(cloud, 'bob');
    const subscribing: Array<Promise<void>> = [];
    bob.on('remote-video-available', ({ userId, streamType }: { userId: string; streamType: 'main' | 'sub' }) => {
      subscribing.push(bob.startRemoteVideo({ userId, streamType }));
    });
    const alice = cloud.createClient({ label: 'alice' });
    await alice.startLocalVideo();
    await alice.enterRoom(config('alice'));
    await alice.startScreenShare();
    await Promise.all(subscribing);
    expect(bob.subscriptions()).toEqual([
      { userId: 'alice', streamType: 'main' },
      { userId: 'alice', streamType: 'sub' },
    ]);
  });

  it.each<[string, (cloud: SimulatedCloud, alice: SimulatedClient) => Promise<unknown> | void]>([
    ['exitRoom', (_, alice) => alice.exitRoom()],
    ['a kick', (cloud) => cloud.removeUser({ sdkAppId: APP, roomId: 123, userIds: ['alice'] })],
    ['the same userId entering', (cloud) => inRoom(cloud, 'alice')],
    ['a failed rejoin', (_, alice) => alice.failRejoin()],
    ['destroy', (_, alice) => void expect(() => alice.destroy()).toThrow()],
    ['switchRoom', (_, alice) => alice.switchRoom({ roomId: 456, userSig: 'sig' })],
  ])('leaving by %s: the others see the streams go first, then the user', async (_, leave) => {
    const cloud = new SimulatedCloud();
    const { alice, bobLog } = await pair(cloud);
    await alice.startLocalAudio();
    await alice.startLocalVideo();
    await alice.startScreenShare();
    bobLog.length = 0;
    await leave(cloud, alice);
    await cloud.flush();
    expect(remote(bobLog).slice(0, 4)).toEqual([audio('alice', false), video('alice', 'main', false), video('alice', 'sub', false), exit('alice')]);
  });

  it('startRemoteVideo: not in a room 5101, unknown or silent user 5102, stream not there 5103, bad options 5000', async () => {
    const cloud = new SimulatedCloud();
    const bob = cloud.createClient({ label: 'bob' });
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({ code: 5100, extraCode: 5101 });
    await bob.enterRoom(config('bob'));
    const alice = await inRoom(cloud, 'alice');
    await expect(bob.startRemoteVideo({ userId: 'nobody', streamType: 'main' })).rejects.toMatchObject({ code: 5100, extraCode: 5102 });
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({ code: 5100, extraCode: 5102 });
    await alice.startLocalAudio();
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({ code: 5100, extraCode: 5103 });
    await alice.startLocalVideo();
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'sub' })).rejects.toMatchObject({ code: 5100, extraCode: 5103 });
    const bad = { userId: 'alice', streamType: 'big' } as unknown as Parameters<SimulatedClient['startRemoteVideo']>[0];
    await expect(bob.startRemoteVideo(bad)).rejects.toMatchObject({ code: 5000, extraCode: 5005 });
    const noUser = { streamType: 'main' } as unknown as Parameters<SimulatedClient['startRemoteVideo']>[0];
    await expect(bob.startRemoteVideo(noUser)).rejects.toMatchObject({ code: 5000, extraCode: 5001 });
    expect(bob.subscriptions()).toEqual([]);

    await bob.startRemoteVideo({ userId: 'alice', streamType: 'main', view: 'v' });
    expect(bob.subscriptions()).toEqual([{ userId: 'alice', streamType: 'main' }]);
    await expect(bob.startRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({
      code: 5998,
      message: 'startRemoteVideo abort: already started',
    });
  });

  it('updateRemoteVideo needs a subscription (5998 not started); stopRemoteVideo needs a streamType unless userId is *', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob } = await pair(cloud);
    const carol = await inRoom(cloud, 'carol');
    await alice.startLocalVideo();
    await alice.startScreenShare();
    await carol.startLocalVideo();
    await expect(bob.updateRemoteVideo({ userId: 'alice', streamType: 'main' })).rejects.toMatchObject({ code: 5998 });
    await bob.startRemoteVideo({ userId: 'alice', streamType: 'main' });
    await expect(bob.updateRemoteVideo({ userId: 'alice', streamType: 'main', option: { mirror: true } })).resolves.toBeUndefined();

    await expect(bob.stopRemoteVideo({ userId: 'alice' })).rejects.toMatchObject({ code: 5000, extraCode: 5014 });
    await expect(bob.stopRemoteVideo({ userId: 'carol', streamType: 'main' })).resolves.toBeUndefined();
    await bob.startRemoteVideo({ userId: 'alice', streamType: 'sub' });
    await bob.startRemoteVideo({ userId: 'carol', streamType: 'main' });
    await bob.stopRemoteVideo({ userId: 'alice', streamType: 'sub' });
    expect(bob.subscriptions()).toEqual([
      { userId: 'alice', streamType: 'main' },
      { userId: 'carol', streamType: 'main' },
    ]);
    await bob.stopRemoteVideo({ userId: '*' });
    expect(bob.subscriptions()).toEqual([]);
  });

  it('a subscription ends by itself when its stream goes: stop, mute, the user leaving, or our own exit', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob } = await pair(cloud);
    const carol = await inRoom(cloud, 'carol');
    await alice.startLocalVideo();
    await alice.startScreenShare();
    await carol.startLocalVideo();
    const subscribeAll = async () => {
      await bob.startRemoteVideo({ userId: 'alice', streamType: 'main' });
      await bob.startRemoteVideo({ userId: 'alice', streamType: 'sub' });
    };
    await subscribeAll();
    await bob.startRemoteVideo({ userId: 'carol', streamType: 'main' });

    await alice.updateLocalVideo({ mute: true });
    expect(bob.subscriptions()).toEqual([
      { userId: 'alice', streamType: 'sub' },
      { userId: 'carol', streamType: 'main' },
    ]);
    await alice.stopScreenShare();
    expect(bob.subscriptions()).toEqual([{ userId: 'carol', streamType: 'main' }]);

    await alice.updateLocalVideo({ mute: false });
    await alice.startScreenShare();
    await subscribeAll();
    await alice.exitRoom();
    expect(bob.subscriptions()).toEqual([{ userId: 'carol', streamType: 'main' }]);

    await bob.exitRoom();
    expect(bob.subscriptions()).toEqual([]);
  });

  it('a stream that goes while its subscription is in flight leaves no subscription', async () => {
    const cloud = new SimulatedCloud({ latencyMs: 5 });
    const { alice, bob } = await pair(cloud);
    await alice.startLocalVideo();
    const subscribing = bob.startRemoteVideo({ userId: 'alice', streamType: 'main' });
    alice.failRejoin();
    await expect(subscribing).resolves.toBeUndefined();
    expect(bob.subscriptions()).toEqual([]);
  });

  it('muteRemoteAudio and setRemoteAudioVolume are recorded (no room needed), checked, and forgotten on leaving', async () => {
    const cloud = new SimulatedCloud();
    const bob = cloud.createClient({ label: 'bob' });
    await bob.muteRemoteAudio('alice', true);
    bob.setRemoteAudioVolume('carol', 40);
    expect(bob.remoteAudio).toEqual({ muted: { alice: true }, volumes: { carol: 40 } });
    await bob.muteRemoteAudio('*', false);
    expect(bob.remoteAudio.muted).toEqual({ '*': false });
    await expect(bob.muteRemoteAudio('alice', 'yes' as unknown as boolean)).rejects.toMatchObject({ code: 5000, extraCode: 5002 });
    expect(() => bob.setRemoteAudioVolume('carol', -1)).toThrow(expect.objectContaining({ code: 5000, extraCode: 5007 }));
    expect(callLines(bob, ['setRemoteAudioVolume'])).toEqual([
      'setRemoteAudioVolume call',
      'setRemoteAudioVolume resolve',
      'setRemoteAudioVolume call',
      'setRemoteAudioVolume throw 5000',
    ]);

    await bob.enterRoom(config('bob'));
    await bob.muteRemoteAudio('alice', true);
    await bob.exitRoom();
    expect(bob.remoteAudio).toEqual({ muted: {}, volumes: {} });
  });

  it('a dropped connection keeps the roster and the streams on both sides', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob, aliceLog, bobLog } = await pair(cloud);
    await alice.startLocalVideo();
    await bob.startRemoteVideo({ userId: 'alice', streamType: 'main' });
    alice.dropConnection();
    bob.dropConnection();
    bob.restoreConnection();
    expect(remote(bobLog)).toEqual([video('alice', 'main', true)]);
    expect(remote(aliceLog)).toEqual([]);
    expect(bob.subscriptions()).toEqual([{ userId: 'alice', streamType: 'main' }]);
    expect(alice.local.video.published).toBe(true);
    expect(cloud.usersIn(ROOM)).toEqual(['alice', 'bob']);
  });
});

describe('audio-volume', () => {
  async function speakers() {
    vi.useFakeTimers();
    const cloud = new SimulatedCloud();
    const entering = Promise.all(['alice', 'bob', 'carol'].map((userId) => inRoom(cloud, userId)));
    await vi.advanceTimersByTimeAsync(1);
    const [alice, bob, carol] = (await entering) as [SimulatedClient, SimulatedClient, SimulatedClient];
    const started = Promise.all([alice.startLocalAudio(), bob.startLocalAudio()]);
    await vi.advanceTimersByTimeAsync(1);
    await started;
    alice.setSpeakingLevel(30);
    bob.setSpeakingLevel(70);
    carol.setSpeakingLevel(90);
    const volumes: unknown[] = [];
    alice.on('audio-volume', (payload: unknown) => void volumes.push(payload));
    return { cloud, alice, bob, carol, volumes };
  }

  it('every interval: itself as userId "" and each remote user publishing audio, loudest first', async () => {
    const { alice, volumes } = await speakers();
    alice.enableAudioVolumeEvaluation(500);
    await vi.advanceTimersByTimeAsync(499);
    expect(volumes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const tick = {
      result: [
        { userId: 'bob', volume: 70, floatVolume: 0.7 },
        { userId: '', volume: 30, floatVolume: 0.3 },
      ],
    };
    expect(volumes).toEqual([tick]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(volumes).toEqual([tick, tick, tick]);
    alice.setSpeakingLevel(90);
    await vi.advanceTimersByTimeAsync(500);
    expect(volumes.at(-1)).toEqual({
      result: [
        { userId: '', volume: 90, floatVolume: 0.9 },
        { userId: 'bob', volume: 70, floatVolume: 0.7 },
      ],
    });
    alice.enableAudioVolumeEvaluation(-1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(volumes).toHaveLength(4);
  });

  it('muted users (by themselves or by us) are reported at 0; users not publishing audio are not reported', async () => {
    const { alice, bob, volumes } = await speakers();
    alice.enableAudioVolumeEvaluation(200);
    const muting = Promise.all([bob.updateLocalAudio({ mute: true }), alice.updateLocalAudio({ mute: true })]);
    await vi.advanceTimersByTimeAsync(1);
    await muting;
    await vi.advanceTimersByTimeAsync(199);
    expect(volumes.at(-1)).toEqual({
      result: [
        { userId: 'bob', volume: 0, floatVolume: 0 },
        { userId: '', volume: 0, floatVolume: 0 },
      ],
    });
    const unmuting = Promise.all([bob.updateLocalAudio({ mute: false }), alice.muteRemoteAudio('bob', true)]);
    await vi.advanceTimersByTimeAsync(1);
    await unmuting;
    await vi.advanceTimersByTimeAsync(200);
    expect(volumes.at(-1)).toEqual({ result: [expect.objectContaining({ userId: 'bob', volume: 0 }), expect.objectContaining({ userId: '' })] });
    alice.enableAudioVolumeEvaluation(0);
  });

  it('the interval has a 100 ms floor and a 2 s default; leaving keeps it, destroy() stops it', async () => {
    const { alice, bob, volumes } = await speakers();
    alice.enableAudioVolumeEvaluation(10);
    await vi.advanceTimersByTimeAsync(300);
    expect(volumes).toHaveLength(3);
    alice.enableAudioVolumeEvaluation();
    await vi.advanceTimersByTimeAsync(2000);
    expect(volumes).toHaveLength(4);
    alice.enableAudioVolumeEvaluation(0);

    const bobVolumes: unknown[] = [];
    bob.on('audio-volume', (payload: unknown) => void bobVolumes.push(payload));
    bob.enableAudioVolumeEvaluation(100);
    const leaving = bob.exitRoom();
    await vi.advanceTimersByTimeAsync(1);
    await leaving;
    await vi.advanceTimersByTimeAsync(99);
    expect(bobVolumes).toEqual([{ result: [{ userId: '', volume: 70, floatVolume: 0.7 }] }]);
    const timers = vi.getTimerCount();
    bob.destroy();
    expect(vi.getTimerCount()).toBe(timers - 1);
  });

  it('it runs outside a room too (microphone test before entering), with the local level only', async () => {
    vi.useFakeTimers();
    const alice = new SimulatedCloud().createClient({ label: 'alice' });
    const volumes: unknown[] = [];
    alice.on('audio-volume', (payload: unknown) => void volumes.push(payload));
    const starting = alice.startLocalAudio();
    await vi.advanceTimersByTimeAsync(1);
    await starting;
    alice.setSpeakingLevel(55);
    alice.enableAudioVolumeEvaluation(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(volumes).toEqual([{ result: [{ userId: '', volume: 55, floatVolume: 0.55 }] }]);
    alice.destroy();
  });
});

describe('autoplay and network', () => {
  it('autoplay-failed carries userId, mediaType and a resume() that is recorded', async () => {
    const alice = await inRoom(new SimulatedCloud(), 'alice');
    const seen: Array<{ userId: string; mediaType: string; resume: () => Promise<void> }> = [];
    alice.on('autoplay-failed', (event: (typeof seen)[number]) => void seen.push(event));
    alice.failAutoplay('bob', 'audio');
    expect(seen).toEqual([{ userId: 'bob', mediaType: 'audio', resume: expect.any(Function) }]);
    expect(alice.autoplayResumes).toBe(0);
    await seen[0]?.resume();
    expect(alice.autoplayResumes).toBe(1);
    expect(callLines(alice, ['resume'])).toEqual(['resume call', 'resume resolve']);
  });

  it('network-quality once on entering (all good), then at once on each change, merged', async () => {
    const cloud = new SimulatedCloud();
    const alice = cloud.createClient({ label: 'alice' });
    const log = events(alice, ['network-quality']);
    alice.degradeNetwork({ downlinkLoss: 1 });
    expect(log).toEqual([]);
    await alice.enterRoom(config('alice'));
    const good = { uplinkNetworkQuality: 1, downlinkNetworkQuality: 1, uplinkRTT: 20, downlinkRTT: 20, uplinkLoss: 0, downlinkLoss: 1 };
    expect(log).toEqual([['network-quality', good]]);
    alice.degradeNetwork({ uplinkNetworkQuality: 4, uplinkRTT: 300 });
    alice.degradeNetwork({ downlinkNetworkQuality: 6 });
    expect(log.slice(1)).toEqual([
      ['network-quality', { ...good, uplinkNetworkQuality: 4, uplinkRTT: 300 }],
      ['network-quality', { ...good, uplinkNetworkQuality: 4, uplinkRTT: 300, downlinkNetworkQuality: 6 }],
    ]);
    expect(alice.networkQuality.downlinkNetworkQuality).toBe(6);
  });
});

describe('switchRoom', () => {
  it('leaves the old room and joins the new one: rosters, streams and the connection follow', async () => {
    const cloud = new SimulatedCloud();
    const { alice, bob, aliceLog, bobLog } = await pair(cloud);
    const carol = await inRoom(cloud, 'carol', { roomId: 456 });
    const carolLog = events(carol);
    await carol.startLocalVideo();
    await alice.startLocalAudio();
    await bob.startLocalVideo();
    await alice.startRemoteVideo({ userId: 'bob', streamType: 'main' });
    aliceLog.length = 0;
    bobLog.length = 0;

    await alice.switchRoom({ roomId: 456, userSig: 'sig-2' });
    expect(alice.room).toEqual({ sdkAppId: APP, roomId: 456 });
    expect(cloud.usersIn(ROOM)).toEqual(['bob']);
    expect(cloud.usersIn({ sdkAppId: APP, roomId: 456 })).toEqual(['carol', 'alice']);
    expect(bobLog).toEqual([audio('alice', false), exit('alice')]);
    expect(remote(carolLog)).toEqual([enter('alice'), audio('alice', true)]);
    expect(alice.subscriptions()).toEqual([]);
    expect(aliceLog).toEqual([
      [CSC, { prevState: 'CONNECTED', state: 'DISCONNECTED' }],
      [CSC, { prevState: 'DISCONNECTED', state: 'CONNECTING' }],
      [CSC, { prevState: 'CONNECTING', state: 'CONNECTED' }],
      enter('carol'),
      video('carol', 'main', true),
      ['network-quality', expect.objectContaining({ uplinkNetworkQuality: 1 })],
    ]);
    expect(callLines(alice, ['switchRoom', 'exitRoom', 'enterRoom'])).toEqual(['enterRoom call', 'enterRoom resolve', 'switchRoom call', 'switchRoom resolve']);
  });

  it('the same userId in the new room is kicked; a string room switches to a string room', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice', { strRoomId: 'lobby' });
    const twin = await inRoom(cloud, 'alice', { strRoomId: 'stage' });
    const twinLog = events(twin);
    await alice.switchRoom({ strRoomId: 'stage', userSig: 'sig' });
    expect(twinLog).toContainEqual(['kicked-out', { reason: 'kick' }]);
    expect(cloud.usersIn({ sdkAppId: APP, strRoomId: 'stage' })).toEqual(['alice']);
    expect(alice.state).toBe('inRoom');
  });

  it('the role after switchRoom is the one given to enterRoom (the SDK re-enters with those options)', async () => {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live', role: 'audience' });
    await alice.switchRole('anchor');
    await alice.startLocalAudio();
    expect(alice.local.audio.published).toBe(true);
    await alice.switchRoom({ roomId: 456, userSig: 'sig' });
    expect(alice.role).toBe('audience');
    expect(alice.local.audio).toEqual({ started: true, muted: false, published: false });
  });
});

describe('fault injection on the new methods', () => {
  type Call = (client: SimulatedClient) => Promise<unknown>;
  const stopAudio: Call = (c) => c.stopLocalAudio();
  const stopVideo: Call = (c) => c.stopLocalVideo();
  const stopScreen: Call = (c) => c.stopScreenShare();
  const unsubscribe: Call = (c) => c.stopRemoteVideo({ userId: 'bob', streamType: 'main' });
  /** Each method, a call of it that succeeds once `prepare` has run on a ready client. */
  const calls: Array<[SimulatedMethod, Call, Call?]> = [
    ['startLocalAudio', (c) => c.startLocalAudio(), stopAudio],
    ['updateLocalAudio', (c) => c.updateLocalAudio({ mute: true })],
    ['stopLocalAudio', stopAudio],
    ['startLocalVideo', (c) => c.startLocalVideo(), stopVideo],
    ['updateLocalVideo', (c) => c.updateLocalVideo({ mute: true })],
    ['stopLocalVideo', stopVideo],
    ['startScreenShare', (c) => c.startScreenShare(), stopScreen],
    ['updateScreenShare', (c) => c.updateScreenShare({ option: { fillMode: 'cover' } })],
    ['stopScreenShare', stopScreen],
    ['startRemoteVideo', (c) => c.startRemoteVideo({ userId: 'bob', streamType: 'main' }), unsubscribe],
    ['updateRemoteVideo', (c) => c.updateRemoteVideo({ userId: 'bob', streamType: 'main' })],
    ['stopRemoteVideo', unsubscribe],
    ['muteRemoteAudio', (c) => c.muteRemoteAudio('bob', true)],
    ['switchRole', (c) => c.switchRole('audience')],
    ['switchRoom', (c) => c.switchRoom({ roomId: 456, userSig: 'sig' })],
  ];

  /** alice in a room with her tracks started and bob's video subscribed: every call above would succeed. */
  async function ready(): Promise<SimulatedClient> {
    const cloud = new SimulatedCloud();
    const alice = await inRoom(cloud, 'alice', { roomId: 123, scene: 'live' });
    const bob = await inRoom(cloud, 'bob', { roomId: 123, scene: 'live' });
    await bob.startLocalVideo();
    await Promise.all([alice.startLocalAudio(), alice.startLocalVideo(), alice.startScreenShare()]);
    await alice.startRemoteVideo({ userId: 'bob', streamType: 'main' });
    return alice;
  }

  it.each(calls)('%s: reject, throw and hang apply once each, then the call works', async (method, call, prepare) => {
    const alice = await ready();
    await prepare?.(alice);
    const faults: SimulatedFault[] = [{ kind: 'reject', code: 5500, extraCode: 1 }, { kind: 'throw', code: 5999 }, { kind: 'hang' }];
    for (const fault of faults) alice.injectFault(method, fault);

    await expect(call(alice)).rejects.toMatchObject({ code: 5500, extraCode: 1, functionName: method });
    expect(() => call(alice)).toThrow(expect.objectContaining({ code: 5999 }));
    const hanging = watch(call(alice));
    await tick(5);
    expect(hanging.state).toBe('pending');
    await expect(call(alice)).resolves.toBeUndefined();
    expect(callLines(alice, [method]).slice(-7)).toEqual([
      `${method} call`,
      `${method} reject 5500`,
      `${method} call`,
      `${method} throw 5999`,
      `${method} call`,
      `${method} call`,
      `${method} resolve`,
    ]);
    await alice.exitRoom();
    alice.destroy();
    await tick();
    expect(hanging.state).toBe('resolved');
  });

  it('synchronous methods: a throw fault throws once', () => {
    const alice = new SimulatedCloud().createClient({ label: 'alice' });
    alice.injectFault('enableAudioVolumeEvaluation', { kind: 'throw' });
    alice.injectFault('setRemoteAudioVolume', { kind: 'throw', code: 5000, extraCode: 5007 });
    expect(() => alice.enableAudioVolumeEvaluation(0)).toThrow(expect.objectContaining({ code: 5500 }));
    expect(() => alice.setRemoteAudioVolume('bob', 1)).toThrow(expect.objectContaining({ code: 5000, extraCode: 5007 }));
    expect(() => alice.enableAudioVolumeEvaluation(0)).not.toThrow();
    expect(() => alice.setRemoteAudioVolume('bob', 1)).not.toThrow();
  });
});

describe('a large room', () => {
  it('1000 clients enter, toggle streams and leave: an observer counts every event exactly, in order', async () => {
    const cloud = new SimulatedCloud();
    const observer = await inRoom(cloud, 'observer');
    const counts = new Map<string, number>();
    const perUser = new Map<string, string[]>();
    for (const event of EVENTS.filter((name) => name.startsWith('remote-'))) {
      observer.on(event, (payload: { userId: string; streamType?: string }) => {
        counts.set(event, (counts.get(event) ?? 0) + 1);
        const seen = perUser.get(payload.userId) ?? [];
        perUser.set(payload.userId, [...seen, payload.streamType ? `${event}:${payload.streamType}` : event]);
      });
    }
    const others = Array.from({ length: 1000 }, (_, i) => cloud.createClient({ label: `u${i}` }));
    await Promise.all(others.map((client, i) => client.enterRoom(config(`u${i}`))));
    await Promise.all(others.map((client, i) => (i % 2 === 0 ? client.startLocalAudio() : client.startLocalVideo())));
    await Promise.all(others.slice(0, 100).map((client, i) => (i % 2 === 0 ? client.stopLocalAudio() : client.updateLocalVideo({ mute: true }))));
    await Promise.all(others.slice(900).map((client) => client.exitRoom()));
    await cloud.flush();

    expect(Object.fromEntries(counts)).toEqual({
      'remote-user-enter': 1000,
      'remote-audio-available': 500,
      'remote-video-available': 500,
      'remote-audio-unavailable': 50 + 50,
      'remote-video-unavailable': 50 + 50,
      'remote-user-exit': 100,
    });
    expect(perUser.get('u0')).toEqual(['remote-user-enter', 'remote-audio-available', 'remote-audio-unavailable']);
    expect(perUser.get('u1')).toEqual(['remote-user-enter', 'remote-video-available:main', 'remote-video-unavailable:main']);
    expect(perUser.get('u998')).toEqual(['remote-user-enter', 'remote-audio-available', 'remote-audio-unavailable', 'remote-user-exit']);
    expect(perUser.get('u999')).toEqual(['remote-user-enter', 'remote-video-available:main', 'remote-video-unavailable:main', 'remote-user-exit']);
    expect(cloud.usersIn(ROOM)).toHaveLength(901);
  }, 10_000);
});
