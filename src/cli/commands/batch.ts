import { type FrugalError, UsageError } from '../../core/errors.js';
import type { BatchItem } from '../../optimize/batching/batch-item.js';
import { type LabelledBatchItem, parseBatchItems } from '../../optimize/batching/parse-batch-items.js';
import { runBatch } from '../../optimize/batching/run-batch.js';
import { runPacked } from '../../optimize/batching/run-packed.js';
import { createOpenAIBatchClient } from '../../providers/openai-batch/openai-batch-client.js';
import { openAICompatiblePreset } from '../../providers/openai-compatible-presets.js';
import { integerOption, numberOption, parseCommandArgs } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { chatModelFor } from '../evaluation/chat-model-for.js';
import { type BatchSummary, batchSummaryJson, costRows, renderBatchSummary } from './batch-output.js';

const help = `usage: frugal batch run --input ITEMS.jsonl --model PROVIDER/MODEL [--pack N] [options]

Runs offline work for less and measures how much less, exactly.

Without --pack: the OpenAI Batch API (the model's batch rates, else half price; answers within 24 h).
  One request per item is uploaded as JSONL, the batch created and polled to its end, its output and
  error files read back by item id. Items it did not answer (failed, expired) are asked again one call
  each (unless --no-retry). openai/... models, or any OpenAI-compatible server with a Batch API
  (--base-url). Cost at batch prices is compared with the same answers at standard prices.
With --pack N: N items per prompt, through any model (sim/... too); answers are read back per item
  from a JSON array, and items whose answer is missing or unreadable are asked alone. --compare also
  asks every item alone, to measure the saving (or the extra cost) and, with "expected", the quality.

input: JSONL, one item per line: {"id": "q1", "prompt": "...", "expected": "..."} (expected optional).

options:
  --model M               provider/model: openai/gpt-4o-mini, groq/..., sim/small, ...
  --base-url URL          API root of an OpenAI-compatible server (default: the provider's; for openai,
                          OPENAI_BASE_URL); the key comes from the provider's variable (OPENAI_API_KEY)
  --system TEXT           a system prompt sent with every call
  --max-output-tokens N   output cap per item
  --pack N                items per prompt (no Batch API)
  --compare               with --pack: also one call per item, measured
  --no-retry              Batch API: do not ask the items it did not answer again
  --poll-interval S       first wait between polls, seconds (default 5; grows 1.5x per poll to 60)
  --timeout H             hours to wait for the batch before cancelling it (default 25)
  --json                  one JSON object: items, calls, tokens, exact costs, saving, quality

Exit code 1 when an item is left without an answer (listed with why); 2 on bad input.`;

const options = {
  input: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  system: { type: 'string' },
  'max-output-tokens': { type: 'string' },
  pack: { type: 'string' },
  compare: { type: 'boolean' },
  'no-retry': { type: 'boolean' },
  'poll-interval': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];
const noBatchApi = new Set(['sim', 'anthropic', 'gemini', 'google']);
const normalised = (text: string) => text.trim().replace(/\.$/, '').toLowerCase();
const sameAnswer = (answer: string, expected: string) =>
  normalised(answer) === normalised(expected) ? 1 : 0;

/** `frugal batch run`: items through the Batch API or packed several to a prompt, with the exact saving. */
export const batchCommand: Command = {
  name: 'batch',
  summary: 'run items through the Batch API or packed per prompt, with the exact saving',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('batch', args, options, { maxPositionals: 1 });
    if (positionals[0] !== 'run') {
      throw new UsageError(
        `frugal batch: expected 'run', got ${positionals[0] ? `'${positionals[0]}'` : 'nothing'} (see 'frugal batch --help')`,
      );
    }
    if (values.input === undefined) throw new UsageError('frugal batch: --input ITEMS.jsonl is required');
    const id = values.model ?? '';
    if (!/^[^/]+\/.+/.test(id))
      throw new UsageError(`frugal batch: --model must be provider/model, got '${id}'`);
    const items = parseBatchItems(await io.readText(values.input), values.input);
    const summary =
      values.pack === undefined
        ? await viaBatchApi(id, items, values, io)
        : await packed(id, items, values, io);
    io.stdout(
      values.json ? `${JSON.stringify(batchSummaryJson(summary), null, 2)}\n` : renderBatchSummary(summary),
    );
    return summary.items.some((item) => item.text === undefined) ? 1 : 0;
  },
};

const request = (values: Values) => ({
  system: values.system,
  maxOutputTokens:
    values['max-output-tokens'] === undefined
      ? undefined
      : integerOption('batch', 'max-output-tokens', values['max-output-tokens'], 1),
});

function chatModel(id: string, values: Values, io: CommandIo) {
  const provider = id.slice(0, id.indexOf('/'));
  const providers = values['base-url'] === undefined ? {} : { [provider]: { base_url: values['base-url'] } };
  return chatModelFor(id, { providers, env: io.env, origin: { file: '--model', path: '' } });
}

async function viaBatchApi(
  id: string,
  items: readonly BatchItem[],
  values: Values,
  io: CommandIo,
): Promise<BatchSummary> {
  const provider = id.slice(0, id.indexOf('/'));
  const model = id.slice(provider.length + 1);
  if (noBatchApi.has(provider) || values.compare) {
    const why = values.compare ? '--compare goes with --pack' : `${provider} models have no OpenAI Batch API`;
    throw new UsageError(`frugal batch: ${why}; use --pack N to pack items per prompt instead`);
  }
  const keyEnv = openAICompatiblePreset(provider)?.apiKeyEnv ?? 'OPENAI_API_KEY';
  const baseUrl = values['base-url'] ?? (provider === 'openai' ? io.env['OPENAI_BASE_URL'] : undefined);
  let client: ReturnType<typeof createOpenAIBatchClient>;
  try {
    client = createOpenAIBatchClient({ provider, model, baseUrl, apiKey: io.env[keyEnv] });
  } catch (error) {
    throw new UsageError(`frugal batch: ${(error as FrugalError).message}`, { cause: error });
  }
  const interval = numberOption('batch', 'poll-interval', values['poll-interval'] ?? '5', 0.001);
  const hours = numberOption('batch', 'timeout', values.timeout ?? '25', 0);
  const report = await runBatch({
    ...request(values),
    items,
    client,
    retryWith: values['no-retry'] ? undefined : chatModel(id, values, io),
    onSubmitted: (batch) => io.stderr(`batch ${batch.id} submitted (${items.length} requests)\n`),
    wait: {
      pollIntervalMs: interval * 1000,
      timeoutMs: hours * 3_600_000,
      onProgress: (state) => {
        const counts = state.requestCounts;
        io.stderr(
          `batch ${state.id}: ${state.status}${counts?.total ? ` (${counts.completed + counts.failed}/${counts.total} done)` : ''}\n`,
        );
      },
    },
  });
  return {
    heading: `${items.length} items through the Batch API: ${id} at ${client.endpoint}, batch ${report.batchId} ${report.status} after ${(report.waitedMs / 1000).toFixed(1)} s`,
    items: report.items.map((item) => ({ ...item, error: item.retryError ?? item.batchError?.message })),
    ...costRows({ name: 'batch, at batch prices', tally: report.batch }, report, 'one call per item'),
    notes: ['Quality: the same requests to the same model; what batching costs is time (up to 24 h).'],
  };
}

async function packed(
  id: string,
  items: readonly LabelledBatchItem[],
  values: Values,
  io: CommandIo,
): Promise<BatchSummary> {
  const packSize = integerOption('batch', 'pack', values.pack!, 1);
  const model = chatModel(id, values, io);
  const expected = new Map(items.map((item) => [item.id, item.expected]));
  const scored = items.every((item) => item.expected !== undefined);
  const report = await runPacked({
    ...request(values),
    items,
    model,
    packSize,
    compare: values.compare,
    score: scored ? (item, answer) => sameAnswer(answer, expected.get(item.id)!) : undefined,
  });
  const quality = report.quality;
  return {
    heading: `${items.length} items, ${packSize} per prompt, through ${report.model}`,
    items: report.items,
    ...costRows({ name: 'packed calls', tally: report.packed }, report, 'one call per item (--compare)'),
    notes: [
      ...(report.simulated
        ? ["SIMULATED: sim/* models are frugal's offline simulator, not real models."]
        : []),
      ...(quality
        ? [
            `Quality (exact match with "expected"): packed ${quality.packed.toFixed(2)}${quality.alone === undefined ? '' : `, one call per item ${quality.alone.toFixed(2)}`}.`,
          ]
        : []),
      ...(report.oneCallPerItem
        ? []
        : ['Add --compare to measure one call per item, the saving and the quality.']),
    ],
  };
}
