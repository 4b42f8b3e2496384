import { ConfigError, FrugalError } from '../../core/errors.js';
import type { Embedder } from '../embedder.js';
import { readFileBesideConfig } from '../file-beside-config.js';
import { decodeKnnTable, encodeKnnTable, type KnnTable, knnScore } from '../routing/knn-scorer.js';
import type { CascadeGoal } from './cascade-outcomes.js';

/**
 * A cascade learned from recorded outcomes, ready to serve: the models in the order tried, and per stage but
 * the last a k-NN acceptance table over the embedding of the prompt and that stage's answer (or the prompt
 * alone) with the threshold its number must reach for the answer to be kept.
 */
export type TrainedCascade = {
  /** The embedder the tables were built with: scoring must use the same one. */
  readonly embedder: string;
  /** The models as named in the outcomes, cheapest first (the order tried). */
  readonly stages: readonly string[];
  /** Per stage but the last: the acceptance number at or above which its answer is kept. */
  readonly thresholds: readonly number[];
  /** Per stage but the last: the k-NN table its acceptance number comes from. */
  readonly acceptance: readonly KnnTable[];
  /** True when the tables were built over the prompt and the answer; false: the prompt alone. */
  readonly seesAnswers: boolean;
  readonly goal: CascadeGoal;
  readonly trainedOn: { readonly outcomes: string; readonly queries: number };
};

/** One stage's verdict on an answer. */
export type StageVerdict = {
  readonly score: number;
  readonly threshold: number;
  readonly accepted: boolean;
};

/** What the acceptance tables were shown: the prompt, then (when they see answers) a blank line and the answer. */
export function acceptanceText(prompt: string, answer: string, seesAnswers: boolean): string {
  return seesAnswers ? `${prompt}\n\n${answer}` : prompt;
}

/** Scores a stage's answer with its acceptance table (the last stage always keeps its answer). */
export function createStageJudge(
  cascade: TrainedCascade,
  embedder: Embedder,
): (stage: number, prompt: string, answer: string, signal?: AbortSignal) => Promise<StageVerdict> {
  if (embedder.id !== cascade.embedder) {
    throw new FrugalError(
      `the cascade was trained with embedder '${cascade.embedder}', not '${embedder.id}': vectors from different embedders never mix`,
    );
  }
  cascade.acceptance.forEach((table, stage) => {
    if (table.dimensions !== embedder.dimensions) {
      throw new FrugalError(
        `the cascade's stage ${stage + 1} table has ${table.dimensions}-dimensional vectors, but '${embedder.id}' makes ${embedder.dimensions}`,
      );
    }
  });
  return async (stage, prompt, answer, signal) => {
    if (stage >= cascade.stages.length - 1) {
      return { score: Number.POSITIVE_INFINITY, threshold: Number.NEGATIVE_INFINITY, accepted: true };
    }
    const { vectors } = await embedder.embed([acceptanceText(prompt, answer, cascade.seesAnswers)], signal);
    const score = knnScore(cascade.acceptance[stage]!, vectors[0]!);
    const threshold = cascade.thresholds[stage]!;
    return { score, threshold, accepted: score >= threshold };
  };
}

const format = 'frugal_cascade';
const version = 1;

const thresholdJson = (threshold: number) =>
  threshold === Number.POSITIVE_INFINITY
    ? 'infinity'
    : threshold === Number.NEGATIVE_INFINITY
      ? '-infinity'
      : threshold;

/** A trained cascade as JSON (`frugal cascade train -o cascade.json`); the k-NN tables as base64. */
export function writeCascade(cascade: TrainedCascade): string {
  return `${JSON.stringify({
    [format]: version,
    embedder: cascade.embedder,
    stages: cascade.stages,
    thresholds: cascade.thresholds.map(thresholdJson),
    seesAnswers: cascade.seesAnswers,
    goal:
      cascade.goal.kind === 'quality'
        ? cascade.goal
        : { kind: 'budget', perQueryAtMost: cascade.goal.perQueryAtMost.toString() },
    trainedOn: cascade.trainedOn,
    acceptance: cascade.acceptance.map(encodeKnnTable),
  })}\n`;
}

/** Reads what `writeCascade` wrote; a ConfigError names the file and the field that is wrong. */
export function readCascade(text: string, file: string): TrainedCascade {
  const fail = (path: string, problem: string): never => {
    throw new ConfigError(file, path, problem);
  };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return fail('', `malformed JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || value[format] !== version)
    return fail(format, `not a frugal cascade file (version ${version})`);
  if (typeof value['embedder'] !== 'string') fail('embedder', 'expected a string');
  const stages = value['stages'];
  if (!Array.isArray(stages) || stages.length < 2 || !stages.every((stage) => typeof stage === 'string'))
    return fail('stages', 'expected at least two model names');
  const thresholds = value['thresholds'];
  if (!Array.isArray(thresholds) || thresholds.length !== stages.length - 1)
    return fail('thresholds', `expected ${stages.length - 1} numbers (one per stage but the last)`);
  const numbers = thresholds.map((threshold, index) => {
    if (threshold === 'infinity') return Number.POSITIVE_INFINITY;
    if (threshold === '-infinity') return Number.NEGATIVE_INFINITY;
    if (typeof threshold !== 'number') return fail(`thresholds[${index}]`, 'expected a number');
    return threshold;
  });
  const acceptance = value['acceptance'];
  if (!Array.isArray(acceptance) || acceptance.length !== stages.length - 1)
    return fail('acceptance', `expected ${stages.length - 1} k-NN tables (one per stage but the last)`);
  const tables = acceptance.map((table, index) => decodeKnnTable(table, `acceptance[${index}]`, fail));
  const goal = value['goal'] as Record<string, unknown> | undefined;
  let parsedGoal: CascadeGoal | undefined;
  if (goal?.['kind'] === 'quality' && typeof goal['atLeast'] === 'number')
    parsedGoal = { kind: 'quality', atLeast: goal['atLeast'] };
  if (
    goal?.['kind'] === 'budget' &&
    typeof goal['perQueryAtMost'] === 'string' &&
    /^\d+$/.test(goal['perQueryAtMost'])
  )
    parsedGoal = { kind: 'budget', perQueryAtMost: BigInt(goal['perQueryAtMost']) };
  if (parsedGoal === undefined)
    return fail('goal', 'expected { kind: quality, atLeast } or { kind: budget, perQueryAtMost }');
  const trainedOn = value['trainedOn'] as Record<string, unknown> | undefined;
  return {
    embedder: value['embedder'] as string,
    stages: stages as string[],
    thresholds: numbers,
    acceptance: tables,
    seesAnswers: value['seesAnswers'] === true,
    goal: parsedGoal,
    trainedOn: {
      outcomes: String(trainedOn?.['outcomes'] ?? ''),
      queries: Number(trainedOn?.['queries'] ?? 0),
    },
  };
}

/** Reads a cascade file named in a config (relative to the config's directory). */
export function loadCascadeFile(
  path: string,
  configFile: string,
): { cascade: TrainedCascade; path: string; fingerprint: string } {
  const file = readFileBesideConfig(path, configFile, 'the cascade file');
  return { cascade: readCascade(file.text, file.path), path: file.path, fingerprint: file.fingerprint };
}
