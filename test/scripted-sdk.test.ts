/**
 * The scripted fake (test/support/scripted-sdk.ts) on its own, driven by hand: its scripts do what
 * they say, and its checker reports each kind of violation when provoked, and nothing on a clean
 * session. So the property built on it can fail.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedRtcError, ScriptedSdk } from './support/scripted-sdk.js';
import type { ScriptedInstance, ViolationKind } from './support/scripted-sdk.js';
import type { TrtcLike } from '../src/index.js';

const CONFIG = { sdkAppId: 1400000000, userId: 'alice', userSig: 'sig', roomId: 8888 };
const handler = () => undefined;

/** What a controller does before going into a room (V6): a handler for each event that says the SDK left it. */
function listening(trtc: TrtcLike): TrtcLike {
  trtc.on('kicked-out', handler);
  trtc.on('error', handler);
  return trtc;
}

function setup(listen = true): { sdk: ScriptedSdk; trtc: TrtcLike; instance: ScriptedInstance } {
  const sdk = new ScriptedSdk();
  const trtc = sdk.create();
  const instance = sdk.current!;
  if (listen) listening(trtc);
  return { sdk, trtc, instance };
}

const kinds = (sdk: ScriptedSdk): ViolationKind[] => sdk.violations.map((violation) => violation.kind);

/** Lets every settled promise run its handlers. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('scripted SDK: scripts', () => {
  it('resolves at once by default; late calls wait to be settled, hung ones never settle', async () => {
    const { sdk, trtc } = setup();
    await expect(trtc.enterRoom(CONFIG)).resolves.toBeUndefined();
    sdk.next('exitRoom', 'late').next('startLocalAudio', 'hang');
    let exited = false;
    void trtc.exitRoom().then(() => (exited = true));
    const audio = trtc.startLocalAudio();
    await flush();
    expect(exited).toBe(false);
    expect(sdk.pendingCalls().map((call) => `${call.method}:${call.behaviour}`)).toEqual(['exitRoom:late', 'startLocalAudio:hang']);
    expect(sdk.settleOldest('startLocalAudio', 'resolve')).toBeUndefined(); // a hang is never settled
    expect(sdk.settleOldest('exitRoom', 'resolve')?.method).toBe('exitRoom');
    await flush();
    expect(exited).toBe(true);
    let audioSettled = false;
    void audio.finally(() => (audioSettled = true));
    await flush();
    expect(audioSettled).toBe(false);
  });

  it('rejects and throws RtcError-shaped errors, per next call or per method', async () => {
    const { sdk, trtc, instance } = setup();
    sdk.next('enterRoom', { behaviour: 'reject', error: { code: 5500, extraCode: 5501, message: 'no network' } });
    await expect(trtc.enterRoom(CONFIG)).rejects.toMatchObject({ code: 5500, extraCode: 5501, message: 'no network', functionName: 'enterRoom' });
    instance.next('switchRole', 'throw');
    expect(() => trtc.switchRole('audience')).toThrow(ScriptedRtcError);
    sdk.always('muteRemoteAudio', 'reject');
    await expect(trtc.muteRemoteAudio('bob', true)).rejects.toMatchObject({ code: 5500 });
    await expect(trtc.muteRemoteAudio('bob', false)).rejects.toMatchObject({ code: 5500 });
    sdk.next('setRemoteAudioVolume', 'throw');
    expect(() => trtc.setRemoteAudioVolume('bob', 50)).toThrow(ScriptedRtcError);
    expect(trtc.setRemoteAudioVolume('bob', 50)).toBeUndefined();
    expect(sdk.settleOldest('enterRoom', 'reject')).toBeUndefined();
    const late = (sdk.next('startRemoteVideo', 'late'), trtc.startRemoteVideo({ userId: 'bob', streamType: 'main', view: null }));
    sdk.settleOldest('startRemoteVideo', 'reject', { code: 5400 });
    await expect(late).rejects.toMatchObject({ code: 5400 });
  });

  it('a call that resolves at once takes effect when its promise settles, not while its caller runs', async () => {
    const { sdk, trtc, instance } = setup();
    const entered = trtc.enterRoom(CONFIG);
    expect(instance.inRoom).toBe(false);
    trtc.destroy(); // in the same task: the enter was still in flight
    await entered;
    expect(instance.inRoom).toBe(false);
    expect(sdk.violations).toEqual([]);
  });

  it('on() adds the handler, or throws as scripted (per instance first) and adds nothing', () => {
    const { sdk, trtc, instance } = setup(false);
    sdk.nextOn('add', 'throw');
    instance.nextOn('throw');
    expect(() => trtc.on('kicked-out', handler)).toThrow(ScriptedRtcError); // the instance's script
    expect(instance.deaf).toBe(true);
    trtc.on('kicked-out', handler); // the fake's first script: add
    expect(() => trtc.on('error', handler)).toThrow(expect.objectContaining({ functionName: 'on' }));
    trtc.on('error', handler); // unscripted: add
    expect(Object.fromEntries(instance.activeListeners())).toEqual({ 'kicked-out': 1, error: 1 });
    expect(instance.history).toEqual(['on ×1', "on('kicked-out') throws", 'on ×2', "on('error') throws", 'on ×1']);
  });

  it('an autoplay resume() can carry its own script', async () => {
    const { instance } = setup();
    const resume = instance.autoplayResume({ behaviour: 'reject', error: { code: 5300 } });
    await expect(resume()).rejects.toMatchObject({ code: 5300, functionName: 'resume' });
    await expect(instance.autoplayResume()()).resolves.toBeUndefined();
  });

  it('emits events to the handlers added, not to removed ones; autoplay resume is scripted', async () => {
    const { sdk, trtc, instance } = setup();
    const seen: unknown[] = [];
    const listener = (payload: unknown) => seen.push(payload);
    trtc.on('remote-user-enter', listener);
    instance.emit('remote-user-enter', { userId: 'bob' });
    trtc.off('remote-user-enter', listener);
    instance.emit('remote-user-enter', { userId: 'carol' });
    expect(seen).toEqual([{ userId: 'bob' }]);
    sdk.next('resume', 'hang');
    const resume = instance.autoplayResume();
    let settled = false;
    void resume().finally(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
  });
});

describe('scripted SDK: the checker', () => {
  it('reports nothing on a clean enter / exit / destroy with listeners removed', async () => {
    const { sdk, trtc } = setup();
    await trtc.enterRoom(CONFIG);
    await trtc.switchRole('audience');
    await trtc.switchRoom({ roomId: 9000, userSig: 'sig' });
    await trtc.exitRoom();
    await trtc.enterRoom(CONFIG);
    await trtc.exitRoom();
    trtc.off('kicked-out', handler);
    trtc.off('error', handler);
    trtc.destroy();
    trtc.off('error', handler); // off after destroy is allowed
    expect(sdk.checkListeners()).toEqual([]);
    expect(sdk.violations).toEqual([]);
  });

  it('V1: exitRoom after a kick, and after a failed rejoin (5400 in the room)', async () => {
    const { sdk, trtc, instance } = setup();
    await trtc.enterRoom(CONFIG);
    instance.emit('kicked-out', { reason: 'kick' });
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1']);
    await trtc.enterRoom(CONFIG); // a new enterRoom call clears it
    instance.emit('error', { code: 5500, extraCode: 5501, message: 'reconnect failing' }); // a warning only
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1']);
    await trtc.enterRoom(CONFIG);
    instance.emit('error', { code: 5400, extraCode: 0, message: 'reJoin room failed' });
    expect(instance.inRoom).toBe(false);
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1', 'V1']);
  });

  it('V1: a kick while entering counts, even when the enter resolves later', async () => {
    const { sdk, trtc, instance } = setup();
    sdk.next('enterRoom', 'late');
    const entered = trtc.enterRoom(CONFIG);
    instance.emit('kicked-out', { reason: 'banned' });
    sdk.settleOldest('enterRoom', 'resolve');
    await entered;
    expect(instance.inRoom).toBe(false);
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1']);
  });

  /** In a room, then the state that listened is left and the next one's listeners are asked for. */
  async function relistening(refused: boolean) {
    const { sdk, trtc, instance } = setup();
    await trtc.enterRoom(CONFIG);
    trtc.off('kicked-out', handler);
    trtc.off('error', handler);
    if (refused) instance.nextOn('throw');
    try {
      trtc.on('kicked-out', handler);
    } catch {
      // refused: nothing was added
    }
    return { sdk, trtc, instance };
  }

  it('V1 exempt: a kick, or a rejoin failure, emitted while the instance is deaf and has no handler for it', async () => {
    const { sdk, trtc, instance } = await relistening(true);
    expect(instance.activeListeners().size).toBe(0);
    instance.emit('kicked-out', { reason: 'kick' });
    expect(instance.inRoom).toBe(false); // out of the room for the other rules all the same
    await trtc.exitRoom();
    trtc.destroy();
    expect(sdk.violations).toEqual([]);

    const other = await relistening(false);
    other.instance.nextOn('throw');
    expect(() => other.trtc.on('error', handler)).toThrow(); // a kicked-out handler, no error handler
    other.instance.emit('error', { code: 5400, extraCode: 0, message: 'reJoin room failed' });
    expect(other.instance.inRoom).toBe(false);
    await other.trtc.exitRoom();
    expect(other.sdk.violations).toEqual([]);
  });

  it('V1 still: a kick with no handler on an instance that never refused one (a listener forgotten)', async () => {
    const { sdk, trtc, instance } = await relistening(false);
    trtc.off('kicked-out', handler);
    expect(instance.activeListeners().size).toBe(0);
    instance.emit('kicked-out', { reason: 'kick' });
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1']);
  });

  it('V1 still: a kick that reaches a handler of a deaf instance', async () => {
    const { sdk, trtc, instance } = setup();
    await trtc.enterRoom(CONFIG);
    instance.nextOn('throw');
    expect(() => trtc.on('remote-user-enter', handler)).toThrow();
    expect(instance.deaf).toBe(true);
    instance.emit('kicked-out', { reason: 'kick' });
    await trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V1']);
  });

  it('a 5400 outside the room is not a rejoin failure', async () => {
    const { sdk, trtc, instance } = setup();
    instance.emit('error', { code: 5400, extraCode: 0, message: 'reJoin room failed' });
    expect(instance.leftBySdk).toBe(false);
    await trtc.exitRoom();
    expect(sdk.violations).toEqual([]);
  });

  it('V2: enterRoom while in a room, and while another lifecycle call is pending', async () => {
    const { sdk, trtc } = setup();
    await trtc.enterRoom(CONFIG);
    await trtc.enterRoom(CONFIG);
    expect(kinds(sdk)).toEqual(['V2']);
    sdk.next('exitRoom', 'late');
    void trtc.exitRoom();
    void trtc.enterRoom(CONFIG);
    expect(kinds(sdk)).toEqual(['V2', 'V2']);
    expect(sdk.violations[1]?.message).toContain('exitRoom');
  });

  it('V2: enterRoom overlapping an enterRoom; switchRole / switchRoom overlapping anything', () => {
    const { sdk, trtc } = setup();
    sdk.next('enterRoom', 'hang');
    void trtc.enterRoom(CONFIG);
    void trtc.enterRoom(CONFIG).catch(() => undefined);
    void trtc.switchRole('anchor');
    void trtc.switchRoom({ roomId: 9000, userSig: 'sig' });
    expect(kinds(sdk)).toEqual(['V2', 'V2', 'V2']);
  });

  it('V2: exitRoom overlapping an enterRoom; not an exitRoom after a switch that hangs', async () => {
    const { sdk, trtc } = setup();
    await trtc.enterRoom(CONFIG);
    sdk.next('switchRole', 'hang');
    void trtc.switchRole('audience');
    await trtc.exitRoom();
    expect(sdk.violations).toEqual([]);
    sdk.next('enterRoom', 'hang');
    void trtc.enterRoom(CONFIG);
    expect(kinds(sdk)).toEqual(['V2']); // the switch is still pending
    void trtc.exitRoom();
    expect(kinds(sdk)).toEqual(['V2', 'V2']);
  });

  it('V3: destroy while in a room, unless an exitRoom since entering failed or is pending', async () => {
    const { sdk, trtc } = setup();
    await trtc.enterRoom(CONFIG);
    trtc.destroy();
    expect(kinds(sdk)).toEqual(['V3']);

    for (const behaviour of ['reject', 'throw', 'hang'] as const) {
      const other = new ScriptedSdk();
      const instance = listening(other.create());
      await instance.enterRoom(CONFIG);
      other.next('exitRoom', behaviour);
      try {
        await Promise.race([instance.exitRoom(), flush()]);
      } catch {
        // rejected or thrown: the controller tried to leave
      }
      instance.destroy();
      expect(other.violations, behaviour).toEqual([]);
    }
  });

  it('V3: an exitRoom before the last entering does not excuse a destroy', async () => {
    const { sdk, trtc } = setup();
    await trtc.enterRoom(CONFIG);
    sdk.next('exitRoom', 'reject');
    await trtc.exitRoom().catch(() => undefined);
    await trtc.exitRoom(); // left after all
    await trtc.enterRoom(CONFIG);
    trtc.destroy();
    expect(kinds(sdk)).toEqual(['V3']);
  });

  it('V3: not after a kick, not during a pending enter; a switchRoom after a kick leaves no room', async () => {
    const { sdk, trtc, instance } = setup();
    await trtc.enterRoom(CONFIG);
    sdk.next('switchRoom', 'late');
    const switched = trtc.switchRoom({ roomId: 9000, userSig: 'sig' });
    instance.emit('kicked-out', { reason: 'room_disband' });
    sdk.settleOldest('switchRoom', 'resolve');
    await switched;
    expect(instance.inRoom).toBe(false);
    trtc.destroy();
    expect(sdk.violations).toEqual([]);

    const other = new ScriptedSdk();
    const second = listening(other.create());
    other.next('enterRoom', 'hang');
    void second.enterRoom(CONFIG);
    second.destroy();
    expect(other.violations).toEqual([]);
  });

  it('V4: a call after destroy, and destroy twice; off is allowed', async () => {
    const { sdk, trtc } = setup();
    trtc.destroy();
    trtc.off('error', handler);
    expect(sdk.violations).toEqual([]);
    await trtc.stopLocalAudio();
    trtc.destroy();
    trtc.on('error', handler);
    expect(kinds(sdk)).toEqual(['V4', 'V4', 'V4']);
    expect(sdk.violations[1]?.message).toBe('destroy called a second time');
  });

  it('V4: settling a call after destroy changes nothing', async () => {
    const { sdk, trtc, instance } = setup();
    sdk.next('enterRoom', 'late');
    const entered = trtc.enterRoom(CONFIG);
    trtc.destroy();
    sdk.settleOldest('enterRoom', 'resolve');
    await entered;
    expect(instance.inRoom).toBe(false);
    expect(sdk.violations).toEqual([]);
  });

  it('V5: a listener left at destroy, or on an instance never destroyed', () => {
    const { sdk, trtc } = setup(false);
    trtc.on('kicked-out', handler);
    trtc.on('error', handler);
    trtc.off('error', handler);
    trtc.destroy();
    const second = sdk.create();
    second.on('error', handler);
    expect(sdk.checkListeners().map((violation) => [violation.kind, violation.instance])).toEqual([
      ['V5', 1],
      ['V5', 2],
    ]);
  });

  it('V6: enterRoom or switchRoom with no kicked-out or no error handler', async () => {
    const { sdk, trtc } = setup(false);
    await trtc.enterRoom(CONFIG);
    expect(sdk.violations.map((violation) => violation.message)).toEqual(['enterRoom called with no handler for kicked-out or error']);
    trtc.on('kicked-out', handler);
    await trtc.switchRoom({ roomId: 9000, userSig: 'sig' });
    expect(sdk.violations[1]?.message).toBe('switchRoom called with no handler for error');
    trtc.on('error', handler);
    await trtc.switchRoom({ roomId: 8888, userSig: 'sig' });
    await trtc.switchRole('audience'); // stays in the room it is in
    expect(kinds(sdk)).toEqual(['V6', 'V6']);
  });

  it('V6: enterRoom after a refused listener, until the instance listens again', async () => {
    const { sdk, trtc, instance } = setup(false);
    instance.nextOn('add', 'throw');
    trtc.on('kicked-out', handler);
    expect(() => trtc.on('error', handler)).toThrow();
    trtc.off('kicked-out', handler); // all or none, as a controller would
    await trtc.enterRoom(CONFIG);
    expect(sdk.violations[0]?.message).toContain('an on() of this instance threw');
    await trtc.exitRoom();
    listening(trtc);
    await trtc.enterRoom(CONFIG);
    expect(kinds(sdk)).toEqual(['V6']);
  });

  it('a violation says where and what led to it', async () => {
    const { sdk, trtc, instance } = setup();
    await trtc.enterRoom(CONFIG);
    instance.emit('kicked-out', { reason: 'kick' });
    await trtc.exitRoom();
    const [violation] = sdk.violations;
    expect(violation?.instance).toBe(1);
    expect(violation?.history).toEqual(['on ×2', 'enterRoom(8888)', 'emit kicked-out {reason: kick}', 'exitRoom']);
  });
});
