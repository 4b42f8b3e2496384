import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { UsageError } from '../../src/core/errors.js';

/** Runs `frugal <argv>` in-process with in-memory files and captured output. */
export async function runCli(
  argv: readonly string[],
  {
    files = {},
    stdin,
    now = Date.parse('2026-11-22T12:00:00Z'),
    today = new Date(now).toISOString().slice(0, 10),
    cwd = '/virtual',
    env = {},
    tty = false,
  }: {
    files?: Record<string, string>;
    stdin?: string;
    now?: number;
    today?: string;
    cwd?: string;
    env?: Record<string, string>;
    /** Pretend stderr is a terminal (live progress lines). */
    tty?: boolean;
  } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readText: async (path) => {
      if (path === '-') {
        if (stdin === undefined) throw new UsageError('cannot read standard input: nothing was piped');
        return stdin;
      }
      const text = files[path];
      if (text === undefined) throw new UsageError(`cannot read '${path}': no such file`);
      return text;
    },
    stderrIsTty: tty,
    cwd,
    env,
    today: () => today,
    now: () => now,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
