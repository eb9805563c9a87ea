import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      'trtc-room-machine/simulator': src('adapters/simulator/index.ts'),
      'trtc-room-machine/vue': src('bindings/vue.ts'),
      'trtc-room-machine': src('index.ts'),
    },
  },
  // Vue's compile-time flags: components here use setup() and render functions only.
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
});
