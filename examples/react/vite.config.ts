import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      'trtc-room-machine/simulator': src('adapters/simulator/index.ts'),
      'trtc-room-machine/react': src('bindings/react.ts'),
      'trtc-room-machine': src('index.ts'),
    },
  },
});
