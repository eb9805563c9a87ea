import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('@statelyai/inspect');
  vi.resetModules();
});

describe('trtc-room-machine/stately', () => {
  it('makes an @statelyai/inspect WebSocket inspector aimed at the loopback server by default, dropping noisy events', async () => {
    const made: unknown[] = [];
    vi.doMock('@statelyai/inspect', () => ({
      createWebSocketInspector: (options: unknown) => (made.push(options), { inspect: { next() {} }, start() {}, stop() {} }),
    }));
    const { createStatelyWebSocketInspector } = await import('../src/inspect/stately.js');
    const inspector = await createStatelyWebSocketInspector({ autoStart: false });
    expect(typeof inspector.inspect.next).toBe('function');
    const options = made[0] as { url: string; autoStart: boolean; filter: (event: unknown) => boolean };
    expect(options).toMatchObject({ url: 'ws://127.0.0.1:8080', autoStart: false });
    expect(options.filter({ type: '@xstate.event', event: { type: 'sdk.remote', count: 3, changes: [{ kind: 'volumes', volumes: [] }] } })).toBe(false);
    expect(options.filter({ type: '@xstate.event', event: { type: 'sdk.networkQuality' } })).toBe(false);
    expect(options.filter({ type: '@xstate.event', event: { type: 'sdk.remote', count: 2, changes: [{ kind: 'volumes', volumes: [] }, { kind: 'enter', userId: 'bob' }] } })).toBe(true);
    expect(options.filter({ type: '@xstate.actor' })).toBe(true);
  });

  it('without @statelyai/inspect installed, says how to install it (a typed error, no crash at import time)', async () => {
    vi.doMock('@statelyai/inspect', () => {
      throw new Error("Cannot find package '@statelyai/inspect'");
    });
    const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
    await expect(createStatelyBrowserInspector()).rejects.toMatchObject({
      name: 'RoomError',
      code: 'MISSING_DEPENDENCY',
      message: expect.stringContaining('npm install --save-dev @statelyai/inspect'),
    });
  });

  it('the browser inspector outside a browser says so instead of returning an inspector that cannot inspect', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
    await expect(createStatelyBrowserInspector()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    quiet.mockRestore();
  });

  it('an explicit filter: undefined keeps the default filter', async () => {
    const made: Array<{ filter: (event: unknown) => boolean }> = [];
    vi.doMock('@statelyai/inspect', () => ({
      createWebSocketInspector: (options: { filter: (event: unknown) => boolean }) => (made.push(options), { inspect: { next() {} }, start() {}, stop() {} }),
    }));
    const { createStatelyWebSocketInspector } = await import('../src/inspect/stately.js');
    await createStatelyWebSocketInspector({ filter: undefined });
    expect(made[0]?.filter({ event: { type: 'sdk.networkQuality' } })).toBe(false);
  });

  it('the real package loads on demand', async () => {
    const { createStatelyWebSocketInspector } = await import('../src/inspect/stately.js');
    const inspector = await createStatelyWebSocketInspector({ autoStart: false });
    expect(typeof inspector.inspect.next).toBe('function');
    inspector.stop();
  });
});
