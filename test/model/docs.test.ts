import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

it('docs/testing.md shows the UI example exactly as test/model/ui-example.test.ts runs it', () => {
  const doc = read('../../docs/testing.md');
  const shown = /<!-- example: test\/model\/ui-example\.test\.ts -->\n```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  const run = read('./ui-example.test.ts')
    .replaceAll("'../../src/testing/index.js'", "'trtc-room-machine/testing'")
    .replaceAll("'../../src/index.js'", "'trtc-room-machine'");
  expect(shown).toBe(run);
});
