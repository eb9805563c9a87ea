import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, createMachine } from 'xstate';

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

/** A browser window as far as the inspector uses one: `open` gives `opened`, messages are dispatched by the test. */
function fakeWindow(opened: { postMessage: (message: unknown) => void } | null) {
  const target = new EventTarget();
  const listeners = new Map<(event: { data: unknown }) => void, EventListener>();
  return {
    opens: [] as string[],
    open(url: string) {
      this.opens.push(url);
      return opened;
    },
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void) {
      const wrapped: EventListener = (event) => listener(event as unknown as { data: unknown });
      listeners.set(listener, wrapped);
      target.addEventListener(type, wrapped);
    },
    removeEventListener(type: 'message', listener: (event: { data: unknown }) => void) {
      const wrapped = listeners.get(listener);
      if (wrapped) target.removeEventListener(type, wrapped);
    },
    /** A message from the inspector page. */
    say(data: unknown) {
      target.dispatchEvent(Object.assign(new Event('message'), { data }));
    },
  };
}

describe('the browser inspector says when its page cannot be reached', () => {
  it('a blocked popup: connected rejects INSPECTOR_UNAVAILABLE at once, and onUnavailable hears it', async () => {
    const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
    const reported: unknown[] = [];
    const window = fakeWindow(null);
    const inspector = await createStatelyBrowserInspector({ window, onUnavailable: (error) => reported.push(error) });
    expect(window.opens).toEqual(['https://stately.ai/inspect']);
    await expect(inspector.connected).rejects.toMatchObject({ name: 'RoomError', code: 'INSPECTOR_UNAVAILABLE', message: expect.stringContaining('popup') });
    expect(reported).toHaveLength(1);
  });

  it('a page that answers: connected resolves, and the events kept meanwhile are sent to it', async () => {
    const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
    const sent: unknown[] = [];
    const window = fakeWindow({ postMessage: (message) => sent.push(message) });
    const inspector = await createStatelyBrowserInspector({ window, onUnavailable: () => expect.unreachable() });
    createActor(createMachine({ id: 'tiny', initial: 'a', states: { a: {} } }), { inspect: inspector.inspect }).start();
    // The package converts events when idle (a timer outside a browser).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([]);
    window.say({ type: '@statelyai.connected' });
    await expect(inspector.connected).resolves.toBeUndefined();
    expect(sent.length).toBeGreaterThan(0);
  });

  it('a page that stays silent (offline): connected rejects after connectTimeoutMs, with a console warning by default', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
      const inspector = await createStatelyBrowserInspector({ window: fakeWindow({ postMessage: () => undefined }), connectTimeoutMs: 3000 });
      let outcome = 'pending';
      inspector.connected.catch((error: { code: string }) => (outcome = error.code));
      await vi.advanceTimersByTimeAsync(2999);
      expect(outcome).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBe('INSPECTOR_UNAVAILABLE');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('did not answer within 3000 ms'));
    } finally {
      warn.mockRestore();
      vi.useRealTimers();
    }
  });
});

describe('a browser inspector stopped before its page answers', () => {
  it('tells nobody: no warning, and connected rejects quietly', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { createStatelyBrowserInspector } = await import('../src/inspect/stately.js');
      const inspector = await createStatelyBrowserInspector({ window: fakeWindow({ postMessage: () => undefined }), connectTimeoutMs: 1000 });
      inspector.stop();
      await expect(inspector.connected).rejects.toMatchObject({ code: 'INSPECTOR_UNAVAILABLE', message: expect.stringContaining('stopped') });
      await vi.advanceTimersByTimeAsync(5000);
      expect(warn).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      warn.mockRestore();
      vi.useRealTimers();
    }
  });
});
