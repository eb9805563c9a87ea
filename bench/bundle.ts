import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = { '.': 'dist/index.js', './simulator': 'dist/adapters/simulator/index.js' };

export interface BundleSize {
  entry: string;
  minified: number;
  gzipped: number;
}

/** Minified and gzipped size of each export, with xstate and the SDK left out (they are peers). */
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
        rollupOptions: { external: ['xstate', 'trtc-sdk-v5'] },
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
