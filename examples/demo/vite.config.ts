// `npm start` serves this demo; `npm run build:demo` bundles it into build/demo.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { trtcDevServer } from './dev-server.js';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: fromHere('.'),
  // Real mode's /api/*: userSigs and the server API, the secrets read from .env.local here (dev-server.ts).
  plugins: [trtcDevServer()],
  // Its own cache, so other Vite apps in this repository do not invalidate the demo's.
  cacheDir: fromHere('../../node_modules/.vite/demo'),
  resolve: {
    // Regexes, so that the bare name does not also capture its subpaths.
    alias: [
      { find: /^trtc-room-machine$/, replacement: fromHere('../../src/index.ts') },
      { find: /^trtc-room-machine\/simulator$/, replacement: fromHere('../../src/adapters/simulator/index.ts') },
      { find: /^trtc-room-machine\/inspector$/, replacement: fromHere('../../src/inspector/index.ts') },
    ],
  },
  // Bundled at start-up: the SDK is imported only in real mode, and discovering it then would reload the page.
  optimizeDeps: { include: ['xstate', 'trtc-sdk-v5'] },
  server: { host: 'localhost', port: 5173, strictPort: false },
  build: {
    outDir: fromHere('../../build/demo'),
    emptyOutDir: true,
    // The SDK (about 1 MB) is a chunk of its own, loaded only in real mode.
    chunkSizeWarningLimit: 1_100,
  },
});
