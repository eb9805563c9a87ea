import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startInspectorServer } from '../src/inspect/server.js';
import type { InspectorServer } from '../src/inspect/server.js';
import { RoomError } from '../src/errors.js';
import { accepts, canListen, closeAll, connectPeer, freePort, receive, startServer as start, upgrade, waitFor } from './support/inspector-server.js';
import type { UpgradeAnswer } from './support/inspector-server.js';

afterEach(closeAll);

const peer = (server: InspectorServer) => connectPeer(server.url);

const hasIpv6Loopback = await canListen('::1');
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && !address.internal && address.family === 'IPv4')?.address;

describe('loopback only', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', '10.0.0.1', '127.1', 'localhost.example.com'])(
    'refuses host %s before binding anything',
    async (host) => {
      const port = await freePort();
      const starting = startInspectorServer({ host, port });
      await expect(starting).rejects.toBeInstanceOf(RoomError);
      await expect(starting).rejects.toMatchObject({
        code: 'INVALID_PARAMETER',
        field: 'host',
        message: expect.stringMatching(/not a loopback address.*must stay on this machine/) as unknown,
      });
      expect(await accepts('127.0.0.1', port)).toBe(false);
    },
  );

  it('listens on 127.0.0.1 by default', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
  });

  it.skipIf(lanAddress === undefined)(`is not reachable on the machine's network address (${lanAddress})`, async () => {
    const server = await start();
    expect(await accepts(lanAddress ?? '', server.port)).toBe(false);
  });

  it('takes 127.0.0.1 and localhost (bound as 127.0.0.1)', async () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST']) {
      const server = await start({ host });
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`ws://127.0.0.1:${server.port}/?token=${server.token}`);
      expect((await upgrade(server)).status).toBe(101);
    }
  });

  it.skipIf(!hasIpv6Loopback)('takes ::1 (and [::1]), with a bracketed URL', async () => {
    for (const host of ['::1', '[::1]']) {
      const server = await start({ host });
      expect(server.host).toBe('::1');
      expect(server.url).toBe(`ws://[::1]:${server.port}/?token=${server.token}`);
      expect(await accepts('::1', server.port)).toBe(true);
      expect(await accepts('127.0.0.1', server.port)).toBe(false);
      const received = receive(server);
      await waitFor(() => server.clientCount === 1, 'a receiver over ::1');
      server.send({ over: 'ipv6' });
      await waitFor(() => received.length === 1, 'the message over ::1');
    }
  });

  it('defaults to port 8080, where @statelyai/inspect looks by default, but takes only its url with the token (skipped if 8080 is taken)', async (context) => {
    if ((await accepts('127.0.0.1', 8080)) || (hasIpv6Loopback && (await accepts('::1', 8080)))) return context.skip();
    const server = await start({ port: undefined }); // what startInspectorServer() picks by itself
    expect(server.port).toBe(8080);
    expect(server.url).toBe(`ws://127.0.0.1:8080/?token=${server.token}`);
    // What createWebSocketReceiver() and createWebSocketInspector() ask for without a url:
    expect((await upgrade(server, { path: '/' })).status).toBe(401);
    const received = receive(server);
    await waitFor(() => server.clientCount === 1, 'a receiver on server.url');
    server.send({ hello: 'default' });
    await waitFor(() => received.length === 1, 'the message');
  });
});

describe('token', () => {
  it('is random, at least 128 bits, different for each server, and in url', async () => {
    const first = await start();
    const second = await start();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(first.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(second.token).not.toBe(first.token);
    expect(new URL(first.url).searchParams.get('token')).toBe(first.token);
  });

  it('refuses an upgrade without it, or with another, with 401 before any WebSocket exists: no replay, no client', async () => {
    const server = await start();
    const other = await start();
    server.send({ secret: 'session' });
    const wrongs = [
      '/',
      '/?token=',
      `/?token=${other.token}`,
      `/?token=${server.token.slice(0, -1)}`,
      `/?token=${server.token}x`,
      `/?token=${server.token.toUpperCase() === server.token ? server.token.toLowerCase() : server.token.toUpperCase()}`,
      `/${server.token}`,
      `/?Token=${server.token}`,
    ];
    for (const path of wrongs) {
      const answer = await upgrade(server, { path });
      expect(answer.status, path).toBe(401);
      expect(answer.body).toMatch(/Missing or wrong token/);
      expect(answer.body).not.toContain(server.token);
      expect(answer.body).not.toMatch(/secret/);
    }
    expect(server.clientCount).toBe(0);
    await expect(connectPeer(`ws://127.0.0.1:${server.port}`)).rejects.toThrow(/401/);
    await expect(connectPeer(other.url.replace(String(other.port), String(server.port)))).rejects.toThrow(/401/);
  });

  it('is taken on any path, among other query parameters', async () => {
    const server = await start();
    expect((await upgrade(server, { path: `/inspect?viewer=1&token=${server.token}` })).status).toBe(101);
  });

  it('can be fixed with the token option, which is then in url', async () => {
    const token = 'a-fixed_token.of~24chars';
    const server = await start({ token });
    expect(server.token).toBe(token);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/?token=${token}`);
    const viewer = await peer(server);
    server.send({ fixed: true });
    await waitFor(() => viewer.texts.length === 1, 'the message');
  });

  it.each([
    ['too short', 'fifteen-chars-x'],
    ['empty', ''],
    ['with a space', 'sixteen chars ok'],
    ['with URL syntax', 'sixteen&chars=ok'],
    ['with a slash', 'sixteen/chars/ok'],
    ['not ASCII', 'sixteen-chärs-ok'],
    ['over 512 characters', 'a'.repeat(513)],
    ['not a string', 12345678901234567890 as unknown as string],
  ])('refuses a token %s with INVALID_PARAMETER before binding anything', async (_, token) => {
    const port = await freePort();
    await expect(startInspectorServer({ port, token })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'token' });
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });
});

describe('maxClients', () => {
  it('refuses the connection past maxClients with 503 before the upgrade, and takes one again once a client has gone', async () => {
    const server = await start({ maxClients: 2 });
    const a = await peer(server);
    await peer(server);
    const answer = await upgrade(server);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/maxClients/);
    await expect(peer(server)).rejects.toThrow(/503/);
    expect(server.clientCount).toBe(2);

    a.ws.close();
    await waitFor(() => a.closed(), 'the first client to go');
    await waitFor(() => server.clientCount === 1, 'the server to see it');
    const c = await peer(server);
    server.send({ to: 'both' });
    await waitFor(() => c.texts.length === 1, 'the new client to get the message');
  });

  it('defaults to 16', async () => {
    const server = await start();
    for (let i = 0; i < 16; i += 1) await peer(server);
    expect((await upgrade(server)).status).toBe(503);
  });

  it('checks Origin, then the token, then the count: a full server still says 403 and 401 to those', async () => {
    const server = await start({ maxClients: 1 });
    await peer(server);
    expect((await upgrade(server, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await upgrade(server, { path: '/' })).status).toBe(401);
    expect((await upgrade(server)).status).toBe(503);
  });
});

describe('origins', () => {
  it('takes clients with no Origin and pages on localhost; refuses other pages with 403', async () => {
    const server = await start();
    expect((await upgrade(server)).status).toBe(101);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'https://[::1]:8443']) {
      expect((await upgrade(server, { origin })).status, origin).toBe(101);
    }
    await waitFor(() => server.clientCount === 0, 'the accepted test sockets to go');

    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'http://192.168.1.10:3000']) {
      const answer = await upgrade(server, { origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.body).toMatch(/may not read inspection events/);
      expect(server.clientCount).toBe(0);
    }
  });

  it('a refused page is never sent anything, not even the replay, and learns nothing of the token', async () => {
    const server = await start();
    server.send({ secret: 'session' });
    const answer = await upgrade(server, { origin: 'https://evil.example', path: '/' });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toMatch(/secret/);
    expect(answer.body).not.toContain(server.token);
  });

  it('allowedOrigins is the whole list of pages allowed', async () => {
    const server = await start({ allowedOrigins: ['https://app.example'] });
    expect((await upgrade(server, { origin: 'https://app.example' })).status).toBe(101);
    expect((await upgrade(server)).status).toBe(101);
    expect((await upgrade(server, { origin: 'https://app.example.evil' })).status).toBe(403);
    expect((await upgrade(server, { origin: 'http://localhost:3000' })).status).toBe(403);
  });

  it('answers plain HTTP with 426 and a short text saying what this is', async () => {
    const server = await start();
    const answer = await new Promise<UpgradeAnswer>((resolve, reject) => {
      request({ host: server.host, port: server.port }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
        .once('error', reject)
        .end();
    });
    expect(answer.status).toBe(426);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.body).toMatch(/WebSocket endpoint for XState inspection/);
    expect(answer.body).not.toContain(server.token);
  });
});

/** A frame header declaring `length` payload bytes (masked, with a zero mask), for a payload that never comes. */
