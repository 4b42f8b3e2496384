import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, FrugalError, UsageError } from '../core/errors.js';
import type { CommandIo } from './command.js';
import { commands } from './commands.js';

const overview = () =>
  [
    'frugal — what your LLM features cost, what quality they buy, and how to get the same for less',
    '',
    'usage: frugal <command> [options]     (frugal <command> --help for details)',
    '',
    ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(11)} ${summary}`),
  ].join('\n');

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout('frugal 0.1.0\n');
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`frugal: unknown command '${name}'\n\n${overview()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`${/^frugal[ :]/.test(error.message) ? '' : `frugal ${name}: `}${error.message}\n`);
      return 2;
    }
    if (error instanceof FrugalError) {
      io.stderr(`frugal ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The real process's I/O. */
export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
    readText: async (path) => {
      if (path === '-') {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      }
      try {
        return await readFile(resolve(process.cwd(), path), 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
        throw new UsageError(`cannot read '${path}': ${why}`, { cause: error });
      }
    },
    cwd: process.cwd(),
    env: process.env,
    today: () => new Date().toISOString().slice(0, 10),
    now: () => Date.now(),
  };
}
