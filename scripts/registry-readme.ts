// The README as the registry page shows it. Its links are relative (docs/view.md), which works in
// a clone and on a repository host but not on the registry page, which has no tree to resolve
// them against. `npm pack` and `npm publish` run `write` before packing (prepack): the tarball's
// README links to the very files it ships, on a CDN that serves every published version's files.
// The tree's README comes back after the pack (postpack), or, for a publish, after the publish
// (postpublish): npm reads the README it sends as the registry page's from the directory, after
// packing.
//
//   node build/scripts/registry-readme.js write|restore|after-pack [package directory]
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CDN = 'https://cdn.jsdelivr.net/npm';
/** Where the README in the tree waits while the tarball is made (npm packs any README* at the root). */
const KEPT = join('build', 'readme-in-tree.md');

/** A link target: no spaces, parentheses only balanced one level deep (`docs/a_(1).md`). */
const TARGET = String.raw`(?:[^()\s<>"]|\([^()\s]*\))+`;
/**
 * Where a Markdown or HTML link names its target, the target as group 2: an inline link or image
 * `](target "title")` or `](<target>)`, a reference definition `[id]: target`, an HTML `src` or `href`.
 */
const LINK_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`(\]\(\s*<?)(${TARGET})(?=>?(?:\s+"[^"]*")?\s*\))`, 'g'),
  new RegExp(String.raw`(^ {0,3}\[[^\]]+\]:[ \t]*<?)(${TARGET})`, 'gm'),
  new RegExp(String.raw`(\b(?:src|href)=")(${TARGET})(?=")`, 'g'),
];
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i;
const inPackage = (target: string) => target.replace(/^\.\//, '');

/** The README with every link into the package made absolute, at `name@version` on the CDN. */
export function registryReadme(markdown: string, name: string, version: string): string {
  return LINK_PATTERNS.reduce(
    (text, pattern) => text.replace(pattern, (whole, lead: string, target: string) => (ABSOLUTE.test(target) ? whole : `${lead}${CDN}/${name}@${version}/${inPackage(target)}`)),
    markdown,
  );
}

/** The package files the README links to, as paths from the package root. */
export function linkedFiles(markdown: string): string[] {
  return LINK_PATTERNS.flatMap((pattern) => [...markdown.matchAll(pattern)].map(([, , target]) => target!))
    .filter((target) => !ABSOLUTE.test(target))
    .map((target) => inPackage(target).replace(/#.*$/, ''));
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

/** After a pack: the tree's README back, unless the pack is a publish's (`npmCommand`), which reads it next. */
export function afterPack(directory: string, npmCommand: string | undefined): 'restored' | 'kept for the publish' {
  if (npmCommand === 'publish') return 'kept for the publish';
  restoreReadme(directory);
  return 'restored';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, directory = '.'] = process.argv.slice(2);
  if (command === 'write') writeRegistryReadme(resolve(directory));
  else if (command === 'restore') restoreReadme(resolve(directory));
  else if (command === 'after-pack') {
    if (afterPack(resolve(directory), process.env.npm_command) !== 'restored') console.log('registry-readme: the README stays as the registry shows it until the publish ends');
  } else {
    console.error('usage: registry-readme write|restore|after-pack [package directory]');
    process.exitCode = 1;
  }
}
