import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      'trtc-room-machine/simulator': src('adapters/simulator/index.ts'),
      'trtc-room-machine/inspector': src('inspector/index.ts'),
      'trtc-room-machine/testing': src('testing/index.ts'),
      'trtc-room-machine/server': src('server/index.ts'),
      'trtc-room-machine/react': src('bindings/react.ts'),
      'trtc-room-machine/vue': src('bindings/vue.ts'),
      'trtc-room-machine': src('index.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Compiler runs, socket floods and builds take seconds on a busy 2-core machine; a test that
    // hangs still fails, later.
    testTimeout: 20_000,
  },
});
