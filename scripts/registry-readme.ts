// The README as the registry page shows it. Its links are relative (docs/view.md), which works in
// a clone and on a repository host but not on the registry page, which has no tree to resolve
// them against. `npm pack`/`npm publish` run `write` before packing and `restore` after: the
// tarball's README links to the very files it ships, on a CDN that serves every published
// version's files; the README in the tree keeps its relative links.
//
//   node build/scripts/registry-readme.js write|restore [package directory]
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CDN = 'https://cdn.jsdelivr.net/npm';
/** Where the README in the tree waits while the tarball is made (npm packs any README* at the root). */
const KEPT = join('build', 'readme-in-tree.md');

/** `](target)` of a Markdown link or image whose target is a path in the package. */
const RELATIVE_LINK = /\]\((?!https?:|mailto:|#)([^)\s]+)\)/g;

/** The README with every link into the package made absolute, at `name@version` on the CDN. */
export function registryReadme(markdown: string, name: string, version: string): string {
  return markdown.replace(RELATIVE_LINK, (_, target: string) => `](${CDN}/${name}@${version}/${target.replace(/^\.\//, '')})`);
}

/** The package files the README links to, as paths from the package root. */
export function linkedFiles(markdown: string): string[] {
  return [...markdown.matchAll(RELATIVE_LINK)].map(([, target]) => target!.replace(/^\.\//, '').replace(/#.*$/, ''));
}

export function writeRegistryReadme(directory: string): void {
  const readme = join(directory, 'README.md');
  const kept = join(directory, KEPT);
  // A pack that failed before `restore` left the tree's README here: it stays the source.
  if (!existsSync(kept)) {
    mkdirSync(join(directory, 'build'), { recursive: true });
    renameSync(readme, kept);
  }
  const { name, version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(readme, registryReadme(readFileSync(kept, 'utf8'), name, version));
}

export function restoreReadme(directory: string): void {
  const kept = join(directory, KEPT);
  if (existsSync(kept)) renameSync(kept, join(directory, 'README.md'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, directory = '.'] = process.argv.slice(2);
  if (command === 'write') writeRegistryReadme(resolve(directory));
  else if (command === 'restore') restoreReadme(resolve(directory));
  else {
    console.error('usage: registry-readme write|restore [package directory]');
    process.exitCode = 1;
  }
}
