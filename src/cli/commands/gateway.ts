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

/** `frugal gateway`: runs until SIGINT or SIGTERM. */
export const gatewayCommand: Command = {
  name: 'gateway',
  summary: 'run the OpenAI/Anthropic-compatible gateway (keys, budgets, cache, routing, exact accounting)',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('gateway', args, options, { maxPositionals: 0 });
    const port = values.port === undefined ? undefined : integerOption('gateway', 'port', values.port, 0);
    const where = await ledgerLocation(io, values);
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
