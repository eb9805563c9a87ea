import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomController } from '../../src/index.js';
import type { InspectorPanel } from '../../src/inspector/index.js';
import type { SimulatedClient, SimulatedCloud } from '../../src/adapters/simulator/index.js';
import { chromiumFor, launchChromium, servePage } from './browser.js';
import { colourCounts, decodePng, pngSize } from './png.js';
// window.lib and window.libReady are declared there.
import type {} from './page-harness.js';

/** What the inspector page (test/browser/browser.ts) puts on `window`, and what the tests add. */
declare global {
  interface Window {
    simulator: typeof import('../../src/adapters/simulator/index.js');
    inspector: typeof import('../../src/inspector/index.js');
    load: Promise<{ sent: number; elapsedMs: number; frames: number[]; lag: Array<number | null>; sentPerSecond: number[] }>;
    chartMutations: number;
    t: { cloud: SimulatedCloud; alice: RoomController; bob: RoomController; client: () => SimulatedClient; panel: InspectorPanel };
  }
}

const chromiumPath = chromiumFor('the inspector panel tests');

const ARTIFACTS = new URL('../../artifacts/', import.meta.url);
const USER_SIG = 'userSig-alice-SECRET-0xC0FFEE';

/** Runs in the page: alice (with the panel), her microphone on, bob in the room. */
async function aliceWithBob({ userSig }: { userSig: string }): Promise<void> {
  const { lib, simulator, inspector } = window;
  const cloud = new simulator.SimulatedCloud();
  let client: SimulatedClient | undefined;
  const alice = lib.createRoomController({ trtc: () => (client = cloud.createClient({ label: 'alice' })) });
  const container = document.getElementById('panel');
  if (!container) throw new Error('no #panel in the page');
  const panel = inspector.mountInspector(alice, container, { label: 'alice' });
  const bob = lib.createRoomController({ trtc: () => cloud.createClient({ label: 'bob' }) });
  window.t = {
    cloud,
    alice,
    bob,
    panel,
    client: () => {
      if (!client) throw new Error('alice has no client yet');
      return client;
    },
  };
  const config = { sdkAppId: 1400000000, roomId: 8888 };
  await alice.enter({ ...config, userId: 'alice', userSig });
  await alice.startLocalAudio();
  await bob.enter({ ...config, userId: 'bob', userSig: 'userSig-bob' });
  await cloud.flush();
}

interface Row {
  kind: string;
  status: string | undefined;
  title: string;
  detail: string;
  count: string;
}

describe.skipIf(!chromiumPath)('the inspector panel in Chromium, over the simulator', () => {
  let browser: Browser;
  let page: Page;
  let http: Server;
  let url: string;

  beforeAll(async () => {
    ({ server: http, url } = await servePage());
    browser = await launchChromium(chromiumPath ?? 'chromium');
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 800, height: 2400 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    await page.goto(`${url}inspector.html`);
    await page.waitForFunction(() => window.libReady === true, undefined, { timeout: 10_000 });
    return async () => {
      await page.close();
      expect(errors).toEqual([]);
    };
  });

  /** Renders what is queued and reads the log as drawn. */
  const rows = (): Promise<Row[]> =>
    page.evaluate(() => {
      window.t.panel.flush();
      return Array.from(document.querySelectorAll<HTMLElement>('ol.trm-log > li.trm-entry'), (row) => ({
        kind: row.dataset.kind ?? '',
        status: row.dataset.status,
        title: row.querySelector('.trm-title')?.textContent ?? '',
        detail: row.querySelector('.trm-detail')?.textContent ?? '',
        count: row.querySelector('.trm-count')?.textContent ?? '',
      }));
    });

  /** Renders what is queued and reads the state and the charts as drawn. */
  const drawn = () =>
    page.evaluate(() => {
      window.t.panel.flush();
      const panel = window.t.panel.element;
      const badges: Record<string, string> = {};
      for (const slot of Array.from(panel.querySelectorAll<HTMLElement>('[data-machine="device"] .trm-node > .trm-name > .trm-badges'))) {
        const id = slot.closest<HTMLElement>('.trm-node')?.dataset.stateId ?? '?';
        if (slot.textContent) badges[id] = slot.textContent;
      }
      return {
        roomState: panel.dataset.roomState,
        stateText: panel.querySelector('header > .trm-state')?.textContent,
        label: panel.querySelector('header > strong')?.textContent,
        active: Array.from(panel.querySelectorAll<HTMLElement>('[data-machine="room"] .trm-node.trm-active'), (node) => node.dataset.stateId),
        allRoomIds: Array.from(panel.querySelectorAll<HTMLElement>('[data-machine="room"] .trm-node'), (node) => node.dataset.stateId),
        badges,
        lastTaken: Array.from(panel.querySelectorAll<SVGElement>('[data-machine="room"] .trm-edge.trm-last'), (edge) => ({
          source: edge.dataset.source,
          target: edge.dataset.target,
          taken: edge.querySelector('.trm-taken')?.textContent,
          arrow: edge.querySelector('.trm-line')?.getAttribute('marker-end'),
        })),
        html: panel.outerHTML,
      };
    });

  it('renders a simulated session: state, active states, device badges, redacted calls; a kick shows kicked with no exitRoom', async () => {
    await page.evaluate(aliceWithBob, { userSig: USER_SIG });
    const before = await drawn();
    expect(before).toMatchObject({ roomState: 'inRoom', stateText: 'inRoom.active', label: 'alice' });
    expect(before.allRoomIds).toContain('room.idle');
    expect(before.active).toEqual(expect.arrayContaining(['room.inRoom', 'room.inRoom.active']));
    expect(before.active).not.toContain('room.idle');
    expect(before.active).not.toContain('room.kicked');
    // The microphone is on (its leaf is device.on.ready); camera and screen share are off.
    expect(before.badges).toEqual({ 'device.on.ready': 'mic', 'device.off': 'cam screen' });

    const log = await rows();
    expect(log.map((row) => row.title)).toContain('room.enter');
    const enterRoom = log.filter((row) => row.kind === 'call' && row.title === 'enterRoom()');
    expect(enterRoom).toHaveLength(1);
    expect(enterRoom[0]).toMatchObject({ status: 'resolved' });
    expect(enterRoom[0]?.detail).toContain('"userSig":"[redacted]"');
    expect(enterRoom[0]?.detail).toMatch(/→ resolved in \d+ ms$/);
    // Nowhere in the panel: not in a row, not in a title attribute.
    expect(before.html).not.toContain(USER_SIG);
    expect(log).toContainEqual(expect.objectContaining({ kind: 'state', title: '→', detail: 'inRoom.active' }));
    expect(log).toContainEqual(expect.objectContaining({ kind: 'state', title: 'microphone →', detail: 'on.ready' }));
    expect(log).toContainEqual(expect.objectContaining({ kind: 'call', title: 'startLocalAudio()', status: 'resolved' }));
    expect(log).toContainEqual(expect.objectContaining({ kind: 'event', title: 'sdk.remote', detail: '{"count":1,"changes":[{"kind":"enter","userId":"bob"}]}' }));

    await page.evaluate(async () => {
      window.t.cloud.removeUser({ sdkAppId: 1400000000, roomId: 8888, userIds: ['alice'] });
      await window.t.cloud.flush();
    });
    expect(await page.evaluate(() => window.t.alice.view().state)).toBe('kicked');
    const after = await drawn();
    expect(after).toMatchObject({ roomState: 'kicked', stateText: 'kicked' });
    expect(after.active).toContain('room.kicked');
    expect(after.active).not.toContain('room.inRoom');
    // The arrow just taken is marked (one at a time), its label's line for the event too.
    expect(after.lastTaken).toEqual([{ source: 'room.inRoom', target: 'room.kicked', taken: 'sdk.kickedOut', arrow: 'url(#trm-arrow-room-last)' }]);
    const kickedLog = await rows();
    const kick = kickedLog.findIndex((row) => row.kind === 'event' && row.title === 'sdk.kickedOut');
    expect(kick, JSON.stringify(kickedLog.slice(-8))).toBeGreaterThan(-1);
    expect(kickedLog[kick]?.detail).toContain('"reason":"banned"');
    expect(kickedLog.slice(kick)).toContainEqual(expect.objectContaining({ kind: 'state', title: '→', detail: 'kicked' }));
    // The SDK has left the room itself: the controller must not call exitRoom.
    expect(kickedLog.filter((row) => row.title.startsWith('exitRoom()'))).toEqual([]);
    expect(after.html).not.toContain(USER_SIG);
  });

  it('a screenshot of the panel: a real PNG of its size, the active state drawn in --trm-active', async () => {
    await page.evaluate(aliceWithBob, { userSig: USER_SIG });
    await page.evaluate(() => window.t.panel.flush());
    const panel = page.locator('section.trm-inspector');
    const activeNode = page.locator('[data-machine="room"] .trm-node.trm-active[data-state-id="room.inRoom.active"]');
    // Counted in pixels on the active compound state: at the fitted scale a leaf's box is a few
    // pixels high, mostly its name.
    const activeParent = page.locator('[data-machine="room"] .trm-node.trm-active[data-state-id="room.inRoom"]');
    const idleNode = page.locator('[data-machine="room"] .trm-node[data-state-id="room.idle"]');
    expect(await idleNode.evaluate((node) => node.classList.contains('trm-active'))).toBe(false);
    // The variable the stylesheet draws active states with, as the page resolves it once the
    // node's background transition is over.
    const activeColour = await activeNode.evaluate((node) => {
      const box = node.querySelector('.trm-box');
      return box ? getComputedStyle(box).fill : 'no box';
    });
    expect(activeColour).toBe('rgb(219, 234, 254)');

    const path = new URL('inspector-panel.png', ARTIFACTS);
    // Transitions finish at once: the background is the final colour, not a blend.
    const png = await panel.screenshot({ path: fileURLToPath(path), animations: 'disabled' });
    const panelBox = await panel.boundingBox();
    const activeBox = await activeParent.boundingBox();
    const idleBox = await idleNode.boundingBox();
    if (!panelBox || !activeBox || !idleBox) throw new Error('the panel or a node is not laid out');

    const size = pngSize(png);
    expect(Math.abs(size.width - panelBox.width), `PNG ${size.width}×${size.height}, box ${panelBox.width}×${panelBox.height}`).toBeLessThanOrEqual(2);
    expect(Math.abs(size.height - panelBox.height)).toBeLessThanOrEqual(2);
    expect(size.width).toBeGreaterThan(200);
    const image = decodePng(png);

    // The laid-out graphs: every state a box, every group of transitions an arrow, fitted to the panel.
    const { ROOM_LAYOUT, DEVICE_LAYOUT } = await import('../../src/inspector/statechart.layout.js');
    const graphs = await page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGSVGElement>('.trm-graph-view > svg'), (svg) => ({
        machine: svg.querySelector<SVGElement>('.trm-graph')?.dataset.machine,
        width: svg.getBoundingClientRect().width,
        height: svg.getBoundingClientRect().height,
        nodes: svg.querySelectorAll('.trm-node').length,
        edges: svg.querySelectorAll('.trm-edge').length,
        arrowheads: svg.querySelectorAll('marker').length,
      })),
    );
    expect(graphs.map(({ machine, nodes, edges }) => ({ machine, nodes, edges }))).toEqual([
      { machine: 'room', nodes: ROOM_LAYOUT.nodes.length, edges: ROOM_LAYOUT.edges.length },
      { machine: 'device', nodes: DEVICE_LAYOUT.nodes.length, edges: DEVICE_LAYOUT.edges.length },
    ]);
    const [roomGraph, deviceGraph] = graphs;
    expect(roomGraph?.width).toBeGreaterThan(600);
    expect(roomGraph?.width).toBeLessThanOrEqual(panelBox.width);
    expect(Math.abs((roomGraph?.height ?? 0) / (roomGraph?.width ?? 1) - ROOM_LAYOUT.height / ROOM_LAYOUT.width)).toBeLessThan(0.01);
    // Never larger than laid out.
    expect(deviceGraph?.width).toBeLessThanOrEqual(DEVICE_LAYOUT.width);

    // Inside the borders (and the rounded corners) of each node, in the screenshot's coordinates.
    const inside = (box: { x: number; y: number; width: number; height: number }) => ({
      x: box.x - panelBox.x + 4,
      y: box.y - panelBox.y + 4,
      width: box.width - 8,
      height: box.height - 8,
    });
    const share = (counts: Array<[string, number]>, colour: string) =>
      (counts.find(([hex]) => hex === colour)?.[1] ?? 0) / counts.reduce((sum, [, n]) => sum + n, 0);

    const active = colourCounts(image, inside(activeBox));
    expect(active[0]?.[0], `colours of the active node: ${JSON.stringify(active.slice(0, 5))}`).toBe('#dbeafe');
    expect(share(active, '#dbeafe')).toBeGreaterThan(0.5);

    const idle = colourCounts(image, inside(idleBox));
    expect(idle[0]?.[0], `colours of the idle node: ${JSON.stringify(idle.slice(0, 5))}`).not.toBe('#dbeafe');
    expect(idle[0]?.[0]).toBe('#ffffff');
    expect(share(idle, '#dbeafe')).toBeLessThan(0.01);
  });

  // A state's box is drawn over its parent's with its own fill: an inactive state inside an active
  // one (inRoom.switchingRole while in inRoom.active; device on.updating while on.ready) must not
  // show through as active.
  it('an inactive state nested in an active one is not drawn as active', async () => {
    await page.evaluate(aliceWithBob, { userSig: USER_SIG });
    await page.evaluate(() => window.t.panel.flush());
    const panel = page.locator('section.trm-inspector');
    const png = await panel.screenshot({ animations: 'disabled' });
    const image = decodePng(png);
    const panelBox = await panel.boundingBox();
    for (const [id, parent] of [
      ['room.inRoom.switchingRole', 'room.inRoom'],
      ['device.on.updating', 'device.on'],
    ] as const) {
      const classes = await page.evaluate(
        (ids) => ids.map((stateId) => document.querySelector(`.trm-node[data-state-id="${stateId}"]`)?.classList.contains('trm-active')),
        [id, parent],
      );
      expect(classes, `${id} inactive in ${parent} active`).toEqual([false, true]);
      const box = await page.locator(`.trm-node[data-state-id="${id}"]`).boundingBox();
      if (!panelBox || !box) throw new Error(`${id} is not laid out`);
      const counts = colourCounts(image, { x: box.x - panelBox.x + 4, y: box.y - panelBox.y + 4, width: box.width - 8, height: box.height - 8 });
      expect(counts[0]?.[0], `${id}: ${JSON.stringify(counts.slice(0, 3))}`).not.toBe('#dbeafe');
    }
  });

  it('stays responsive under 1000 audio-volume events a second for 10 s', async () => {
    await page.evaluate(aliceWithBob, { userSig: USER_SIG });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // Audio-volume events change no state: once what is queued is drawn, the charts must not change.
    await page.evaluate(async () => {
      window.t.panel.flush();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      window.chartMutations = 0;
      const charts = document.querySelector('.trm-charts');
      if (!charts) throw new Error('no charts');
      new MutationObserver((records) => (window.chartMutations += records.length)).observe(charts, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    // The panel's own share of the main thread: the self time of its code (and the redaction of what
    // it reads) in a CPU profile of the run, apart from the controller's work and the browser's.
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
    const sample = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      // TaskDuration: wall time of main-thread tasks (what the budget is about); ThreadTime: the
      // main thread's CPU time, which tells a slow panel from a machine busy with other work.
      return { at: metric('Timestamp'), busy: metric('TaskDuration'), cpu: metric('ThreadTime') };
    };

    const SECONDS = 10;
    // Starts the load and returns; the page records frames, timer lag and what it sent per second.
    await page.evaluate(
      ({ seconds, tickMs, perTick }) => {
        const client = window.t.client();
        const users = ['bob', ...Array.from({ length: 9 }, (_, i) => `listener-${i + 1}`)];
        const total = ((seconds * 1000) / tickMs) * perTick;
        const start = performance.now();
        const second = (at: number) => Math.min(seconds - 1, Math.floor((at - start) / 1000));
        const frames = new Array<number>(seconds).fill(0);
        // The worst lateness of the 50 ms timer in each second; null: it never fired in that second.
        const lag = new Array<number | null>(seconds).fill(null);
        const sentPerSecond = new Array<number>(seconds).fill(0);
        let sent = 0;
        let running = true;
        const onFrame = (at: number) => {
          if (at >= start && at < start + seconds * 1000) frames[second(at)] = (frames[second(at)] ?? 0) + 1;
          if (running) requestAnimationFrame(onFrame);
        };
        requestAnimationFrame(onFrame);
        let last = start;
        const lagTimer = setInterval(() => {
          const now = performance.now();
          const late = now - last - 50;
          last = now;
          if (now < start + seconds * 1000) lag[second(now)] = Math.max(lag[second(now)] ?? 0, late);
        }, 50);
        const emitOne = () => {
          const n = sent;
          client.emit('audio-volume', {
            result: users.map((userId, j) => ({ userId, volume: (n + j) % 101, floatVolume: ((n + j) % 101) / 100 })),
          });
          sent += 1;
        };
        window.load = new Promise((resolve) => {
          const driver = setInterval(() => {
            const now = performance.now();
            // 10 per tick; a late tick catches up, so the rate holds even if timers slip.
            const due = Math.min(total, Math.max(sent + perTick, Math.floor((now - start) / tickMs) * perTick));
            const before = sent;
            while (sent < due) emitOne();
            sentPerSecond[second(now)] = (sentPerSecond[second(now)] ?? 0) + (sent - before);
            if (sent < total) return;
            clearInterval(driver);
            // Let the last second finish for the frame and lag counts.
            setTimeout(() => {
              running = false;
              clearInterval(lagTimer);
              resolve({ sent, elapsedMs: performance.now() - start, frames, lag, sentPerSecond });
            }, Math.max(0, start + seconds * 1000 - performance.now()) + 20);
          }, tickMs);
        });
      },
      { seconds: SECONDS, tickMs: 10, perTick: 10 },
    );
    const loadBefore = loadavg()[0] ?? 0;
    const samples = [await sample()];
    const started = Date.now();
    for (let s = 1; s <= SECONDS; s += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + s * 1000 - Date.now())));
      samples.push(await sample());
    }
    const load = await page.evaluate(() => window.load);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    const panelCode = /\/dist\/(inspector\/|inspect\/(inspection|redact)\.js)/;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    let panelMicros = 0;
    let profiledMicros = 0;
    (profile.samples ?? []).forEach((id, i) => {
      const delta = profile.timeDeltas?.[i] ?? 0;
      profiledMicros += delta;
      if (panelCode.test(nodes.get(id)?.callFrame.url ?? '')) panelMicros += delta;
    });
    const panelJsMsPerSecond = Math.round((panelMicros / profiledMicros) * 1000 * 10) / 10;
    const chartMutations = await page.evaluate(() => window.chartMutations);

    const perSecond = (field: 'busy' | 'cpu') =>
      samples.slice(1).map((s, i) => {
        const previous = samples[i] ?? s;
        return Math.round(((s[field] - previous[field]) / (s.at - previous.at)) * 1000);
      });
    const mainThreadMs = perSecond('busy');
    const mainThreadCpuMs = perSecond('cpu');
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
    };

    const result = await page.evaluate(() => {
      window.t.panel.flush();
      const volume = window.t.alice.view().remoteUsers.find((user) => user.userId === 'bob')?.volume;
      const entries = Array.from(document.querySelectorAll<HTMLElement>('ol.trm-log > li.trm-entry'));
      const volumeRows = entries.filter(
        (row) => row.querySelector('.trm-title')?.textContent === 'sdk.remote' && row.querySelector('.trm-detail')?.textContent?.includes('"changes":[{"kind":"volumes"'),
      );
      const counted = volumeRows.reduce((sum, row) => {
        const text = row.querySelector('.trm-count')?.textContent ?? '';
        return sum + (text === '' ? 1 : Number(text.replace('×', '')));
      }, 0);
      return { volume, domRows: entries.length, volumeRows: volumeRows.length, counted, counts: volumeRows.map((row) => row.querySelector('.trm-count')?.textContent) };
    });

    const summary = {
      events: load.sent,
      elapsedMs: Math.round(load.elapsedMs),
      sentPerSecond: load.sentPerSecond,
      mainThreadMs,
      mainThreadCpuMs,
      framesPerSecond: load.frames,
      maxTimerLagMs: load.lag.map((ms) => (ms === null ? null : Math.round(ms))),
      medianMainThreadMs: median(mainThreadMs),
      medianMainThreadCpuMs: median(mainThreadCpuMs),
      medianFramesPerSecond: median(load.frames),
      medianMaxTimerLagMs: Math.round(median(load.lag.map((ms) => ms ?? Number.POSITIVE_INFINITY))),
      domRows: result.domRows,
      volumeRows: result.volumeRows,
      volumeRowCounts: result.counts,
      // The 1-minute load average around the run, against the CPUs: a busy machine slows every number.
      panelJsMsPerSecond,
      chartMutations,
      loadAverage: [Math.round(loadBefore * 100) / 100, Math.round((loadavg()[0] ?? 0) * 100) / 100],
      cpus: availableParallelism(),
    };
    console.log(JSON.stringify(summary));
    writeFileSync(new URL('inspector-responsiveness.json', ARTIFACTS), `${JSON.stringify(summary, null, 2)}\n`);

    expect(load.sent).toBe(10_000);
    // Every event reached the panel: the collapsed rows count them all.
    expect(result.counted, JSON.stringify(result.counts)).toBe(10_000);
    // ... and the controller: bob's volume is the one of the last batch.
    expect(result.volume).toBe((10_000 - 1) % 101);
    expect(result.domRows).toBeLessThanOrEqual(200);
    expect(chartMutations).toBe(0);
    expect(panelJsMsPerSecond, JSON.stringify(summary)).toBeLessThan(50);
    expect(summary.medianMainThreadMs, JSON.stringify(summary)).toBeLessThan(500);
    expect(Math.min(...load.frames), JSON.stringify(summary)).toBeGreaterThanOrEqual(20);
    // A second without a single tick of the 50 ms timer is a lag of a second or more.
    expect(Math.max(...load.lag.map((ms) => ms ?? Number.POSITIVE_INFINITY)), JSON.stringify(summary)).toBeLessThan(250);
  }, 40_000);

  it('unmount() removes the panel and stops listening: later events and calls draw nothing', async () => {
    await page.evaluate(aliceWithBob, { userSig: USER_SIG });
    const result = await page.evaluate(async () => {
      const { t, inspector } = window;
      // A second panel stays mounted throughout: it shows the same events do reach a listening panel.
      const control = document.body.appendChild(document.createElement('div'));
      const other = inspector.mountInspector(t.alice, control, { label: 'control' });
      const count = (panel: InspectorPanel) => {
        panel.flush();
        return panel.element.querySelectorAll('li.trm-entry').length;
      };
      t.panel.flush();
      const element = t.panel.element;
      const rowsBefore = count(t.panel);
      const otherBefore = count(other);
      const stateBefore = element.querySelector('.trm-state')?.textContent;

      t.panel.unmount();
      t.panel.unmount();
      const inDocument = document.querySelectorAll('#panel .trm-inspector').length;

      t.client().emit('audio-volume', { result: [{ userId: 'bob', volume: 40, floatVolume: 0.4 }] });
      await t.alice.stopLocalAudio();
      await t.bob.exit();
      t.cloud.removeUser({ sdkAppId: 1400000000, roomId: 8888, userIds: ['alice'] });
      await t.cloud.flush();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const frameRows = element.querySelectorAll('li.trm-entry').length;
      return {
        inDocument,
        connected: element.isConnected,
        rowsBefore,
        frameRows,
        rowsAfter: count(t.panel),
        stateBefore,
        stateAfter: element.querySelector('.trm-state')?.textContent,
        roomState: element.dataset.roomState,
        aliceNow: t.alice.view().state,
        otherBefore,
        otherAfter: count(other),
        otherState: other.element.dataset.roomState,
      };
    });
    expect(result).toMatchObject({ inDocument: 0, connected: false, aliceNow: 'kicked', otherState: 'kicked' });
    // The control panel logged the volume batch, stopLocalAudio(), bob leaving, the kick...
    expect(result.otherAfter).toBeGreaterThanOrEqual(result.otherBefore + 4);
    // ... the unmounted one nothing, neither at the next frames nor when flushed by hand.
    expect(result.frameRows).toBe(result.rowsBefore);
    expect(result.rowsAfter).toBe(result.rowsBefore);
    expect(result).toMatchObject({ stateBefore: 'inRoom.active', stateAfter: 'inRoom.active', roomState: 'inRoom' });
  });
});
