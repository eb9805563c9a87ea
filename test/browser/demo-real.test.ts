import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStandIn } from '../support/api-stand-in.js';
import type { ApiStandIn } from '../support/api-stand-in.js';
import { decodeTls, tlsHmac } from '../support/tls-doc.js';
import { chromiumFor, launchChromium } from './browser.js';
import { joinedAs, wireServerKicks } from './loopback-cloud.js';
import { STUB_LIMITS } from './real-sdk-page.js';
import { startSignallingStub } from './signalling-stub.js';
import type { SignallingStub } from './signalling-stub.js';

const chromiumPath = chromiumFor("the demo's real mode");
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);

const SDK_APP_ID = 1400000001;
// Made-up secrets of the consoles' shapes: the dev server's, never the page's.
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const SECRET_ID = 'AKIDdemorealmodetest0EXAMPLE';
const API_SECRET_KEY = 'demo-real-mode-api-secret-key-EXAMPLE';
const SECRETS = [SECRET_KEY, SECRET_ID, API_SECRET_KEY];
/** Where the real SDK sends its logs and call quality once in a room, signalling proxy or not. */
const REPORTS = 'https://yun.tim.qq.com/';

describe.skipIf(!chromiumPath)("the demo's real mode in Chromium: userSigs and the server API from the dev server, over loopback stand-ins", () => {
  let standIn: ApiStandIn;
  let stub: SignallingStub;
  let envDir: string;
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** Requests for anything but the dev server, aborted: what they were and what they carried. */
  const offMachine: Array<{ url: string; body: string }> = [];
  /** What the page asked of the dev server's /api/*. */
  const apiRequests: string[] = [];
  /** Every response body the page received (pages, scripts, API answers). */
  const received: Array<Promise<string>> = [];

  const serverPanel = (): Locator => page.getByRole('region', { name: "Server (Tencent's TRTC API)" });
  const card = (): Locator => page.locator('.real [data-participant="alice"]');
  const press = (label: string) => card().getByRole('button', { name: label, exact: true }).click();
  const waitForState = (state: string) => page.waitForSelector(`.real [data-participant="alice"][data-state="${state}"]`, { timeout: 10_000 });
  const screenshot = (name: string) => page.screenshot({ path: fileURLToPath(new URL(`demo-real-${name}.png`, ARTIFACTS)), fullPage: true });
  const calls = () => card().locator('ol.calls > li').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.method ?? (row.classList.contains('kick-marker') ? 'KICK' : '')));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    standIn = await startApiStandIn(API_SECRET_KEY);
    stub = await startSignallingStub();
    wireServerKicks(standIn, stub);
    envDir = mkdtempSync(join(tmpdir(), 'demo-env-'));
    writeFileSync(
      join(envDir, '.env.local'),
      [
        `TRTC_SDK_APP_ID=${SDK_APP_ID}`,
        `TRTC_SECRET_KEY=${SECRET_KEY}`,
        `TENCENTCLOUD_SECRET_ID=${SECRET_ID}`,
        `TENCENTCLOUD_SECRET_KEY=${API_SECRET_KEY}`,
        `TRTC_API_ENDPOINT=${standIn.loopbackEndpoint}`,
        `TRTC_WEBSOCKET_PROXY=${stub.url}`,
      ].join('\n'),
    );
    server = await createServer({
      configFile: 'examples/demo/vite.config.ts',
      envDir,
      // Its own dependency cache: demo.test.ts starts the same config at the same time.
      cacheDir: 'node_modules/.vite/demo-real',
      server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
      logLevel: 'silent',
    });
    await server.listen();
    const origin = `http://127.0.0.1:${(server.httpServer?.address() as AddressInfo).port}`;
    browser = await launchChromium(chromiumPath ?? 'chromium');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      if (!STUB_LIMITS.test(error.message)) errors.push(`pageerror: ${error.message}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (request.url().startsWith(`${origin}/api/`)) apiRequests.push(`${request.method()} ${request.url().slice(origin.length)}`);
    });
    page.on('response', (response) => received.push(response.text().catch(() => '')));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      offMachine.push({ url, body: route.request().postData() ?? '' });
      // The SDK's reports to Tencent are answered here, empty (an aborted one logs a console error).
      return url.startsWith(REPORTS) ? route.fulfill({ status: 204 }) : route.abort();
    });
    await page.goto(`${origin}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stub?.close();
    await standIn?.close();
    if (envDir) rmSync(envDir, { recursive: true, force: true });
  });

  it('real mode reads what the dev server can do: it signs userSigs, calls the API, and names the signalling proxy', async () => {
    await page.getByRole('button', { name: 'Real TRTC', exact: true }).click();
    await page.waitForSelector('.real-source[data-source="dev-server"]', { timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'From the dev server' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('spinbutton', { name: 'SDKAppID' }).inputValue()).toBe(String(SDK_APP_ID));
    expect(await page.getByRole('textbox', { name: 'userSig' }).isVisible()).toBe(false);
    expect(await page.locator('.real-proxy').textContent()).toBe(`Signalling goes through ${stub.url} (TRTC_WEBSOCKET_PROXY).`);
    await page.waitForSelector('.admin-status[data-api="ready"]');
    expect(await page.getByRole('button', { name: 'Remove user' }).isEnabled()).toBe(true);
    expect(apiRequests).toEqual(['GET /api/config']);
    await screenshot('form');
  });

  it('Enter: the page gets its userSig from the dev server, signed with the SecretKey, and enters over the stub', async () => {
    await page.getByRole('button', { name: 'Create participant' }).click();
    await card().waitFor({ timeout: 10_000 });
    await press('Enter');
    await waitForState('inRoom');
    expect(apiRequests).toEqual(['GET /api/config', 'GET /api/usersig?userId=alice']);
    const joins = stub.connections.map(joinedAs).filter((join) => join !== undefined);
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ userId: 'alice', roomId: '8888' });
    const doc = decodeTls(joins[0]?.userSig ?? '');
    expect(doc).toMatchObject({ 'TLS.identifier': 'alice', 'TLS.sdkappid': SDK_APP_ID });
    expect(doc['TLS.sig']).toBe(tlsHmac(SECRET_KEY, doc));
  });

  it('Remove user: the dev server calls RemoveUser on the API stand-in, the stub kicks alice, her card shows kicked: banned and no exitRoom', async () => {
    expect(await page.getByRole('textbox', { name: 'userId to remove' }).inputValue()).toBe('alice');
    expect(await page.getByRole('spinbutton', { name: 'Room to act on' }).inputValue()).toBe('8888');
    await page.getByRole('button', { name: 'Remove user', exact: true }).click();
    await waitForState('kicked');
    expect(apiRequests.at(-1)).toBe('POST /api/remove-user');
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]).toMatchObject({
      method: 'POST',
      headers: { 'x-tc-action': 'RemoveUser', 'x-tc-version': '2019-07-22' },
      json: { SdkAppId: SDK_APP_ID, RoomId: 8888, UserIds: ['alice'] },
      signature: { valid: true, secretId: SECRET_ID },
    });
    expect(await serverPanel().locator('.admin-answer').textContent()).toBe('RemoveUser: done (RequestId stand-in-1)');
    expect(await card().locator('.kick-reason').textContent()).toBe('kicked: banned');
    expect(await card().locator('.kick-proof').textContent()).toBe('kicked (banned) — no exitRoom called');
    await screenshot('banned');

    // exit() after the kick resolves with no SDK call.
    await press('Exit');
    await page.waitForTimeout(300);
    const log = await calls();
    expect(log).toContain('enterRoom');
    expect(log.indexOf('KICK')).toBeGreaterThan(log.indexOf('enterRoom'));
    expect(log).not.toContain('exitRoom');
    expect(await card().getAttribute('data-state')).toBe('kicked');
  });

  it('Enter again takes a fresh userSig; Dismiss room calls DismissRoom and the card shows kicked: room_disband', async () => {
    await press('Enter');
    await waitForState('inRoom');
    expect(apiRequests.filter((request) => request.startsWith('GET /api/usersig'))).toHaveLength(2);
    await page.getByRole('button', { name: 'Dismiss room', exact: true }).click();
    await waitForState('kicked');
    expect(standIn.requests[1]).toMatchObject({ headers: { 'x-tc-action': 'DismissRoom' }, json: { SdkAppId: SDK_APP_ID, RoomId: 8888 }, signature: { valid: true } });
    expect(await card().locator('.kick-reason').textContent()).toBe('kicked: room_disband');
    expect(await calls()).not.toContain('exitRoom');
  });

  it('the page never received a secret, made no request off this machine, and logged no error', async () => {
    const bodies = await Promise.all(received);
    expect(bodies.length).toBeGreaterThan(10);
    for (const secret of SECRETS) expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
    expect(await page.content()).not.toContain(SECRET_KEY);
    // Only the SDK's own reports were meant for another machine (none left this one), and none held a secret.
    expect(offMachine.filter(({ url }) => !url.startsWith(REPORTS))).toEqual([]);
    for (const secret of SECRETS) expect(offMachine.filter(({ url, body }) => (url + body).includes(secret))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
