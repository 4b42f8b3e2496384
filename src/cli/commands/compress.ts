import { dirname, isAbsolute, join } from 'node:path';
import type { EvalCandidateConfig } from '../../config/parse-eval-config.js';
import { parseEvalConfig } from '../../config/parse-eval-config.js';
import { UsageError } from '../../core/errors.js';
import { loadTokenCounter } from '../../core/tokens/token-counter.js';
import { formatOfFile } from '../../eval/dataset/dataset-format.js';
import { parseDataset } from '../../eval/dataset/parse-dataset.js';
import { compressWithModel } from '../../optimize/compression/model-compressor.js';
import { compressWithRules } from '../../optimize/compression/rule-compressor.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { chatModelFor } from '../evaluation/chat-model-for.js';
import { type CompressedVariant, compressionSummary } from '../evaluation/compression-summary.js';
import { runExperimentCommand } from '../evaluation/experiment-command.js';

const help = `usage: frugal compress <eval.yaml> [--candidate NAME] [--with rules|model:PROVIDER/MODEL]... [--store LOC] [--json]

Shortens a candidate's prompts and verifies the shorter versions by evaluation before recommending any:
the original and each compressed variant run as candidates of one experiment ('<experiment>-compress')
on the config's dataset, scorers and judge. Reported per variant: prompt tokens saved, input tokens per
call, the primary score's difference from the original with its 95% interval (paired, same rows), the
monthly saving at monthly_volume, and a verdict — recommended only when cheaper and not significantly
worse.

  --candidate NAME   the candidate whose system_prompt and prompt are compressed (default: the first)
  --with rules       the rule-based compressor: filler, politeness, wordy phrases, decoration, repeats
  --with model:ID    LLM-assisted: the model ID (provider/model, keys as for frugal eval) rewrites the prompts
                     (default: --with rules; repeat --with for several variants)
  --store, --config, --json, --no-cache as for frugal eval`;

const options = {
  candidate: { type: 'string' },
  with: { type: 'string', multiple: true },
  store: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
} as const;

/** `frugal compress`: compressed prompt variants, verified by evaluation. */
export const compressCommand: Command = {
  name: 'compress',
  summary: 'shorten a candidate’s prompts and verify the variants by evaluation before recommending one',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('compress', args, options, { maxPositionals: 1 });
    const file = positionals[0];
    if (file === undefined)
      throw new UsageError(
        "frugal compress: name an eval config, e.g. 'frugal compress examples/eval/eval.yaml'",
      );
    const config = parseEvalConfig(await io.readText(file), file);
    const original =
      values.candidate === undefined
        ? config.candidates[0]!
        : config.candidates.find((candidate) => candidate.name === values.candidate);
    if (original === undefined) {
      throw new UsageError(
        `frugal compress: no candidate '${values.candidate}' in ${file} (${config.candidates.map((candidate) => candidate.name).join(', ')})`,
      );
    }
    if (original.systemPrompt === undefined && original.prompt === undefined) {
      throw new UsageError(
        `frugal compress: candidate '${original.name}' has no system_prompt or prompt to compress`,
      );
    }
    const methods = values.with ?? ['rules'];
    // A cascade's prompt goes to every stage tried; its first stage's tokenizer stands for them.
    const modelId = original.model ?? original.cascade?.models?.[0] ?? original.router?.weak;
    const counter = await loadTokenCounter(modelId?.slice(modelId.indexOf('/') + 1));
    const promptTokens = (candidate: EvalCandidateConfig) =>
      counter.count(candidate.systemPrompt ?? '').tokens + counter.count(candidate.prompt ?? '').tokens;
    const variants: CompressedVariant[] = [];
    const compressed: EvalCandidateConfig[] = [];
    for (const method of methods) {
      const compress = await compressorFor(method, config, io.env);
      const systemPrompt =
        original.systemPrompt === undefined ? undefined : await compress(original.systemPrompt);
      // A user template keeps its {placeholders}: only the words around them are compressed.
      const prompt = original.prompt === undefined ? undefined : await compress(original.prompt);
      if (prompt !== undefined && placeholders(prompt) !== placeholders(original.prompt!)) {
        throw new UsageError(
          `frugal compress: ${method} changed the prompt template's placeholders; not evaluated`,
        );
      }
      const candidate = { ...original, name: `${original.name}~${method}`, systemPrompt, prompt };
      compressed.push(candidate);
      variants.push({
        method,
        candidate: candidate.name,
        promptTokens: promptTokens(candidate),
        systemPrompt,
        prompt,
      });
    }
    const candidates = [original, ...compressed];
    const datasetPath = isAbsolute(config.dataset) ? config.dataset : join(dirname(file), config.dataset);
    const rows = parseDataset(await io.readText(datasetPath), formatOfFile(datasetPath), config.dataset);
    const experiment = `${config.experiment}-compress`;
    return runExperimentCommand(io, {
      command: 'compress',
      config: { ...config, experiment, candidates },
      rows,
      datasetName: config.dataset,
      title: `frugal compress ${file}: experiment '${experiment}', ${rows.length} rows × ${candidates.length} candidates`,
      flags: values,
      json: values.json === true,
      cache: config.cache && values['no-cache'] !== true,
      summarize: (comparison) =>
        compressionSummary(
          comparison,
          { name: original.name, promptTokens: promptTokens(original) },
          variants,
        ),
    });
  },
};

const placeholders = (text: string) => (text.match(/\{[^{}]+\}/g) ?? []).sort().join(' ');

async function compressorFor(
  method: string,
  config: ReturnType<typeof parseEvalConfig>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<(text: string) => Promise<string>> {
  if (method === 'rules') return async (text) => compressWithRules(text).text;
  if (method.startsWith('model:')) {
    const model = chatModelFor(method.slice('model:'.length), {
      providers: config.providers,
      env,
      origin: { file: 'the command line', path: `--with ${method}` },
    });
    return async (text) => (await compressWithModel(model, text)).text;
  }
  throw new UsageError(`frugal compress: --with must be 'rules' or 'model:PROVIDER/MODEL', got '${method}'`);
}
