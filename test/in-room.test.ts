import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRoomController } from '../src/index.js';
import type { RoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../src/adapters/simulator/index.js';
import { SdkRecorder } from './support/recorder.js';
import { enterConfig, ROOM_ID, SDK_APP_ID, stateOf } from './support/harness.js';

interface Participant {
  room: RoomController;
  client: () => SimulatedClient;
  recorder: SdkRecorder;
}

function participant(cloud: SimulatedCloud, name: string): Participant {
  const recorder = new SdkRecorder();
  const clients: SimulatedClient[] = [];
  const room = createRoomController({
    trtc: recorder.factory(() => {
      const client = cloud.createClient({ label: name });
      clients.push(client);
      return client;
    }),
    enterTimeoutMs: 1000,
    exitTimeoutMs: 500,
  });
  return { room, recorder, client: () => clients[clients.length - 1] as SimulatedClient };
}

const callsOf = (p: Participant, method: string) => p.client().calls.filter((c) => c.method === method && c.phase === 'call').length;

describe('two participants on the simulator', () => {
  it('alice publishes; bob sees, plays and loses her streams; bob is kicked while sharing and every device he started stops, with no exitRoom', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    await alice.room.enter(enterConfig('alice'));
    await bob.room.enter(enterConfig('bob'));
    await cloud.flush();
    expect(bob.room.view().remoteUsers.map((u) => u.userId)).toEqual(['alice']);

    await alice.room.startLocalAudio();
    await alice.room.startLocalVideo({ option: { profile: '720p', mirror: true } });
    await alice.room.startScreenShare({ option: { systemAudio: true } });
    await cloud.flush();
    expect(alice.room.view().local).toEqual({ microphone: 'on', camera: 'on', screen: 'on' });
    expect(bob.room.view().remoteUsers).toEqual([
      expect.objectContaining({ userId: 'alice', audio: true, video: true, screen: true }),
    ]);

    await bob.room.startRemoteVideo({ userId: 'alice', streamType: 'main', view: null });
    await bob.room.startRemoteVideo({ userId: 'alice', streamType: 'sub', view: null });
    expect(bob.room.view().remoteUsers[0]?.playing).toEqual({ video: true, screen: true });

    await alice.room.stopLocalVideo();
    await alice.room.stopScreenShare();
    await cloud.flush();
    expect(bob.room.view().remoteUsers[0]).toMatchObject({ audio: true, video: false, screen: false, playing: { video: false, screen: false } });

    await bob.room.startLocalAudio();
    await bob.room.startScreenShare();
    await cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['bob'] });
    await cloud.flush();
    await vi.waitFor(() => expect(bob.room.view().local).toEqual({ microphone: 'off', camera: 'off', screen: 'off' }));

    expect(stateOf(bob.room)).toBe('kicked');
    expect(bob.room.view()).toMatchObject({ state: 'kicked', kickReason: 'banned', remoteUsers: [], connection: 'disconnected' });
    expect(bob.client().local).toMatchObject({ audio: { started: false }, screen: { started: false } });
    expect(callsOf(bob, 'exitRoom')).toBe(0);
    expect(bob.recorder.violations()).toEqual([]);
    await cloud.flush();
    expect(alice.room.view().remoteUsers).toEqual([]);
  });

  it('device preview before entering, published on enter; exit stops it; destroy stops devices before destroy', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    await bob.room.enter(enterConfig('bob'));
    await alice.room.startLocalVideo();
    expect(alice.room.view()).toMatchObject({ state: 'idle', local: { camera: 'on' } });

    await alice.room.enter(enterConfig('alice'));
    await cloud.flush();
    expect(bob.room.view().remoteUsers).toEqual([expect.objectContaining({ userId: 'alice', video: true })]);

    await alice.room.exit();
    expect(alice.room.view().local.camera).toBe('off');
    expect(alice.client().local.video.started).toBe(false);

    await alice.room.startLocalAudio();
    await alice.room.destroy();
    const order = alice.client().calls.filter((c) => c.phase === 'call' && ['stopLocalAudio', 'destroy'].includes(c.method));
    expect(order.map((c) => c.method)).toEqual(['stopLocalAudio', 'destroy']);
    expect(alice.recorder.violations()).toEqual([]);
  });
});

describe('local devices through the controller', () => {
  it.each([
    ['permission denied', 5302],
    ['device busy', 5303],
  ])('%s: the camera ends failed with the SDK codes, and a retry works', async (_, extraCode) => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    alice.client().injectFault('startLocalVideo', { kind: 'reject', code: 5300, extraCode, message: 'device error' });
    await expect(alice.room.startLocalVideo()).rejects.toMatchObject({ code: 'MEDIA_FAILED', sdkCode: 5300, sdkExtraCode: extraCode });
    expect(alice.room.view().local.camera).toBe('failed');
    expect(alice.room.view().localErrors.camera).toMatchObject({ sdkExtraCode: extraCode });

    await alice.room.startLocalVideo();
    expect(alice.room.view()).toMatchObject({ local: { camera: 'on' }, localErrors: {} });
  });

  it('mute and unmute the microphone and camera', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    await bob.room.enter(enterConfig('bob'));
    await alice.room.enter(enterConfig('alice'));
    await alice.room.startLocalAudio();
    await alice.room.startLocalVideo();
    await alice.room.updateLocalAudio({ mute: true });
    await alice.room.updateLocalVideo({ mute: true });
    await cloud.flush();
    expect(alice.room.view().muted).toEqual({ microphone: true, camera: true });
    expect(bob.room.view().remoteUsers[0]).toMatchObject({ audio: false, video: false });

    await alice.room.updateLocalAudio({ mute: false });
    await cloud.flush();
    expect(alice.room.view().muted.microphone).toBe(false);
    expect(bob.room.view().remoteUsers[0]).toMatchObject({ audio: true });
  });

  it('a device started muted shows muted; a camera muted to a placeholder image keeps the image', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    await bob.room.enter(enterConfig('bob'));
    await alice.room.enter(enterConfig('alice'));
    await alice.room.startLocalAudio({ mute: true });
    await alice.room.startLocalVideo();
    await cloud.flush();
    expect(alice.room.view().muted).toEqual({ microphone: true, camera: false });
    expect(bob.room.view().remoteUsers[0]).toMatchObject({ audio: false, video: true });

    await alice.room.updateLocalVideo({ mute: 'https://example.com/away.png' });
    expect(alice.room.view().muted.camera).toBe(true);
    expect(alice.client().local.video).toMatchObject({ muted: true, options: { mute: 'https://example.com/away.png' } });
    await alice.room.updateLocalVideo({ mute: false });
    expect(alice.room.view().muted.camera).toBe(false);

    // A fresh start is unmuted unless it asks otherwise.
    await alice.room.stopLocalAudio();
    await alice.room.startLocalAudio();
    expect(alice.room.view().muted.microphone).toBe(false);
  });

  it('a camera started with a placeholder image shows muted', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.startLocalVideo({ mute: 'https://example.com/away.png' });
    expect(alice.room.view().muted.camera).toBe(true);
    expect(alice.client().local.video.muted).toBe(true);
  });

  it('video quality, mirror and rotation go to updateLocalVideo', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.startLocalVideo();
    await alice.room.updateLocalVideo({ option: { profile: '1080p', mirror: false, rotation: 90 } });
    expect(alice.client().local.video.options).toMatchObject({ option: { profile: '1080p', mirror: false, rotation: 90 } });
    await expect(alice.room.updateLocalAudio({ option: { captureVolume: 50 } })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('the browser ending a share brings the screen back to off', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice'));
    const inRoomListeners = alice.recorder.activeListeners();
    await alice.room.startScreenShare();
    expect(alice.recorder.activeListeners()).toBe(inRoomListeners + 1);
    alice.client().endScreenShareByBrowser();
    await vi.waitFor(() => expect(alice.room.view().local.screen).toBe('off'));
    expect(alice.recorder.activeListeners()).toBe(inRoomListeners);
    expect(callsOf(alice, 'stopScreenShare')).toBe(0);
  });

  it('an audience in the live scene cannot publish, but can preview; after switchRole it can', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice', { scene: 'live', role: 'audience' }));
    await expect(alice.room.startLocalVideo()).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining("switchRole('anchor')") });
    expect(callsOf(alice, 'startLocalVideo')).toBe(0);
    await alice.room.startLocalVideo({ publish: false });
    await alice.room.stopLocalVideo();

    await alice.room.switchRole('anchor');
    expect(alice.room.view().role).toBe('anchor');
    await alice.room.startLocalVideo();
    expect(alice.room.view().local.camera).toBe('on');
  });

  it('media commands are refused once destroyed, and while exiting', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.destroy();
    await expect(alice.room.startLocalAudio()).rejects.toMatchObject({ code: 'DESTROYED' });
    await expect(alice.room.startRemoteVideo({ userId: 'x', streamType: 'main' })).rejects.toMatchObject({ code: 'DESTROYED' });
  });
});

describe('connection, network and playback', () => {
  afterEach(() => vi.useRealTimers());

  it('a dropped connection shows reconnecting then connected with the roster intact; a failed rejoin ends the session without exitRoom', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    await bob.room.enter(enterConfig('bob'));
    await alice.room.enter(enterConfig('alice'));
    await alice.room.startLocalAudio();
    await cloud.flush();

    // A blip healed within the grace never shows.
    alice.client().dropConnection();
    alice.client().restoreConnection();
    expect(alice.room.view()).toMatchObject({ connection: 'connected' });
    // An outage past the grace shows as reconnecting.
    alice.client().dropConnection();
    expect(alice.room.view().connection).toBe('connected');
    await vi.waitFor(() => expect(alice.room.view()).toMatchObject({ connection: 'reconnecting', remoteUsers: [expect.objectContaining({ userId: 'bob' })] }));
    alice.client().restoreConnection();
    expect(alice.room.view()).toMatchObject({ connection: 'connected', remoteUsers: [expect.objectContaining({ userId: 'bob' })] });

    alice.client().dropConnection();
    alice.client().failRejoin();
    await vi.waitFor(() => expect(alice.room.view().local.microphone).toBe('off'));
    expect(alice.room.view()).toMatchObject({ state: 'idle', connection: 'disconnected', remoteUsers: [], error: { code: 'CONNECTION_LOST' } });
    expect(callsOf(alice, 'exitRoom')).toBe(0);
  });

  it('network quality and audio volumes land in the view', async () => {
    vi.useFakeTimers();
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    const entering = Promise.all([alice.room.enter(enterConfig('alice')), bob.room.enter(enterConfig('bob'))]);
    await vi.advanceTimersByTimeAsync(10);
    await entering;
    const started = bob.room.startLocalAudio();
    await vi.advanceTimersByTimeAsync(10);
    await started;
    bob.client().setSpeakingLevel(70);
    alice.room.enableAudioVolumeEvaluation(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(alice.room.view().remoteUsers[0]).toMatchObject({ userId: 'bob', volume: 70 });

    alice.client().degradeNetwork({ uplinkNetworkQuality: 4, uplinkRTT: 300, uplinkLoss: 12 });
    expect(alice.room.view().network).toMatchObject({ uplink: 4, uplinkRTT: 300, uplinkLoss: 12, downlink: 1 });
    alice.room.enableAudioVolumeEvaluation(0);
  });

  it('autoplay blocked shows in the view; resumeAutoplay() calls the SDK back and clears it', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice'));
    alice.client().failAutoplay('bob', 'audio');
    expect(alice.room.view().autoplayBlocked).toBe(true);
    await alice.room.resumeAutoplay();
    expect(alice.room.view().autoplayBlocked).toBe(false);
    expect(alice.client().autoplayResumes).toBe(1);
  });
});

describe('role and room', () => {
  it('switchRoom moves to the new room: the roster follows, the target changes, listeners stay balanced', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    const bob = participant(cloud, 'bob');
    const carol = participant(cloud, 'carol');
    await bob.room.enter(enterConfig('bob'));
    await carol.room.enter(enterConfig('carol', { roomId: 9999 }));
    await alice.room.enter(enterConfig('alice'));
    await cloud.flush();
    expect(alice.room.view().remoteUsers.map((u) => u.userId)).toEqual(['bob']);

    await alice.room.switchRoom({ roomId: 9999, userSig: 'sig-9999' });
    await cloud.flush();
    expect(alice.room.getSnapshot().context.target).toMatchObject({ roomId: 9999, userId: 'alice' });
    expect(alice.room.view().remoteUsers.map((u) => u.userId)).toEqual(['carol']);
    await expect(alice.room.switchRoom({ roomId: 9999, userSig: 'sig' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(alice.room.switchRoom({ roomId: -3, userSig: 'sig' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'roomId' });
    await expect(alice.room.switchRoom({ roomId: 7777, userSig: ' ' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'userSig' });
    expect(alice.recorder.violations()).toEqual([]);
  });

  it('exit while a switch is in flight waits for it, then leaves', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice', { scene: 'live' }));
    const switching = alice.room.switchRole('audience');
    const exiting = alice.room.exit();
    await expect(switching).rejects.toMatchObject({ code: 'CANCELLED' });
    await exiting;
    expect(stateOf(alice.room)).toBe('idle');
    const order = alice.client().calls.filter((c) => c.phase === 'call' && ['switchRole', 'exitRoom'].includes(c.method)).map((c) => c.method);
    expect(order).toEqual(['switchRole', 'exitRoom']);
    expect(alice.recorder.violations()).toEqual([]);
  });

  it('kicked during a switch: handled as any kick', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice', { scene: 'live' }));
    alice.client().injectFault('switchRole', { kind: 'hang' });
    const switching = alice.room.switchRole('audience');
    await cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] });
    await expect(switching).rejects.toMatchObject({ code: 'KICKED' });
    expect(stateOf(alice.room)).toBe('kicked');
    expect(callsOf(alice, 'exitRoom')).toBe(0);
  });
});

describe('a large room', () => {
  it('1000 remote users enter, toggle streams and leave: the roster is exact', async () => {
    const cloud = new SimulatedCloud();
    const observer = participant(cloud, 'observer');
    await observer.room.enter(enterConfig('observer'));
    const others = Array.from({ length: 1000 }, (_, i) => cloud.createClient({ label: `u${i}` }));
    await Promise.all(others.map((client, i) => client.enterRoom(enterConfig(`u${i}`))));
    await Promise.all(others.map((client, i) => (i % 2 === 0 ? client.startLocalAudio() : client.startLocalVideo())));
    await Promise.all(others.slice(0, 100).map((client) => client.stopLocalAudio()));
    await Promise.all(others.slice(900).map((client) => client.exitRoom()));
    await cloud.flush();

    const users = observer.room.view().remoteUsers;
    expect(users).toHaveLength(900);
    expect(users[0]?.userId).toBe('u0');
    expect(users.filter((u) => u.audio)).toHaveLength(450 - 50);
    expect(users.filter((u) => u.video)).toHaveLength(450);
    expect(users.find((u) => u.userId === 'u950')).toBeUndefined();
    expect(observer.room.view()).toBe(observer.room.view());
  }, 20_000);
});

describe('remoteUsersChanged: one notice per burst of real changes', () => {
  it('a burst of SDK events is one notice with its count; events that change nothing send none', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice'));
    const heard: Array<{ count: number; kinds: string[] }> = [];
    alice.room.on('remoteUsersChanged', ({ count, changes }) => heard.push({ count, kinds: changes.map((change) => change.kind) }));
    const client = alice.client();
    for (let i = 0; i < 40; i += 1) client.emit('remote-user-enter', { userId: `u${i}` });
    client.emit('remote-video-available', { userId: 'u1', streamType: 'main' });
    await Promise.resolve();
    expect(heard).toEqual([{ count: 41, kinds: Array.from({ length: 16 }, () => 'enter') }]);
    expect(alice.room.view().remoteUsers).toHaveLength(40);

    client.emit('remote-video-available', { userId: 'u1', streamType: 'main' });
    client.emit('remote-user-exit', { userId: 'nobody' });
    await alice.room.muteRemoteAudio('nobody', true);
    await Promise.resolve();
    expect(heard).toHaveLength(1);
  });

  it('exits in a burst keep the order of the others, and users leave no trace', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice'));
    const client = alice.client();
    for (let i = 0; i < 10; i += 1) client.emit('remote-user-enter', { userId: `u${i}` });
    for (const i of [0, 3, 4, 9]) client.emit('remote-user-exit', { userId: `u${i}` });
    client.emit('remote-audio-available', { userId: 'u5' });
    client.emit('remote-user-enter', { userId: 'u0' });
    await Promise.resolve();
    expect(alice.room.view().remoteUsers.map((user) => user.userId)).toEqual(['u1', 'u2', 'u5', 'u6', 'u7', 'u8', 'u0']);
    expect(alice.room.view().remoteUsers.find((user) => user.userId === 'u5')?.audio).toBe(true);
  });

  it('changes queued when the room ends are dropped with the roster: nothing reaches a destroyed controller', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    alice.room.on('kicked', () => void alice.room.destroy());
    const client = alice.client();
    client.emit('remote-user-enter', { userId: 'bob' });
    client.emit('kicked-out', { reason: 'kick' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alice.room.view().state).toBe('destroyed');
    expect(alice.room.view().remoteUsers).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('a kick while a switch and a destroy wait', () => {
  it('switchRole() rejects KICKED (not CANCELLED), and destroy() completes', async () => {
    const cloud = new SimulatedCloud();
    const alice = participant(cloud, 'alice');
    await alice.room.enter(enterConfig('alice', { scene: 'live', role: 'anchor' }));
    alice.client().injectFault('switchRole', { kind: 'hang' });
    const switching = alice.room.switchRole('audience').catch((error: unknown) => error);
    const destroying = alice.room.destroy();
    await cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] });
    await cloud.flush();
    expect(await switching).toMatchObject({ code: 'KICKED', kickReason: 'banned' });
    await destroying;
    expect(alice.room.view().state).toBe('destroyed');
    expect(callsOf(alice, 'exitRoom')).toBe(0);
  });
});
