import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
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

/**
 * Debian's chromium for the browser tests of `what`: without it they are skipped, loudly, and in
 * CI (which installs it) its absence is an error.
 */
export function chromiumFor(what: string): string | undefined {
  const path = findChromium();
  const inCi = process.env.CI === 'true' || process.env.CI === '1';
  if (!path && inCi) throw new Error('CI must run the browser tests: install Debian chromium (apt-get install -y chromium)');
  if (!path) {
    process.stderr.write(
      `\n!!! SKIPPED: ${what} in Chromium — no \`chromium\` on this machine.\n` +
        '!!! Install it with `apt-get install -y chromium` to run them; CI always does.\n\n',
    );
  }
  return path;
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
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
};

type Route = { html: string } | { file: string } | { status: number };

/** Serves what `route` says for each path on 127.0.0.1 (a secure context); files by extension. */
async function serveRoutes(route: (path: string) => Route): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)).replace(/^\/+/, '');
    const answer = route(path);
    if ('html' in answer) {
      response.writeHead(200, { 'content-type': 'text/html' }).end(answer.html);
    } else if ('status' in answer) {
      response.writeHead(answer.status).end();
    } else {
      response.writeHead(200, { 'content-type': TYPES[extname(answer.file)] ?? 'application/octet-stream' });
      createReadStream(answer.file).pipe(response);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * Serves the page (`/`), the inspector panel's page (`/inspector.html`), the built library, xstate
 * and the real SDK. `/favicon.ico` is an empty 204, not a 404 the console would report.
 */
export function servePage(): Promise<{ url: string; server: Server }> {
  return serveRoutes((path) => {
    const page = PAGES[path];
    if (page !== undefined) return { html: page };
    if (path === 'favicon.ico') return { status: 204 };
    const file = join(root, path);
    return SERVED.some((prefix) => path.startsWith(prefix)) && existsSync(file) ? { file } : { status: 404 };
  });
}

/** Serves a built site: the files under `dir`, `index.html` at `/`. */
export function serveDirectory(dir: string): Promise<{ url: string; server: Server }> {
  return serveRoutes((path) => {
    const file = join(dir, path === '' ? 'index.html' : path);
    return file.startsWith(dir + sep) && existsSync(file) && statSync(file).isFile() ? { file } : { status: 404 };
  });
}
