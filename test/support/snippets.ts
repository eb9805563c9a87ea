import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

/** A ```ts or ```tsx block of a markdown file (an indented one too, as in a list). */
export interface Snippet {
  where: string;
  lang: 'ts' | 'tsx';
  code: string;
  /** Its first line: what the tests name it by. */
  head: string;
}

export function snippetsOf(markdown: string, file: string): Snippet[] {
  const snippets: Snippet[] = [];
  const fence = /^( *)```(ts|tsx)\n([\s\S]*?)^\1```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const indent = match[1] ?? '';
    const code = (match[3] ?? '')
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    const line = markdown.slice(0, match.index).split('\n').length;
    snippets.push({ where: `${file}:${line}`, lang: match[2] as 'ts' | 'tsx', code, head: code.split('\n')[0]?.trim() ?? '' });
  }
  return snippets;
}

type Module = Record<string, unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<Module>;

/**
 * Runs a snippet as the body of an async function: `scope` gives its free names, `modules` what
 * its imports bind, by specifier; it gives back the values of `returns`, its own top-level names.
 */
export function runSnippet(code: string, scope: Module, modules: Record<string, Module>, returns: string[] = []): Promise<Module> {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const body = js
    .replace(/^import (\w+) from '([^']+)';$/gm, (_, name: string, from: string) => `const ${name} = __module(${JSON.stringify(from)}).default;`)
    .replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => `const {${names.replace(/ as /g, ': ')}} = __module(${JSON.stringify(from)});`)
    .replace(/^export \{\};$/m, '');
  if (/^\s*(import|export)\b/m.test(body)) throw new Error(`a snippet's import or export is not handled:\n${body}`);
  const module = (specifier: string): Module => {
    const found = modules[specifier];
    if (!found) throw new Error(`the snippet imports ${specifier}, which the test does not provide`);
    return found;
  };
  const names = Object.keys(scope);
  const run = new AsyncFunction(...names, '__module', `${body}\nreturn { ${returns.join(', ')} };`);
  return run(...names.map((name) => scope[name]), module);
}

/** Declarations a snippet's free names get for the type check, when it does not declare them itself. */
export type Preamble = Record<string, string | ((code: string) => string)>;

const declares = (code: string, name: string) =>
  new RegExp(`(import[^;]*\\b${name}\\b[^;]*from|\\b(function|class) ${name}\\b|\\b(const|let) (${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\}))`).test(code);

/** What a Vite + TypeScript app compiles with: bundler resolution, DOM types. */
export const VITE_APP_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'bundler',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ['ES2022', 'DOM'],
} as const;

/**
 * Type-checks snippets, each as its own module, against the built package (a self-reference:
 * the check runs inside this package) with what a Vite + TypeScript app uses. Throws tsc's output.
 */
export function typeCheck(dir: string, snippets: Snippet[], preamble: Preamble): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = snippets.map((snippet, i) => {
    const lines = Object.entries(preamble)
      .filter(([name]) => new RegExp(`\\b${name}\\b`).test(snippet.code) && !declares(snippet.code, name))
      .map(([, line]) => (typeof line === 'string' ? line : line(snippet.code)));
    const name = `snippet-${i}.${snippet.lang}`;
    writeFileSync(`${dir}${name}`, `// ${snippet.where}\n${lines.join('\n')}\n${snippet.code}\nexport {};\n`);
    return name;
  });
  const compilerOptions = { ...VITE_APP_COMPILER_OPTIONS, jsx: 'react-jsx', types: ['node'] };
  writeFileSync(`${dir}tsconfig.json`, JSON.stringify({ compilerOptions, files }));
  try {
    execFileSync(process.execPath, [new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', `${dir}tsconfig.json`], {
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(`the snippets do not type-check:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
}
