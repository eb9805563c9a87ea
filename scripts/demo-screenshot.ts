// Writes docs/demo.png, the README's picture of the demo: alice and bob in a simulated room with
// their cameras on, and their inspector panels. Needs Debian's chromium.
// Run: npx tsc -p tsconfig.scripts.json && node build/scripts/demo-screenshot.js
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const root = new URL('../../', import.meta.url);
const target = new URL('docs/demo.png', root);
const WIDTH = 1280;
const HEIGHT = 1400;

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no chromium on this machine: apt-get install -y chromium');
  }
}

const server = await createServer({
  configFile: fileURLToPath(new URL('examples/demo/vite.config.ts', root)),
  server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  logLevel: 'silent',
});
await server.listen();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
  const { port } = server.httpServer?.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  const press = (name: string, label: string) =>
    page.locator(`[data-participant="${name}"]`).getByRole('button', { name: label, exact: true }).click();
  for (const name of ['alice', 'bob']) await press(name, 'Enter');
  for (const name of ['alice', 'bob']) await page.waitForSelector(`[data-participant="${name}"][data-state="inRoom"]`);
  for (const name of ['alice', 'bob']) await press(name, 'Camera');
  await press('alice', 'Mic');
  await page.waitForSelector('[data-participant="alice"] .tile--remote[data-user="bob"][data-video="on"]');
  await page.waitForSelector('[data-participant="bob"] .tile--remote[data-user="alice"][data-video="on"]');
  // The inspectors start collapsed; the picture shows them.
  await page.locator('details.inspector').evaluateAll((all) => all.forEach((details) => ((details as HTMLDetailsElement).open = true)));
  // Volumes arrive every 500 ms; and no focus ring on the last button pressed.
  await page.waitForTimeout(1_200);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: fileURLToPath(target), clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
  console.log(`wrote docs/demo.png (${WIDTH}×${HEIGHT})`);
} finally {
  await browser.close();
  await server.close();
}
