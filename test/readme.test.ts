import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pngSize } from './browser/png.js';
import { VITE_APP_COMPILER_OPTIONS } from './support/snippets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const run = (file: string, args: string[]) => execFileSync(process.execPath, [file, ...args], { cwd: root, encoding: 'utf8' });

function requireBuilt(path: string): void {
  if (!existsSync(`${root}${path}`)) throw new Error(`${path} is missing: run \`npm test\` (it builds first), not vitest alone`);
}

const firstScreen = readme.split('\n').slice(0, 20).join('\n');
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('gives the two set-up commands on its first screen', () => {
    expect(firstScreen).toContain('npm ci && npm start');
    expect(firstScreen).toContain('npm ci && npm test');
  });

  it('has exactly those two commands on its first screen, and nothing else to run', () => {
    const commands = firstScreen
      .split('\n')
      .filter((line) => /^\s*(npm|npx|node|yarn|pnpm)\s/.test(line))
      .map((line) => line.replace(/#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('shows the demo on its first screen: docs/demo.png, a real screenshot of about 1280 pixels wide', () => {
    expect(firstScreen).toMatch(/!\[[^\]]+\]\(docs\/demo\.png\)/);
    const { width, height } = pngSize(readFileSync(`${root}docs/demo.png`));
    expect(width).toBeGreaterThanOrEqual(1200);
    expect(width).toBeLessThanOrEqual(1400);
    expect(height).toBeGreaterThan(600);
  });

  it('CI runs the same test command as the README', () => {
    const ci = readFileSync(`${root}.ci/run`, 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('the usage example type-checks against the built package and the real trtc-sdk-v5 types', () => {
    requireBuilt('dist/index.d.ts');
    const example = /```ts\n(import TRTC[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the first ts block importing TRTC').toBeDefined();
    const dir = `${root}build/readme-check/`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}usage.ts`, example ?? '');
    const compilerOptions = { ...VITE_APP_COMPILER_OPTIONS, types: [] };
    writeFileSync(`${dir}tsconfig.json`, JSON.stringify({ compilerOptions, files: ['usage.ts'] }));
    expect(() => run(`${root}node_modules/typescript/bin/tsc`, ['-p', `${dir}tsconfig.json`])).not.toThrow();
    // A whole compiler run: seconds on a busy machine.
  }, 60_000);
});

describe('npm start and npm run story', () => {
  it('npm start serves the demo page; npm run story runs the scripted session', () => {
    expect(packageJson.scripts.start).toBe('vite --config examples/demo/vite.config.ts');
    expect(packageJson.scripts.story).toMatch(/node build\/examples\/scripted-session\.js$/);
  });

  it('npm run story: the scripted session shows the rules holding', () => {
    requireBuilt('build/examples/scripted-session.js');
    const output = run(`${root}build/examples/scripted-session.js`, []);
    expect(output).toContain('[alice]          state  inRoom → kicked (reason: kick)');
    expect(output).toContain('[bob]            state  inRoom → kicked (reason: banned)');
    expect(output).toContain('[alice (phone)]  state  inRoom → kicked (reason: room_disband)');
    expect(output).toMatch(/\[carol\]\s+sdk\s+trtc\.exitRoom\(\)[\s\S]*\[carol\]\s+sdk\s+trtc\.destroy\(\)/);
    expect(output.match(/trtc\.exitRoom\(\) calls after a kick: 0/g)).toHaveLength(4);
    // After alice was kicked, her laptop never calls exitRoom.
    const afterKick = output.slice(output.indexOf('kicked (reason: kick)'));
    expect(afterKick).not.toMatch(/\[alice\]\s+sdk\s+trtc\.exitRoom/);
  });
});
