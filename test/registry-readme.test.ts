import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { afterPack, linkedFiles, registryReadme, restoreReadme, writeRegistryReadme } from '../scripts/registry-readme.js';

const CDN = 'https://cdn.jsdelivr.net/npm/pkg@1.2.3';

describe("the registry page's README", () => {
  it.each([
    ['an inline link', '[a](docs/a.md)', `[a](${CDN}/docs/a.md)`],
    ['an image', '![i](./docs/demo.png)', `![i](${CDN}/docs/demo.png)`],
    ['a link with a title', '[a](docs/a.md "The A")', `[a](${CDN}/docs/a.md "The A")`],
    ['a link in angle brackets', '[b](<docs/b.md>)', `[b](<${CDN}/docs/b.md>)`],
    ['parentheses in the path', '[x](docs/x_(1).md)', `[x](${CDN}/docs/x_(1).md)`],
    ['a fragment', '[s](docs/sdk-facts.md#retiring)', `[s](${CDN}/docs/sdk-facts.md#retiring)`],
    ['a reference definition', '[c]: docs/c.md', `[c]: ${CDN}/docs/c.md`],
    ['an HTML image', '<img src="docs/demo.png" alt="">', `<img src="${CDN}/docs/demo.png" alt="">`],
  ])('makes %s absolute', (_, markdown, registry) => {
    expect(registryReadme(markdown, 'pkg', '1.2.3')).toBe(registry);
    expect(linkedFiles(registry)).toEqual([]);
    expect(linkedFiles(markdown)).toHaveLength(1);
  });

  it.each([
    ['an absolute link', '[w](https://github.com/websockets/ws)'],
    ['an anchor', '[up](#install)'],
    ['a mail address', '[m](mailto:a@b.c)'],
    ['a protocol-relative link', '<img src="//example.com/x.png">'],
    ['brackets that are not a link', 'room.view(); // [docs] (see view.md)'],
  ])('leaves %s alone', (_, markdown) => {
    expect(registryReadme(markdown, 'pkg', '1.2.3')).toBe(markdown);
  });

  it("keeps the registry README for a publish, which reads it after packing; a plain pack, and the publish's end, restore it", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'registry-readme-'));
    onTestFinished(() => rm(directory, { recursive: true, force: true }));
    const tree = '# pkg\n\nSee [the view](docs/view.md).\n';
    await writeFile(join(directory, 'package.json'), JSON.stringify({ name: 'pkg', version: '1.2.3' }));
    await writeFile(join(directory, 'README.md'), tree);
    const readme = () => readFile(join(directory, 'README.md'), 'utf8');

    writeRegistryReadme(directory);
    expect(await readme()).toBe(`# pkg\n\nSee [the view](${CDN}/docs/view.md).\n`);
    expect(afterPack(directory, 'publish')).toBe('kept for the publish');
    expect(await readme()).toContain(CDN);
    restoreReadme(directory);
    expect(await readme()).toBe(tree);

    writeRegistryReadme(directory);
    expect(afterPack(directory, 'pack')).toBe('restored');
    expect(await readme()).toBe(tree);
  });
});
