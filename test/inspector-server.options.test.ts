import { afterEach, describe, expect, it, vi } from 'vitest';
import { startInspectorServer } from '../src/inspect/server.js';
import type { InspectorServerOptions } from '../src/inspect/server.js';
import { RoomError } from '../src/errors.js';
import { accepts, closeAll, freePort, startServer as start } from './support/inspector-server.js';

afterEach(closeAll);

describe('options', () => {
  const refused: Array<[string, InspectorServerOptions, string]> = [
    ['port -1', { port: -1 }, 'port'],
    ['port 70000', { port: 70000 }, 'port'],
    ['port 1.5', { port: 1.5 }, 'port'],
    ['port NaN', { port: Number.NaN }, 'port'],
    ['replay -1', { replay: -1 }, 'replay'],
    ['replay 2.5', { replay: 2.5 }, 'replay'],
    ['maxMessageBytes -1', { maxMessageBytes: -1 }, 'maxMessageBytes'],
    ['maxMessageBytes 0 (ws would read it as no limit)', { maxMessageBytes: 0 }, 'maxMessageBytes'],
    ['maxReplayBytes -1', { maxReplayBytes: -1 }, 'maxReplayBytes'],
    ['maxReplayBytes 0.5', { maxReplayBytes: 0.5 }, 'maxReplayBytes'],
    ['maxBufferedBytes -1', { maxBufferedBytes: -1 }, 'maxBufferedBytes'],
    ['maxBufferedBytes Infinity', { maxBufferedBytes: Number.POSITIVE_INFINITY }, 'maxBufferedBytes'],
    ['maxClients 0', { maxClients: 0 }, 'maxClients'],
    ['maxClients 1001', { maxClients: 1001 }, 'maxClients'],
    ['maxClients 2.5', { maxClients: 2.5 }, 'maxClients'],
    ['an origin with a trailing slash', { allowedOrigins: ['http://localhost:5173/'] }, 'allowedOrigins'],
    ['an origin that is a bare host', { allowedOrigins: ['app.example'] }, 'allowedOrigins'],
  ];
  it.each(refused)('refuses %s with INVALID_PARAMETER naming the field', async (_, options, field) => {
    const starting = startInspectorServer(options);
    await expect(starting).rejects.toBeInstanceOf(RoomError);
    await expect(starting).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field });
  });

  it('rejects with the listen error when the port is taken', async () => {
    const first = await start();
    await expect(startInspectorServer({ port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('without ws installed', () => {
  afterEach(() => {
    vi.doUnmock('ws');
    vi.resetModules();
  });

  it('the module still loads; starting says how to install ws (MISSING_DEPENDENCY) and binds nothing', async () => {
    vi.doMock('ws', () => {
      throw new Error("Cannot find package 'ws'");
    });
    vi.resetModules();
    const { startInspectorServer: startWithoutWs } = await import('../src/inspect/server.js');
    const port = await freePort();
    const error: unknown = await startWithoutWs({ port }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf((await import('../src/errors.js')).RoomError);
    expect(error).toMatchObject({ code: 'MISSING_DEPENDENCY', message: expect.stringContaining('npm install --save-dev ws') as unknown });
    // The failed import is kept as the cause (vitest wraps the mock factory's error in one of its own).
    const causes: string[] = [];
    for (let cause = (error as Error).cause; cause instanceof Error; cause = cause.cause) causes.push(cause.message);
    expect(causes.join(' / ')).toContain("Cannot find package 'ws'");
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });
});
