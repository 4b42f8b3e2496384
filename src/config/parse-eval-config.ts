import { ConfigError } from '../core/errors.js';
import { judgeNames } from '../core/evals/judge-protocol.js';
import { type Picodollars, parseUsd } from '../core/money.js';
import {
  evalConfigSchema,
  type RawCandidate,
  type RawEvalConfig,
  type RawScorer,
} from './eval-config-schema.js';
import { parseDocument } from './parse-document.js';
import { schemaError } from './schema-error.js';

/** One candidate of an evaluation, validated. */
export type EvalCandidateConfig = {
  readonly name: string;
  /** `provider/model`; exactly one of `model`, `cascade` and `router` is set. */
  readonly model?: string | undefined;
  /** A learned cascade (`frugal cascade train`): its file as written, and the live model of each stage. */
  readonly cascade?: { readonly file: string; readonly models?: readonly string[] | undefined } | undefined;
  /** A learned router (`frugal route train`): its file as written, and the live strong and weak models. */
  readonly router?:
    | { readonly file: string; readonly strong?: string | undefined; readonly weak?: string | undefined }
    | undefined;
  readonly systemPrompt?: string | undefined;
  readonly prompt?: string | undefined;
  readonly parameters: NonNullable<RawCandidate['parameters']>;
  readonly stream: boolean;
};

/** A scorer as configured: a name, or a mapping with `type` and its settings. */
export type EvalScorerConfig = Exclude<RawScorer, string> & { readonly path: string };

export type ProviderConfig = NonNullable<RawEvalConfig['providers']>[string];

/** An evaluation config, validated (`frugal eval <file>`). */
export type EvalConfig = {
  readonly file: string;
  readonly experiment: string;
  /** As written: relative to the config file's directory. */
  readonly dataset: string;
  readonly candidates: readonly EvalCandidateConfig[];
  readonly judge?:
    | {
        readonly model: string;
        readonly temperature?: number | undefined;
        readonly attempts?: number | undefined;
        /** Votes per answer (majority verdict), to measure the judge's agreement with itself. */
        readonly repeats?: number | undefined;
      }
    | undefined;
  readonly scorers: readonly EvalScorerConfig[];
  readonly repeats: number;
  readonly concurrency: number;
  readonly rateLimits: Readonly<
    Record<string, { readonly rpm?: number | undefined; readonly tpm?: number | undefined }>
  >;
  readonly budget?: Picodollars | undefined;
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  /** The scorer the comparison ranks by (default: the first). */
  readonly primary: string;
  readonly qualityBar?: number | undefined;
  readonly monthlyVolume?: number | undefined;
  readonly cache: boolean;
  readonly seed: number;
};

const judged = new Set<string>(judgeNames);

/** The metric name a scorer reports under. */
export function scorerName(scorer: EvalScorerConfig): string {
  return scorer.name ?? scorer.type;
}

function budgetOf(value: number | string, file: string): Picodollars {
  try {
    return parseUsd(String(value));
  } catch {
    throw new ConfigError(
      file,
      'budget_usd',
      `expected a USD amount with at most 12 decimals, found ${value}`,
    );
  }
}

/**
 * Parses and validates an evaluation config's text (YAML, or JSON for .json). Every problem is a one-line
 * ConfigError naming the file, the path inside it, what was expected and what was found.
 */
export function parseEvalConfig(text: string, fileName: string): EvalConfig {
  const data = parseDocument(text, fileName);
  const result = evalConfigSchema.safeParse(data ?? {});
  if (!result.success) throw schemaError(fileName, data, evalConfigSchema, result.error);
  const raw = result.data;
  const names = new Map<string, number>();
  raw.candidates.forEach((candidate, index) => {
    const earlier = names.get(candidate.name);
    if (earlier !== undefined) {
      throw new ConfigError(
        fileName,
        `candidates[${index}].name`,
        `'${candidate.name}' is already the name of candidates[${earlier}]`,
      );
    }
    names.set(candidate.name, index);
    const given = [candidate.model, candidate.cascade, candidate.router].filter((one) => one !== undefined);
    if (given.length !== 1) {
      throw new ConfigError(
        fileName,
        `candidates[${index}]`,
        'expected exactly one of model (provider/model), cascade ({ file, models }) and router ({ file, strong, weak })',
      );
    }
  });
  const scorers = raw.scorers.map(
    (scorer, index): EvalScorerConfig => ({
      ...(typeof scorer === 'string' ? { type: scorer } : scorer),
      path: `scorers[${index}]`,
    }),
  );
  const metrics = new Map<string, string>();
  for (const scorer of scorers) {
    const name = scorerName(scorer);
    const earlier = metrics.get(name);
    if (earlier !== undefined) {
      throw new ConfigError(
        fileName,
        scorer.path,
        `a second scorer named '${name}' (as ${earlier}); give it a name`,
      );
    }
    metrics.set(name, scorer.path);
  }
  const needsJudge = scorers.find((scorer) => judged.has(scorer.type));
  if (needsJudge && raw.judge === undefined) {
    throw new ConfigError(
      fileName,
      'judge',
      `${needsJudge.path} (${needsJudge.type}) is an LLM judge: name a judge model`,
    );
  }
  const primary = raw.primary ?? scorerName(scorers[0] as EvalScorerConfig);
  if (!metrics.has(primary)) {
    throw new ConfigError(
      fileName,
      'primary',
      `no scorer is named '${primary}' (${[...metrics.keys()].join(', ')})`,
    );
  }
  const judge = typeof raw.judge === 'string' ? { model: raw.judge } : raw.judge;
  return {
    file: fileName,
    experiment: raw.experiment ?? fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, ''),
    dataset: raw.dataset,
    candidates: raw.candidates.map((candidate) => ({
      name: candidate.name,
      ...(candidate.model === undefined ? {} : { model: candidate.model }),
      ...(candidate.cascade === undefined ? {} : { cascade: candidate.cascade }),
      ...(candidate.router === undefined ? {} : { router: candidate.router }),
      ...(candidate.system_prompt === undefined ? {} : { systemPrompt: candidate.system_prompt }),
      ...(candidate.prompt === undefined ? {} : { prompt: candidate.prompt }),
      parameters: candidate.parameters ?? {},
      stream: candidate.stream ?? false,
    })),
    ...(judge === undefined ? {} : { judge }),
    scorers,
    repeats: raw.repeats ?? 1,
    concurrency: raw.concurrency ?? 4,
    rateLimits: raw.rate_limits ?? {},
    ...(raw.budget_usd === undefined ? {} : { budget: budgetOf(raw.budget_usd, fileName) }),
    providers: raw.providers ?? {},
    primary,
    ...(raw.quality_bar === undefined ? {} : { qualityBar: raw.quality_bar }),
    ...(raw.monthly_volume === undefined ? {} : { monthlyVolume: raw.monthly_volume }),
    cache: raw.cache ?? true,
    seed: raw.seed ?? 1,
  };
}
