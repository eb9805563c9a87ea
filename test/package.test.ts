/**
 * The packed tarball as consumers get it: checked by publint and arethetypeswrong, installed into
 * scratch projects, imported from ESM, required from CommonJS (Node's require(esm)), and its types
 * compiled with the DOM lib (nodenext, classic node10) and without it (the Node entry points).
 * Needs `npm run build` first (npm test runs it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedFiles, restoreReadme, writeRegistryReadme } from '../scripts/registry-readme.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
/** What the scratch projects resolve besides the package: its peers, and the compiler. */
const LINKED = ['xstate', '@statelyai/inspect', 'ws', 'trtc-sdk-v5', 'react', 'vue', '@types/node', '@types/react', 'typescript'];

interface PackageJson {
  name: string;
  version: string;
  files: string[];
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
}
const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const SUBPATHS = Object.keys(manifest.exports).filter((key) => key !== './package.json');
const specifier = (subpath: string) => `trtc-room-machine${subpath.slice(1)}`;
/** What a Node project without the DOM lib imports. */
const NODE_SUBPATHS = ['.', './simulator', './testing', './stately', './inspector-server', './server'];

/** A full check of every declaration the entry points pull in (React's and Vue's included). */
const COMPILE_MS = 240_000;

let scratch = '';
let tarball = '';
/** A copy of what gets packed, so packing (which rewrites the README) leaves the tree alone. */
let source = '';

async function output(command: string, args: string[], cwd: string): Promise<{ ok: boolean; text: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, text: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, text: `${failed.stdout ?? ''}${failed.stderr ?? ''}${failed.message}` };
  }
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  scratch = await mkdtemp(join(tmpdir(), 'package-check-'));
  source = join(scratch, 'source');
  for (const entry of ['package.json', 'README.md', 'LICENSE', ...manifest.files]) await cp(join(ROOT, entry), join(source, entry), { recursive: true });
  // What `prepack` and `postpack` do around the pack; the build is npm test's own.
  writeRegistryReadme(source);
  const packed = await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', scratch], { cwd: source });
  restoreReadme(source);
  tarball = join(scratch, packed.stdout.trim().split('\n').pop() ?? '');
  const modules = join(scratch, 'node_modules');
  await mkdir(modules);
  await run('tar', ['-xzf', tarball, '-C', modules]);
  await rename(join(modules, 'package'), join(modules, 'trtc-room-machine'));
  for (const name of LINKED) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('passes publint, warnings counted as errors', async () => {
    const result = await output(join(BIN, 'publint'), ['run', tarball, '--strict'], ROOT);
    expect(result.text).toContain('All good');
    expect(result.ok, result.text).toBe(true);
  }, 60_000);

  // ESM only: a CommonJS consumer loads it with require(esm) (Node >= 20.19), which attw rates as
  // "dynamic import only"; every other rule applies, classic `node10` resolution included.
  it('passes arethetypeswrong for every entry point', async () => {
    const result = await output(join(BIN, 'attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii'], ROOT);
    expect(result.ok, result.text).toBe(true);
    expect(result.text).toContain('No problems found');
  }, 60_000);

  it('ships what debugging and the registry page need: sources in the maps, a LICENSE', async () => {
    const pkg = join(scratch, 'node_modules', 'trtc-room-machine');
    const map = JSON.parse(await readFile(join(pkg, 'dist', 'controller.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain('export function createRoomController');
    expect(await readFile(join(pkg, 'LICENSE'), 'utf8')).toContain('MIT License');
  });

  it("links its README to the files it ships, absolutely, so the registry page's links work", async () => {
    const pkg = join(scratch, 'node_modules', 'trtc-room-machine');
    const packed = await readFile(join(pkg, 'README.md'), 'utf8');
    const inTree = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(linkedFiles(packed)).toEqual([]);
    // Read without the rewriter's patterns: every inline link or image opens onto an address.
    expect(packed.match(/\]\(\s*<?(?!https:\/\/|#|mailto:)[^)]*\)/g) ?? []).toEqual([]);
    const cdn = `https://cdn.jsdelivr.net/npm/${manifest.name}@${manifest.version}/`;
    const targets = [...packed.matchAll(/\]\((https:\/\/cdn\.jsdelivr\.net\/[^)\s]+)\)/g)].map(([, url]) => url!);
    expect(targets.length).toBe(linkedFiles(inTree).length);
    for (const url of targets) {
      expect(url.startsWith(cdn), url).toBe(true);
      expect(existsSync(join(pkg, url.slice(cdn.length).replace(/#.*$/, ''))), url).toBe(true);
    }
    // After the pack the README is the tree's again, relative links and all.
    expect(await readFile(join(source, 'README.md'), 'utf8')).toBe(inTree);
  });

  it('every entry point imports from ESM and requires from CommonJS', async () => {
    const imports = SUBPATHS.map((subpath) => `console.log(${JSON.stringify(subpath)}, Object.keys(await import(${JSON.stringify(specifier(subpath))})).length);`);
    await writeFile(join(scratch, 'check.mjs'), imports.join('\n'));
    const requires = SUBPATHS.map((subpath) => `console.log(${JSON.stringify(subpath)}, Object.keys(require(${JSON.stringify(specifier(subpath))})).length);`);
    await writeFile(join(scratch, 'check.cjs'), requires.join('\n'));
    for (const file of ['check.mjs', 'check.cjs']) {
      const result = await output(process.execPath, ['--no-warnings', file], scratch);
      expect(result.ok, result.text).toBe(true);
      const lines = result.text.trim().split('\n');
      expect(lines.map((line) => line.split(' ')[0])).toEqual(SUBPATHS);
      for (const line of lines) expect(Number(line.split(' ')[1]), line).toBeGreaterThan(0);
    }
  }, 60_000);

  // Resolution under node16 and bundler is attw's part; these compile the declarations themselves.
  const SETTINGS = [
    { module: 'nodenext', moduleResolution: 'nodenext', type: 'module' },
    { module: 'commonjs', moduleResolution: 'node10', type: 'commonjs' },
  ] as const;

  const compile = async (name: string, subpaths: readonly string[], options: Record<string, unknown>, type: string) => {
    const dir = join(scratch, name);
    await mkdir(dir);
    await symlink(join(scratch, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const lines = subpaths.map((subpath, i) => `import * as entry${i} from '${specifier(subpath)}';\nexport { entry${i} };`);
    await writeFile(join(dir, 'index.ts'), lines.join('\n'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type }));
    const compilerOptions = { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, ...options };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    return output(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
  };

  for (const { module, moduleResolution, type } of SETTINGS) {
    it.concurrent(`types of every entry point compile with module ${module}, moduleResolution ${moduleResolution}, a "${type}" package`, async () => {
      const options = { module, moduleResolution, lib: ['ES2022', 'DOM'], types: ['node'], jsx: 'react-jsx' };
      const result = await compile(`ts-${module}-${moduleResolution}-${type}`, SUBPATHS, options, type);
      expect(result.ok, result.text).toBe(true);
    }, COMPILE_MS);
  }

  it.concurrent('types of the Node entry points compile without the DOM lib', async () => {
    const options = { module: 'nodenext', moduleResolution: 'nodenext', lib: ['ES2022'], types: ['node'] };
    const result = await compile('ts-no-dom', NODE_SUBPATHS, options, 'module');
    expect(result.ok, result.text).toBe(true);
  }, COMPILE_MS);
});
