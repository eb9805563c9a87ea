import { describe, expect, it } from 'vitest';
import type { DeviceKind, DeviceReport } from '../src/machines/device/device.types.js';
import type { RoomErrorData } from '../src/errors.js';
import { initialContext } from '../src/machines/room/room.setup.js';
import type { RoomContext } from '../src/machines/room/room.types.js';
import { createViewMemo } from '../src/machines/room/room.view.js';
import type { ViewSource } from '../src/machines/room/room.view.js';
import { Roster } from '../src/machines/room/roster.js';

const base = (): RoomContext => initialContext({ enterTimeoutMs: 1000, exitTimeoutMs: 500, canRenewInstance: true });

const denied: RoomErrorData = {
  code: 'MEDIA_FAILED',
  message: 'camera: start failed (SDK code 5300/5302): NotAllowedError: Permission denied',
  sdkCode: 5300,
  sdkExtraCode: 5302,
};

const withDevice = (context: RoomContext, kind: DeviceKind, report: Partial<DeviceReport>): RoomContext => ({
  ...context,
  local: { ...context.local, [kind]: { ...context.local[kind], ...report } },
});

function inRoom(): ViewSource {
  const roster = new Roster();
  roster.apply({ kind: 'enter', userId: 'bob' });
  return {
    state: 'inRoom',
    context: { ...base(), connection: 'connected', role: 'anchor', target: { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 } },
    remoteUsers: roster.snapshot(),
  };
}

describe('createViewMemo', () => {
  it('shows a fresh room', () => {
    const view = createViewMemo()({ state: 'idle', context: base(), remoteUsers: [] });
    expect(view).toEqual({
      state: 'idle',
      connection: 'disconnected',
      local: { microphone: 'off', camera: 'off', screen: 'off' },
      localErrors: {},
      muted: { microphone: false, camera: false },
      remoteUsers: [],
      network: base().network,
      autoplayBlocked: false,
    });
  });

  it('gives the same object when nothing it shows changed', () => {
    const view = createViewMemo();
    const source = inRoom();
    const first = view(source);
    expect(view(source)).toBe(first);
    expect(view({ ...source })).toBe(first);
    expect(view({ ...source, context: { ...source.context } })).toBe(first);
  });

  it.each<[string, (context: RoomContext) => RoomContext]>([
    ['instance', (c) => ({ ...c, instance: c.instance + 1 })],
    ['exitRequested', (c) => ({ ...c, exitRequested: true })],
    ['destroyRequested', (c) => ({ ...c, destroyRequested: true })],
    ['retireRequested', (c) => ({ ...c, retireRequested: true })],
    ['target', (c) => ({ ...c, target: { sdkAppId: 1400000000, userId: 'alice', roomId: 9999 } })],
    ['local, rebuilt with equal reports', (c) => ({ ...c, local: { ...c.local, camera: { ...c.local.camera } } })],
  ])('gives the same object for a new context that differs only in %s', (_, change) => {
    const view = createViewMemo();
    const source = inRoom();
    const first = view(source);
    expect(view({ ...source, context: change(source.context) })).toBe(first);
  });

  const otherUsers = () => {
    const roster = new Roster();
    roster.apply({ kind: 'enter', userId: 'bob' });
    return roster.snapshot();
  };

  it.each<[string, (source: ViewSource) => ViewSource]>([
    ['state', (s) => ({ ...s, state: 'exiting' })],
    ['connection', (s) => ({ ...s, context: { ...s.context, connection: 'reconnecting' } })],
    ['error', (s) => ({ ...s, context: { ...s.context, error: { code: 'ENTER_FAILED', message: 'enterRoom failed' } } })],
    ['warning', (s) => ({ ...s, context: { ...s.context, warning: { sdkCode: 5500, sdkExtraCode: 5501, message: 'unstable' } } })],
    ['kickReason', (s) => ({ ...s, context: { ...s.context, kickReason: 'banned' } })],
    ['role', (s) => ({ ...s, context: { ...s.context, role: 'audience' } })],
    ['network', (s) => ({ ...s, context: { ...s.context, network: { ...s.context.network, uplink: 1 } } })],
    ['autoplayBlocked', (s) => ({ ...s, context: { ...s.context, autoplayBlocked: true } })],
    ['microphone status', (s) => ({ ...s, context: withDevice(s.context, 'microphone', { status: 'starting' }) })],
    ['camera muted', (s) => ({ ...s, context: withDevice(s.context, 'camera', { muted: true }) })],
    ['screen error', (s) => ({ ...s, context: withDevice(s.context, 'screen', { status: 'failed', error: denied }) })],
    ['the remote users array, even with equal users', (s) => ({ ...s, remoteUsers: otherUsers() })],
  ])('gives a new object when %s changes', (_, change) => {
    const view = createViewMemo();
    const source = inRoom();
    const first = view(source);
    const next = change(source);
    const second = view(next);
    expect(second).not.toBe(first);
    expect(view(next)).toBe(second);
  });

  it('shows what changed', () => {
    const view = createViewMemo();
    const source = inRoom();
    view(source);
    const context = withDevice(withDevice(source.context, 'camera', { status: 'on', muted: true }), 'microphone', { status: 'stopping' });
    const next = view({ ...source, state: 'exiting', context: { ...context, connection: 'reconnecting', autoplayBlocked: true } });
    expect(next).toMatchObject({
      state: 'exiting',
      connection: 'reconnecting',
      local: { microphone: 'stopping', camera: 'on', screen: 'off' },
      muted: { microphone: false, camera: true },
      autoplayBlocked: true,
    });
  });

  it('compares the remote users by array identity and passes the array through', () => {
    const view = createViewMemo();
    const roster = new Roster();
    roster.apply({ kind: 'enter', userId: 'bob' });
    const source = { ...inRoom(), remoteUsers: roster.snapshot() };
    const first = view(source);
    expect(first.remoteUsers).toBe(source.remoteUsers);

    roster.apply({ kind: 'exit', userId: 'nobody' });
    expect(view({ ...source, remoteUsers: roster.snapshot() })).toBe(first);
    roster.apply({ kind: 'audio', userId: 'bob', available: true });
    const second = view({ ...source, remoteUsers: roster.snapshot() });
    expect(second).not.toBe(first);
    expect(second.remoteUsers).toEqual([expect.objectContaining({ userId: 'bob', audio: true })]);
  });

  it('leaves kickReason, error, warning and role out when null', () => {
    const view = createViewMemo()({ state: 'idle', context: base(), remoteUsers: [] });
    for (const key of ['kickReason', 'error', 'warning', 'role']) expect(view).not.toHaveProperty(key);
  });

  it('shows kickReason, error, warning and role when set', () => {
    const error: RoomErrorData = { code: 'KICKED', message: 'kicked out', kickReason: 'kick' };
    const warning = { sdkCode: 5500, message: 'unstable' };
    const context: RoomContext = { ...base(), kickReason: 'kick', error, warning, role: 'audience' };
    const view = createViewMemo()({ state: 'kicked', context, remoteUsers: [] });
    expect(view).toMatchObject({ kickReason: 'kick', error, warning, role: 'audience' });
  });

  it('lists the errors of failed devices only', () => {
    const busy: RoomErrorData = { ...denied, message: 'microphone: start failed', sdkExtraCode: 5303 };
    let context = withDevice(base(), 'camera', { status: 'failed', error: denied });
    context = withDevice(context, 'microphone', { status: 'failed', error: busy });
    context = withDevice(context, 'screen', { status: 'on' });
    const view = createViewMemo()({ state: 'idle', context, remoteUsers: [] });
    expect(view.localErrors).toEqual({ camera: denied, microphone: busy });
    expect(view.local).toEqual({ microphone: 'failed', camera: 'failed', screen: 'on' });

    const restarted = createViewMemo()({ state: 'idle', context: withDevice(context, 'camera', { status: 'starting', error: null }), remoteUsers: [] });
    expect(restarted.localErrors).toEqual({ microphone: busy });
  });

  it('is plain data: a JSON round trip gives an equal view', () => {
    const roster = new Roster();
    roster.apply({ kind: 'enter', userId: 'bob' });
    roster.apply({ kind: 'video', userId: 'bob', streamType: 'sub', available: true });
    roster.apply({ kind: 'subscription', userId: 'bob', streamType: 'sub', playing: true });
    roster.apply({ kind: 'volumes', volumes: [{ userId: 'bob', volume: 42 }] });
    const context: RoomContext = {
      ...withDevice(base(), 'camera', { status: 'failed', error: denied }),
      kickReason: 'room_disband',
      error: { code: 'KICKED', message: 'the room was disbanded', kickReason: 'room_disband' },
      warning: { sdkCode: 5500, sdkExtraCode: 5501, message: 'unstable' },
      role: 'anchor',
      network: { uplink: 1, downlink: 2, uplinkRTT: 30, downlinkRTT: 40, uplinkLoss: 0, downlinkLoss: 1 },
      autoplayBlocked: true,
    };
    const view = createViewMemo()({ state: 'kicked', context, remoteUsers: roster.snapshot() });
    expect(JSON.parse(JSON.stringify(view))).toStrictEqual(view);
    expect(Object.keys(view).sort()).toEqual(
      ['autoplayBlocked', 'connection', 'error', 'kickReason', 'local', 'localErrors', 'muted', 'network', 'remoteUsers', 'role', 'state', 'warning'].sort(),
    );
  });
});
