// Test support: lets a child `node` process import this repository's TypeScript sources directly
// (`node --import <this file> child.mjs`), the way Vitest does in-process. Relative `.js` specifiers resolve to
// the `.ts` file beside them; `.ts` files are transpiled with the project's TypeScript (types are erased,
// nothing is type-checked). Node 20 cannot strip types by itself. Output is cached in the OS temp directory,
// keyed by the source's content, so later child processes skip loading TypeScript.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDirectory = join(tmpdir(), 'frugal-typescript-loader');

/** Module resolution hook: `./x.js` → `./x.ts` when only the TypeScript file exists. */
export async function resolve(specifier, context, nextResolve) {
  if (
    specifier.endsWith('.js') &&
    (specifier.startsWith('.') || specifier.startsWith('file:')) &&
    context.parentURL
  ) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(candidate)) {
      return { url: candidate.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

let typescript;

/** Module loading hook: transpiles `.ts` files to ES modules. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const text = readFileSync(path, 'utf8');
  const cached = join(
    cacheDirectory,
    `${createHash('sha256').update(path).update('\0').update(text).digest('hex')}.js`,
  );
  if (existsSync(cached))
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  typescript ??= (await import('typescript')).default;
  const output = typescript.transpileModule(text, {
    fileName: path,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  mkdirSync(cacheDirectory, { recursive: true });
  writeFileSync(`${cached}.${process.pid}`, output.outputText);
  renameSync(`${cached}.${process.pid}`, cached);
  return { format: 'module', source: output.outputText, shortCircuit: true };
}

// Imported with --import (not loaded as a hooks module): install this file's hooks.
if (!import.meta.url.includes('?hooks')) register(`${import.meta.url}?hooks`);
