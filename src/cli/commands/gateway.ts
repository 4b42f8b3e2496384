import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { SpanInserter } from '../../store/threaded-span-inserter.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { defaultStoreLocation, ledgerLocation } from '../ledger.js';

const help = `usage: frugal gateway [--config FILE] [--host HOST] [--port N] [--store LOC]

Runs the OpenAI- and Anthropic-compatible gateway: point a client's base URL at it (OpenAI SDK:
http://HOST:PORT/v1; Anthropic SDK: http://HOST:PORT) and every call is authenticated with a virtual
key, checked against rate limits and hard budgets, served from the exact cache when it can be, routed
among the deployments of its model (retries, fallbacks, cooldowns) and recorded in the ledger with its
exact cost. Without a gateway.model_list it serves the simulator models (sim/small, sim/medium,
sim/large, sim/judge, sim/embed), clearly labelled, so it runs offline.

Routes: POST /v1/chat/completions, /v1/embeddings, /v1/messages; GET /v1/models, /health, /ready;
/admin/keys (virtual keys, guarded by the master key named by gateway.master_key_env).
Headers: x-frugal-feature, x-frugal-user, x-frugal-tags (attribution); cache-control: no-cache |
no-store (cache opt-out). Replies carry x-frugal-request-id, x-frugal-cost-usd, x-frugal-cache.
SIGINT/SIGTERM drain requests in flight (gateway.shutdown_grace_ms), then flush spend and exit.

  --config FILE  config file (default ./frugal.yaml if present): gateway:, store, prices, budgets
  --host HOST    address to listen on (default: gateway.host, else 127.0.0.1)
  --port N       port (default: gateway.port, else 4000; 0 picks a free one)
  --store LOC    sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                 ${defaultStoreLocation})`;

const options = {
  config: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  store: { type: 'string' },
} as const;

const MB = 1024 * 1024;

/** Sets a V8 flag; a flag this V8 does not know (or refuses once running) changes nothing. */
function setV8Flag(flag: string): void {
  try {
    setFlagsFromString(flag);
  } catch {}
}

/**
 * V8 settings for a process that serves the gateway, measured with `npm run bench:gateway` (set by the command,
 * not by `startGateway`, because they are the process's: an application embedding the gateway keeps its own).
 * They change when memory is collected, nothing else. Before them the gateway's peak RSS was 160-260 MB for
 * ~25 MB of live heap:
 * - `--liftoff-only`: undici parses upstream answers with llhttp compiled to WebAssembly, and V8's optimizing
 *   tier recompiles its large parser function once traffic starts: a ~35 MB burst of compiler memory, which was
 *   the process's peak. The baseline tier parses a ~700-byte answer at no measurable cost (instructions per
 *   request equal within 0.5% under callgrind). Nothing else in the gateway is WebAssembly.
 * - `--heap-growing-percent=50`: when GC is cheap V8 lets the old generation grow to 4× its live size before
 *   a full GC (~100 MB for the gateway's ~25 MB); 1.5× bounds it, at about one full GC a second under load
 *   (mostly concurrent). Process-wide: the ledger's insert worker is bounded the same way.
 * - new space of at most 2 × `maxSemiSpaceMb` (see `capNewSpace`), from startup.
 * Returns what to call once the gateway listens.
 */
function tuneV8ForGateway(maxSemiSpaceMb = 8): { listening(): () => void } {
  setV8Flag('--liftoff-only');
  setV8Flag('--heap-growing-percent=50');
  // Loading the gateway's modules would grow the new space to its 16 MB semi-spaces in a few scavenges.
  setV8Flag('--semi-space-growth-factor=1');
  return { listening: () => capNewSpace(maxSemiSpaceMb) };
}

/**
 * Keeps V8's new space at most 2 × `maxSemiSpaceMb` (default maximum: 2 × 16 MB, all of it resident under load).
 * Its maximum can only be set when the process starts (`--max-semi-space-size`), so growth is switched off
 * (growth factor 1) after each scavenge that leaves it at the cap or above, and back on below it (V8 shrinks
 * an idle new space). A scavenge's survivors are the requests in flight and what outlives them (spans awaiting
 * their batch, cache entries), which an 8 MB semi-space holds. Returns what stops it.
 */
function capNewSpace(maxSemiSpaceMb: number): () => void {
  const cap = 2 * maxSemiSpaceMb * MB;
  let factor = 0;
  const check = () => {
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    const wanted = newSpace === undefined || newSpace.space_size >= cap ? 1 : 2;
    if (wanted === factor) return;
    factor = wanted;
    setV8Flag(`--semi-space-growth-factor=${wanted}`);
  };
  check();
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

/** `frugal gateway`: runs until SIGINT or SIGTERM. */
export const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'run the OpenAI/Anthropic-compatible gateway (keys, budgets, cache, routing, exact accounting)',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('gateway', args, options, { maxPositionals: 0 });
    const port = values.port === undefined ? undefined : integerOption('gateway', 'port', values.port, 0);
    const where = await ledgerLocation(io, values);
    const tuning = tuneV8ForGateway();
    const [{ parseConfig }, { openStore }, { startGateway }] = await Promise.all([
      import('../../config/parse-config.js'),
      import('../../store/open-store.js'),
      import('../../gateway/gateway.js'),
    ]);
    const config = where.config ?? parseConfig('', values.config ?? 'frugal.yaml');
    const store = await openStore(where.file ?? where.location);
    // A SQLite ledger is written from a worker thread, so that a second's batch of spans never stalls requests.
    let spanInserter: SpanInserter | undefined;
    if (where.file !== undefined) {
      const { openThreadedSpanInserter } = await import('../../store/threaded-span-inserter.js');
      spanInserter = await openThreadedSpanInserter({ path: where.file }).catch((error: unknown) => {
        io.stderr(`frugal gateway: spans are stored on the main thread: ${(error as Error).message}\n`);
        return undefined;
      });
    }
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    try {
      gateway = await startGateway({
        config,
        store,
        spanInserter,
        env: io.env,
        cwd: io.cwd,
        host: values.host,
        port,
        log: (line) => io.stderr(`${line}\n`),
      });
    } catch (error) {
      await spanInserter?.close();
      await store.close();
      throw error;
    }
    const stopTuning = tuning.listening();
    const names = [...gateway.deployments.keys()];
    const simulated = [...gateway.deployments.values()].every((list) => list.every((d) => d.simulated));
    io.stdout(`frugal gateway listening on ${gateway.url}\n`);
    io.stderr(
      `  models: ${names.join(', ')}${simulated ? ' (SIMULATED: the offline simulator, not real models)' : ''}\n  ledger: ${where.location}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.stderr(`frugal gateway: ${signal}: draining requests in flight, then flushing spend\n`);
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        stopTuning();
        gateway.close().then(resolve, (error: unknown) => {
          io.stderr(`frugal gateway: shutdown: ${(error as Error).message}\n`);
          resolve();
        });
      };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    return 0;
  },
};
