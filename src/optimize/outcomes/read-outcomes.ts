import { ConfigError } from '../../core/errors.js';
import type { ModelOutcome, OutcomeQuery, OutcomeSet, ScoreScale } from './outcome-set.js';

/** The header line's marker and the format version this reader knows. */
export const outcomesFormat = 'frugal_outcomes';
export const outcomesVersion = 1;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads an outcomes file (JSONL: a header, then one query per line). Every problem is a ConfigError naming the
 * file, the line and the field: a query without an outcome for one of the header's models, a score outside the
 * scale, a token count that is not a whole number, a repeated id. Blank lines are skipped.
 */
export function readOutcomes(text: string, file: string): OutcomeSet {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: { name: string; source: string | undefined; scale: ScoreScale; models: string[] } | undefined;
  const queries: OutcomeQuery[] = [];
  const ids = new Set<string>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    const fail = (path: string, problem: string): never => {
      throw new ConfigError(file, path === '' ? where : `${where}, ${path}`, problem);
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ConfigError(file, where, `malformed JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!isObject(value)) fail('', 'expected a JSON object');
    const object = value as Json;
    if (header === undefined) {
      header = readHeader(object, fail);
      return;
    }
    const query = readQuery(object, header, fail);
    if (ids.has(query.id)) fail('id', `'${query.id}' appears twice`);
    ids.add(query.id);
    queries.push(query);
  });
  if (header === undefined)
    throw new ConfigError(file, '', 'empty: expected a header line, then one query per line');
  if (queries.length === 0) throw new ConfigError(file, '', 'no queries after the header line');
  return { name: header.name, source: header.source, scale: header.scale, models: header.models, queries };
}

type Fail = (path: string, problem: string) => never;

function readHeader(value: Json, fail: Fail) {
  if (value[outcomesFormat] !== outcomesVersion) {
    fail(outcomesFormat, `expected a header line with "${outcomesFormat}": ${outcomesVersion} first`);
  }
  const name = value['name'];
  if (typeof name !== 'string' || name === '') fail('name', 'expected a non-empty string');
  const source = value['source'];
  if (source !== undefined && typeof source !== 'string') fail('source', 'expected a string');
  const models = value['models'];
  if (
    !Array.isArray(models) ||
    models.length < 2 ||
    !models.every((m) => typeof m === 'string' && m !== '')
  ) {
    fail('models', 'expected a list of at least two model names');
  }
  if (new Set(models as string[]).size !== (models as string[]).length)
    fail('models', 'a model is listed twice');
  return {
    name: name as string,
    source: source as string | undefined,
    scale: readScale(value['scale'], fail),
    models: models as string[],
  };
}

function readScale(value: unknown, fail: Fail): ScoreScale {
  if (isObject(value) && value['kind'] === 'binary') return { kind: 'binary' };
  if (isObject(value) && value['kind'] === 'graded') {
    const { min, max } = value;
    if (typeof min === 'number' && typeof max === 'number' && Number.isFinite(min) && max > min) {
      return { kind: 'graded', min, max };
    }
    return fail('scale', 'a graded scale needs numbers min < max');
  }
  return fail('scale', 'expected {"kind":"binary"} or {"kind":"graded","min":N,"max":M}');
}

function readQuery(value: Json, header: { scale: ScoreScale; models: string[] }, fail: Fail): OutcomeQuery {
  const { id, prompt, category, outcomes } = value;
  if (typeof id !== 'string' && typeof id !== 'number') fail('id', 'expected a string or a number');
  if (typeof prompt !== 'string' || prompt === '') fail('prompt', 'expected a non-empty string');
  if (category !== undefined && typeof category !== 'string') fail('category', 'expected a string');
  if (!isObject(outcomes)) return fail('outcomes', 'expected an object with one entry per model');
  const read: Record<string, ModelOutcome> = {};
  for (const model of header.models) {
    const outcome = outcomes[model];
    if (outcome === undefined) fail(`outcomes`, `no outcome for model '${model}' (the header lists it)`);
    read[model] = readOutcome(outcome, header.scale, `outcomes["${model}"]`, fail);
  }
  const extra = Object.keys(outcomes).find((model) => !header.models.includes(model));
  if (extra !== undefined) fail(`outcomes["${extra}"]`, 'a model the header does not list');
  return {
    id: String(id),
    prompt: prompt as string,
    category: category as string | undefined,
    outcomes: read,
  };
}

function readOutcome(value: unknown, scale: ScoreScale, path: string, fail: Fail): ModelOutcome {
  if (!isObject(value)) return fail(path, 'expected an object with a score');
  const { score, input_tokens, output_tokens, estimated, response } = value;
  if (typeof score !== 'number' || !Number.isFinite(score)) fail(`${path}.score`, 'expected a number');
  const number = score as number;
  if (scale.kind === 'binary' && number !== 0 && number !== 1)
    fail(`${path}.score`, `expected 0 or 1, got ${number}`);
  if (scale.kind === 'graded' && (number < scale.min || number > scale.max)) {
    fail(`${path}.score`, `expected a number in [${scale.min}, ${scale.max}], got ${number}`);
  }
  for (const [field, count] of [
    ['input_tokens', input_tokens],
    ['output_tokens', output_tokens],
  ] as const) {
    if (count !== undefined && !(Number.isSafeInteger(count) && (count as number) >= 0)) {
      fail(`${path}.${field}`, 'expected a whole number ≥ 0');
    }
  }
  if (estimated !== undefined && typeof estimated !== 'boolean')
    fail(`${path}.estimated`, 'expected true or false');
  if (response !== undefined && typeof response !== 'string') fail(`${path}.response`, 'expected a string');
  return {
    score: number,
    inputTokens: input_tokens as number | undefined,
    outputTokens: output_tokens as number | undefined,
    estimated: estimated as boolean | undefined,
    response: response as string | undefined,
  };
}
