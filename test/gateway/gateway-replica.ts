import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'frugal.js');

/** How a replica process ended: its exit code, or the signal that ended it. */
export type ReplicaExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** One `frugal gateway` child process, listening on loopback. */
export type GatewayReplica = {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves when the process has ended. */
  readonly exited: Promise<ReplicaExit>;
  /** What it wrote to stderr so far (its log), for failure messages. */
  log(): string;
  /** Sends `signal` (default SIGTERM) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<ReplicaExit>;
};

/** Every replica started and not yet ended, so `stopAllReplicas` can clean up after a failed test. */
const running = new Set<ChildProcess>();

/**
 * Runs the built gateway (`node bin/frugal.js gateway --config FILE --port 0`, so dist/ must be current) and
 * resolves once it prints where it listens. Rejects, with its log, if it exits or says nothing within `timeoutMs`.
 */
export function startReplica(
  name: string,
  configFile: string,
  env: Readonly<Record<string, string>> = {},
  timeoutMs = 20_000,
): Promise<GatewayReplica> {
  const child = spawn(process.execPath, [bin, 'gateway', '--config', configFile, '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-20_000);
  });
  const exited = new Promise<ReplicaExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise<GatewayReplica>((resolve, reject) => {
    let listening = false;
    const fail = (why: string) => {
      if (listening) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`gateway replica ${name} ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    void exited.then((exit) => fail(`exited before listening (${exit.signal ?? exit.code})`));
    const onData = () => {
      const match = /frugal gateway listening on (http:\/\/\S+)/.exec(stdout);
      if (match === null) return;
      listening = true;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        name,
        url: match[1]!,
        child,
        exited,
        log: () => stderr,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
  });
}

/** Kills (SIGKILL) every replica still running: for afterAll, whatever happened in the test. */
export async function stopAllReplicas(): Promise<void> {
  const ending = [...running].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(ending);
}
