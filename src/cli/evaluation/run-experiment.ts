import type { EvalConfig } from '../../config/parse-eval-config.js';
import type { EvalRunRecord } from '../../core/evals/eval-records.js';
import { formatUsd } from '../../core/money.js';
import { type Comparison, compareRuns } from '../../eval/compare/compare-runs.js';
import type { EvalRow } from '../../eval/eval-row.js';
import { evaluate } from '../../eval/evaluate.js';
import type { EvaluationResult, RunProgress } from '../../eval/evaluate-options.js';
import { createRateController, type RateController } from '../../eval/rate-controller.js';
import { renderPrompt } from '../../eval/render-prompt.js';
import { fileResponseCache } from '../../eval/response-cache.js';
import { createRunBudget } from '../../eval/run-budget.js';
import type { Store } from '../../store/store.js';
import type { SpanSink } from '../../tracing/span-sink.js';
import { candidateModelFor, chatModelFor } from './chat-model-for.js';
import { scorersFor } from './scorers-for.js';

export type ExperimentSetup = {
  readonly config: EvalConfig;
  readonly rows: readonly EvalRow[];
  readonly datasetName: string;
  readonly store: Store;
  readonly sink: SpanSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where re-runs find cached answers (undefined: no cache). */
  readonly cacheDirectory?: string | undefined;
  /** Told about progress, a line per update (the command draws it). */
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Continue each candidate's latest unfinished run of the experiment instead of starting new ones. */
  readonly resume?: boolean | undefined;
};

export type ExperimentOutcome = {
  readonly results: readonly EvaluationResult[];
  readonly runs: readonly EvalRunRecord[];
  readonly comparison: Comparison;
};

const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${Math.ceil(ms / 1000)}s`);

/** Each candidate's latest run of the experiment, when it did not complete (stopped, failed or killed). */
async function unfinishedRuns(store: Store, experiment: string): Promise<Map<string, EvalRunRecord>> {
  const latest = new Map<string, EvalRunRecord>();
  for (const run of await store.listRuns({ experiment }))
    if (!latest.has(run.candidate)) latest.set(run.candidate, run);
  for (const [candidate, run] of latest) if (run.status === 'completed') latest.delete(candidate);
  return latest;
}

/**
 * Runs every candidate of an eval config over the dataset, at the same time, each as a stored run of the
 * experiment: candidates on one provider share its rate controller (its RPM/TPM limits and backoff), and all
 * share the config's budget cap. Then compares the runs.
 */
export async function runExperiment(setup: ExperimentSetup): Promise<ExperimentOutcome> {
  const { config } = setup;
  const knowledge = setup.rows.flatMap((row) =>
    row.expectations.expected_facts
      ? [{ question: renderPrompt(row), facts: row.expectations.expected_facts }]
      : [],
  );
  const setting = (path: string) => ({
    providers: config.providers,
    env: setup.env,
    knowledge,
    seed: config.seed,
    origin: { file: config.file, path },
  });
  const judge = config.judge && {
    model: chatModelFor(config.judge.model, setting('judge')),
    temperature: config.judge.temperature,
    attempts: config.judge.attempts,
    repeats: config.judge.repeats,
  };
  const scorers = scorersFor(config.scorers, judge, config.file);
  const candidates = config.candidates.map((candidate, index) => ({
    name: candidate.name,
    model: candidateModelFor(candidate, index, setting),
    systemPrompt: candidate.systemPrompt,
    prompt: candidate.prompt,
    stream: candidate.stream,
    parameters: {
      temperature: candidate.parameters.temperature,
      topP: candidate.parameters.top_p,
      maxOutputTokens: candidate.parameters.max_tokens,
      seed: candidate.parameters.seed,
      stop: candidate.parameters.stop,
      responseFormat: candidate.parameters.response_format,
      providerOptions: candidate.parameters.extra,
    },
  }));
  const controllers = new Map<string, RateController>();
  const controllerFor = (provider: string) => {
    let controller = controllers.get(provider);
    if (controller === undefined) {
      const limits = config.rateLimits[provider];
      controller = createRateController({
        maxConcurrency: config.concurrency,
        requestsPerMinute: limits?.rpm,
        tokensPerMinute: limits?.tpm,
      });
      controllers.set(provider, controller);
    }
    return controller;
  };
  const budget = config.budget === undefined ? undefined : createRunBudget(config.budget, Date.now());
  const cache = setup.cacheDirectory === undefined ? undefined : fileResponseCache(setup.cacheDirectory);
  const progress = new Map<string, RunProgress>();
  const total = setup.rows.length * config.repeats;
  // In the config's order from the start, whichever candidate reports first.
  for (const candidate of candidates) {
    progress.set(candidate.name, { done: 0, total, errors: 0, spent: 0n, elapsedMs: 0, etaMs: undefined });
  }
  const report = () => {
    const parts = [...progress].map(
      ([name, at]) => `${name} ${at.done}/${at.total}${at.errors ? ` (${at.errors} errors)` : ''}`,
    );
    const spent = [...progress.values()].reduce((sum, at) => sum + at.spent, 0n);
    const eta = Math.max(...[...progress.values()].map((at) => at.etaMs ?? 0));
    setup.onProgress?.(`${parts.join(' · ')} · $${formatUsd(spent, 4)} spent · ETA ${seconds(eta)}`);
  };
  const unfinished = setup.resume
    ? await unfinishedRuns(setup.store, config.experiment)
    : new Map<string, EvalRunRecord>();
  const results = await Promise.all(
    candidates.map((candidate, index) =>
      evaluate({
        ...(unfinished.has(candidate.name)
          ? { runId: unfinished.get(candidate.name)?.id, resume: true }
          : {}),
        data: setup.rows,
        datasetName: setup.datasetName,
        candidate,
        scorers,
        experiment: config.experiment,
        repeats: config.repeats,
        rateController: controllerFor(candidate.model.provider),
        ...(budget === undefined ? {} : { admission: budget }),
        recorder: setup.store,
        sink: setup.sink,
        cache,
        config: {
          candidate: config.candidates[index],
          position: index,
          file: config.file,
          scorers: config.scorers.map((scorer) => scorer.path),
        },
        onProgress: (at) => {
          progress.set(candidate.name, at);
          report();
        },
        signal: setup.signal,
      }),
    ),
  );
  const runs = await Promise.all(
    results.map(async (result) => (await setup.store.getRun(result.runId)) as EvalRunRecord),
  );
  const comparison = compareRuns(
    runs.map((run, index) => ({ run, results: results[index]?.rows ?? [] })),
    {
      primary: config.primary,
      qualityBar: config.qualityBar,
      monthlyVolume: config.monthlyVolume,
      seed: config.seed,
    },
  );
  return { results, runs, comparison };
}
