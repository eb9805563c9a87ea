import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, launchChromium } from './browser.js';

const chromiumPath = chromiumFor('the demo page tests');

const ARTIFACTS = new URL('../../artifacts/', import.meta.url);

/** What a card's SDK call log shows: its rows in order, kick markers included. */
interface CallRow {
  method: string | undefined;
  status: string | undefined;
  kickMarker: boolean;
  text: string;
}

describe.skipIf(!chromiumPath)('the demo (npm start) in Chromium, on the simulator', () => {
  let envDir: string;
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** Requests for anything but the demo's own server: there must be none. */
  const offMachine: string[] = [];
  /** Every URL the page loaded, to tell when the real SDK was. */
  const loaded: string[] = [];

  const card = (name: string): Locator => page.locator(`[data-participant="${name}"]`);
  const press = (name: string, label: string) => card(name).getByRole('button', { name: label, exact: true }).click();
  const stateOf = (name: string) => card(name).getAttribute('data-state');
  const waitForState = (name: string, state: string) => page.waitForSelector(`[data-participant="${name}"][data-state="${state}"]`, { timeout: 5_000 });
  const screenshot = (name: string) => page.screenshot({ path: fileURLToPath(new URL(`demo-${name}.png`, ARTIFACTS)), fullPage: true });
  const callRows = (name: string): Promise<CallRow[]> =>
    card(name)
      .locator('ol.calls > li')
      .evaluateAll((rows) =>
        rows.map((row) => ({
          method: (row as HTMLElement).dataset.method,
          status: (row as HTMLElement).dataset.status,
          kickMarker: row.classList.contains('kick-marker'),
          text: row.textContent ?? '',
        })),
      );
  const adminSelect = (label: string, value: string) => page.getByRole('combobox', { name: label }).selectOption(value);
  const admin = (label: string) => page.getByRole('button', { name: label, exact: true }).click();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Real mode as `npm start` shows it to someone with no credentials: an envDir with no .env file,
    // and none of the variables in this process.
    envDir = mkdtempSync(join(tmpdir(), 'demo-no-env-'));
    for (const name of Object.keys(process.env)) if (/^(TRTC|TENCENTCLOUD)_/.test(name)) delete process.env[name];
    server = await createServer({
      configFile: 'examples/demo/vite.config.ts',
      envDir,
      // No watching and no HMR: an edit elsewhere in the tree must not reload the page mid-test.
      server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
      logLevel: 'silent',
    });
    await server.listen();
    const { port } = server.httpServer?.address() as AddressInfo;
    browser = await launchChromium(chromiumPath ?? 'chromium');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    const origin = `http://127.0.0.1:${port}`;
    page.on('request', (request) => loaded.push(request.url()));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      offMachine.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (envDir) rmSync(envDir, { recursive: true, force: true });
  });

  it('loads: alice and bob, idle, side by side, under the simulated server panel, with no error', async () => {
    await card('bob').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-participant]').evaluateAll((cards) => cards.map((element) => (element as HTMLElement).dataset.participant))).toEqual([
      'alice',
      'bob',
    ]);
    expect(await stateOf('alice')).toBe('idle');
    expect(await page.locator('.mode-label').textContent()).toBe('Simulator');
    await expect.poll(() => card('alice').locator('section.trm-inspector').getAttribute('data-room-state')).toBe('idle');
    // A first visit: what to try, and short cards (the inspectors closed, their state in the summary).
    expect(await page.locator('.try-this').textContent()).toContain('no exitRoom after a kick');
    expect(await card('alice').locator('details.inspector').getAttribute('open')).toBeNull();
    expect(await card('alice').locator('.inspector-state').textContent()).toBe('idle');
    expect(errors).toEqual([]);
  });

  it('alice and bob enter; each sees the other', async () => {
    await press('alice', 'Enter');
    await press('bob', 'Enter');
    await waitForState('alice', 'inRoom');
    await waitForState('bob', 'inRoom');
    await press('alice', 'Camera');
    await press('bob', 'Camera');
    await press('alice', 'Mic');
    await page.waitForSelector('[data-participant="bob"] .tile--remote[data-user="alice"][data-video="on"]', { timeout: 5_000 });
    await page.waitForSelector('[data-participant="alice"] .tile--remote[data-user="bob"][data-video="on"]', { timeout: 5_000 });
    for (const [name, other] of [
      ['alice', 'bob'],
      ['bob', 'alice'],
    ] as const) {
      expect(await card(name).locator('.presence').getAttribute('data-remote-count')).toBe('1');
      expect(await card(name).locator('.presence').textContent()).toBe(`in room 8888 with ${other}`);
      expect(await card(name).locator('.tile--camera').getAttribute('data-video')).toBe('on');
    }
    expect(await card('bob').locator('.tile--remote[data-user="alice"] .streams').textContent()).toBe('mic · cam');
    await screenshot('1-in-room');
  });

  it('alice signs in elsewhere: her card shows kicked: kick, her inspector kicked, and no exitRoom follows the kick', async () => {
    await adminSelect('Participant to sign in elsewhere', 'alice');
    await admin('Enter the same userId elsewhere');
    await waitForState('alice', 'kicked');
    expect(await card('alice').getAttribute('data-kick-reason')).toBe('kick');
    // The other controller was seen coming (a BroadcastChannel) before TRTC's kick.
    expect(await card('alice').locator('.calls .duplicate-marker').textContent()).toContain('duplicateUser: alice is entering from elsewhere');
    expect(await card('alice').locator('.kick-reason').textContent()).toBe('kicked: kick');
    // The inspector starts collapsed; its summary names the state.
    await page.waitForSelector('[data-participant="alice"] section.trm-inspector[data-room-state="kicked"]', { state: 'attached', timeout: 5_000 });
    expect(await card('alice').locator('.inspector-state').textContent()).toBe('kicked');
    expect(await card('alice').locator('.ending').textContent()).toBe('You joined this room from somewhere else, so this session was closed.');
    await page.waitForSelector('.elsewhere[data-user="alice"][data-state="inRoom"]', { timeout: 5_000 });
    // Bob now sees the alice who signed in elsewhere, with nothing published.
    await expect.poll(() => card('bob').locator('.tile--remote[data-user="alice"] .streams').textContent()).toBe('nothing published');

    // exit() after a kick resolves at once, with no SDK call.
    await press('alice', 'Exit');
    await page.waitForSelector('[data-participant="alice"] .calls .exit-after-kick', { timeout: 5_000 });
    expect(await card('alice').locator('.calls .exit-after-kick').textContent()).toBe('exit() resolved — no SDK call');
    expect(await stateOf('alice')).toBe('kicked');
    const rows = await callRows('alice');
    const kick = rows.findIndex((row) => row.kickMarker);
    expect(kick, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(rows[kick]?.text).toContain('kicked out (kick)');
    expect(rows.slice(0, kick).map((row) => row.method)).toContain('enterRoom');
    expect(rows.slice(kick + 1).filter((row) => row.method === 'exitRoom')).toEqual([]);
    expect(rows.filter((row) => row.method === 'exitRoom')).toEqual([]);
    const proof = card('alice').locator('.kick-proof');
    expect(await proof.isVisible()).toBe(true);
    expect(await proof.textContent()).toBe('kicked (kick) — no exitRoom called');
    expect(await proof.getAttribute('data-exit-room-after-kick')).toBe('0');
    // The kick stopped her devices: the camera tile is dark, nothing is left on.
    expect(await card('alice').locator('.tile--camera').getAttribute('data-video')).toBe('off');
    expect(await card('alice').locator('.error').isVisible()).toBe(false);
    await screenshot('2-alice-kicked');
  });

  it('carol joins and is removed by the server (banned), then comes back', async () => {
    await page.getByRole('button', { name: '+ participant' }).click();
    await card('carol').waitFor();
    await press('carol', 'Enter');
    await waitForState('carol', 'inRoom');
    await adminSelect('Participant to remove', 'carol');
    await admin('Remove user');
    await waitForState('carol', 'kicked');
    expect(await card('carol').locator('.kick-reason').textContent()).toBe('kicked: banned');
    await press('carol', 'Enter');
    await waitForState('carol', 'inRoom');
    expect(await card('carol').locator('.kick-proof').isVisible()).toBe(false);
  });

  it('the room is dismissed: everyone in it shows kicked: room_disband', async () => {
    await admin('Dismiss room');
    await waitForState('bob', 'kicked');
    await waitForState('carol', 'kicked');
    for (const name of ['bob', 'carol']) {
      expect(await card(name).locator('.kick-reason').textContent()).toBe('kicked: room_disband');
      await page.waitForSelector(`[data-participant="${name}"] section.trm-inspector[data-room-state="kicked"]`, { state: 'attached', timeout: 5_000 });
      expect(await card(name).locator('.kick-proof').textContent()).toBe('kicked (room_disband) — no exitRoom called');
      const rows = await callRows(name);
      const kick = rows.map((row) => row.kickMarker).lastIndexOf(true);
      expect(rows.slice(kick + 1).filter((row) => row.method === 'exitRoom')).toEqual([]);
    }
    await page.waitForSelector('.elsewhere[data-user="alice"][data-state="kicked"]', { timeout: 5_000 });
    expect(await page.locator('.elsewhere[data-user="alice"] .badge').textContent()).toBe('kicked: room_disband');
    // alice had left already: she keeps her own reason.
    expect(await card('alice').locator('.kick-reason').textContent()).toBe('kicked: kick');
    await screenshot('3-room-dismissed');
  });

  it('a command the library refuses shows on the card, not as an uncaught rejection', async () => {
    await page.getByRole('spinbutton', { name: 'Room id' }).fill('');
    await press('bob', 'Enter');
    const error = card('bob').locator('.error');
    await error.waitFor({ timeout: 5_000 });
    expect(await error.textContent()).toMatch(/^INVALID_PARAMETER: /);
    expect(await stateOf('bob')).toBe('kicked');
  });

  it('Real TRTC mode with no credentials: the form and the server panel say what is missing; a pasted userSig makes a participant', async () => {
    const sdkLoaded = () => loaded.some((url) => url.includes('trtc-sdk-v5'));
    expect(sdkLoaded()).toBe(false);
    await page.getByRole('button', { name: 'Real TRTC', exact: true }).click();
    expect(await page.locator('.mode-label').textContent()).toBe('Real TRTC');
    expect(await card('bob').isVisible()).toBe(false);
    expect(await page.getByRole('region', { name: 'Server (simulated)' }).isVisible()).toBe(false);

    const source = page.locator('.real-source[data-source="missing"]');
    await source.waitFor({ timeout: 5_000 });
    expect(await source.textContent()).toContain('TRTC_SDK_APP_ID and TRTC_SECRET_KEY are not set');
    expect(await source.textContent()).toContain('examples/demo/.env.local');
    expect(await page.getByRole('button', { name: 'From the dev server' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Paste a userSig' }).getAttribute('aria-pressed')).toBe('true');
    const panel = page.getByRole('region', { name: "Server (Tencent's TRTC API)" });
    expect(await panel.locator('.admin-status').getAttribute('data-api')).toBe('missing');
    expect(await panel.locator('.admin-status').textContent()).toContain('TRTC_SDK_APP_ID, TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set');
    expect(await panel.getByRole('button', { name: 'Remove user' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Dismiss room' }).isDisabled()).toBe(true);
    expect(sdkLoaded()).toBe(false);

    // The SDK is loaded for the participant; nothing reaches the network until Enter or a device is used.
    await page.getByRole('spinbutton', { name: 'SDKAppID' }).fill('1400000001');
    await page.getByRole('textbox', { name: 'userSig' }).fill('a-pasted-userSig');
    await page.getByRole('button', { name: 'Create participant' }).click();
    const realCard = page.locator('.real [data-participant="alice"]');
    await realCard.waitFor({ timeout: 10_000 });
    expect(await realCard.getAttribute('data-state')).toBe('idle');
    expect(sdkLoaded()).toBe(true);
    await expect.poll(() => realCard.locator('section.trm-inspector').getAttribute('data-room-state')).toBe('idle');
    await screenshot('4-real-mode');

    await page.getByRole('button', { name: 'Simulator', exact: true }).click();
    await expect.poll(() => page.locator('.real [data-participant]').count()).toBe(0);
    expect(await card('bob').isVisible()).toBe(true);
  });

  it('Real TRTC mode with no dev server (a static build): paste a userSig; the server panel points to your server', async () => {
    const before = errors.length;
    await page.route('**/api/config', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
    await page.getByRole('button', { name: 'Real TRTC', exact: true }).click();
    const source = page.locator('.real-source[data-source="none"]');
    await source.waitFor({ timeout: 5_000 });
    expect(await source.textContent()).toContain('No dev server here (a static build): paste a userSig');
    const status = page.getByRole('region', { name: "Server (Tencent's TRTC API)" }).locator('.admin-status');
    expect(await status.getAttribute('data-api')).toBe('none');
    expect(await status.textContent()).toContain('npx trtc-room-machine kick');
    await page.unroute('**/api/config');
    await page.getByRole('button', { name: 'Simulator', exact: true }).click();
    // The browser reports the 404 itself; nothing else went wrong.
    expect(errors.splice(before)).toEqual([expect.stringMatching(/404/)]);
  });

  it('no console error, no page error and no request off this machine in the whole session', () => {
    expect(errors).toEqual([]);
    expect(offMachine).toEqual([]);
  });
});
