import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's chromium, as CI installs it; undefined when this machine has none. */
export function findChromium(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    return path === '' ? undefined : path;
  } catch {
    return undefined;
  }
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Fake camera and microphone, and no permission prompt: device preview runs headless.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>trtc-room-machine over the real SDK</title>
<script type="importmap">{ "imports": { "xstate": "/node_modules/xstate/dist/xstate.esm.js" } }</script>
<script src="/node_modules/trtc-sdk-v5/trtc.js"></script>
<script type="module">
  import * as lib from '/dist/index.js';
  window.lib = lib;
  window.libReady = true;
</script>`;

/** The inspector panel's page: the library, the simulator and the panel, over no SDK at all. */
const INSPECTOR_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>trtc-room-machine inspector panel</title>
<script type="importmap">{ "imports": { "xstate": "/node_modules/xstate/dist/xstate.esm.js" } }</script>
<body style="margin: 0; padding: 8px; width: 760px">
<div id="panel"></div>
<script type="module">
  import * as lib from '/dist/index.js';
  import * as simulator from '/dist/adapters/simulator/index.js';
  import * as inspector from '/dist/inspector/index.js';
  window.lib = lib;
  window.simulator = simulator;
  window.inspector = inspector;
  window.libReady = true;
</script>
</body>`;

/** Pages by path; anything else is a file under SERVED. */
const PAGES: Record<string, string> = { '': PAGE, 'index.html': PAGE, 'inspector.html': INSPECTOR_PAGE };

const SERVED = ['dist/', 'node_modules/xstate/', 'node_modules/trtc-sdk-v5/trtc.js'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

/**
 * Serves the page (`/`), the inspector panel's page (`/inspector.html`), the built library, xstate
 * and the real SDK on 127.0.0.1 (a secure context). `/favicon.ico` is an empty 204, not a 404 the
 * console would report.
 */
export async function servePage(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)).replace(/^\/+/, '');
    const page = PAGES[path];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    if (path === 'favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const file = join(root, path);
    if (!SERVED.some((prefix) => path.startsWith(prefix)) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
