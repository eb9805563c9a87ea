import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = {
  '.': 'dist/index.js',
  './simulator': 'dist/adapters/simulator/index.js',
  './inspector': 'dist/inspector/index.js',
  './stately': 'dist/inspect/stately.js',
  './inspector-server': 'dist/inspect/server.js',
  './server': 'dist/server/index.js',
  './react': 'dist/bindings/react.js',
  './vue': 'dist/bindings/vue.js',
  './testing': 'dist/testing/index.js',
};
/** Peers and platform modules are the app's, not ours. */
const EXTERNAL = [/^xstate($|\/)/, 'trtc-sdk-v5', 'react', 'vue', '@statelyai/inspect', 'tls-sig-api-v2', 'tencentcloud-sdk-nodejs-common', 'ws', /^node:/];

export interface BundleSize {
  entry: string;
  minified: number;
  gzipped: number;
}

/**
 * Minified and gzipped size of each export on its own (a subpath's figure includes the parts of the
 * core it uses), with peers and Node's modules left out.
 */
export async function bundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const output = await build({
      root,
      logLevel: 'silent',
      configFile: false,
      build: {
        write: false,
        minify: true,
        lib: { entry: file, formats: ['es'], fileName: 'bundle' },
        rollupOptions: { external: EXTERNAL },
      },
    });
    const results = Array.isArray(output) ? output : [output];
    const code = results
      .flatMap((result) => ('output' in result ? result.output : []))
      .map((chunk) => ('code' in chunk ? chunk.code : ''))
      .join('');
    sizes.push({ entry, minified: Buffer.byteLength(code), gzipped: gzipSync(code).length });
  }
  return sizes;
}
