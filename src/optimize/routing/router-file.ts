import { ConfigError } from '../../core/errors.js';
import { readFileBesideConfig } from '../file-beside-config.js';
import { decodeKnnTable, encodeKnnTable } from './knn-scorer.js';
import { type LearnedRouter, routerKinds } from './learned-router.js';

const format = 'frugal_router';
const version = 1;

/**
 * A learned router as JSON: the model names, the embedder id, the threshold and the learned part — the
 * logistic weights as numbers, or the k-NN table's int8 vectors and targets as base64.
 */
export function writeRouter(router: LearnedRouter): string {
  const { knn, logistic, ...rest } = router;
  return `${JSON.stringify({
    [format]: version,
    ...rest,
    threshold: Number.isFinite(router.threshold) ? router.threshold : 'infinity',
    ...(knn === undefined ? {} : { knn: encodeKnnTable(knn) }),
    ...(logistic === undefined ? {} : { logistic }),
  })}\n`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** Reads what `writeRouter` wrote; a ConfigError names the file and the field that is wrong. */
export function readRouter(text: string, file: string): LearnedRouter {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, '', `malformed JSON: ${(error as Error).message}`);
  }
  const fail = (path: string, problem: string): never => {
    throw new ConfigError(file, path, problem);
  };
  if (!isObject(value) || value[format] !== version)
    return fail(format, `not a frugal router file (version ${version})`);
  const kind = value['kind'];
  if (!routerKinds.includes(kind as never)) fail('kind', `expected one of ${routerKinds.join(', ')}`);
  for (const field of ['embedder', 'strong', 'weak'] as const) {
    if (typeof value[field] !== 'string') fail(field, 'expected a string');
  }
  const threshold = value['threshold'] === 'infinity' ? Number.POSITIVE_INFINITY : value['threshold'];
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) fail('threshold', 'expected a number');
  const trainedOn = value['trainedOn'];
  if (!isObject(trainedOn)) return fail('trainedOn', 'expected an object');
  const router = {
    kind: kind as LearnedRouter['kind'],
    embedder: value['embedder'] as string,
    strong: value['strong'] as string,
    weak: value['weak'] as string,
    threshold: threshold as number,
    trainedOn: { outcomes: String(trainedOn['outcomes']), queries: Number(trainedOn['queries']) },
  };
  if (kind === 'knn') return { ...router, knn: decodeKnnTable(value['knn'], 'knn', fail) };
  const logistic = value['logistic'];
  if (!isObject(logistic) || !Array.isArray(logistic['weights']) || typeof logistic['bias'] !== 'number') {
    return fail('logistic', 'expected mean, scale, weights and bias');
  }
  const length = logistic['weights'].length;
  for (const field of ['mean', 'scale', 'weights'] as const) {
    const list = logistic[field];
    if (!Array.isArray(list) || list.length !== length || !list.every((entry) => typeof entry === 'number')) {
      fail(`logistic.${field}`, `expected ${length} numbers`);
    }
  }
  return {
    ...router,
    logistic: {
      mean: logistic['mean'] as number[],
      scale: logistic['scale'] as number[],
      weights: logistic['weights'] as number[],
      bias: logistic['bias'],
    },
  };
}

/** Reads a router file named in a config (relative to the config's directory). */
export function loadRouterFile(
  path: string,
  configFile: string,
): { router: LearnedRouter; path: string; fingerprint: string } {
  const file = readFileBesideConfig(path, configFile, 'the router file');
  return { router: readRouter(file.text, file.path), path: file.path, fingerprint: file.fingerprint };
}
