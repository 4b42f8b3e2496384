import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { gsm8kOutcomes } from '../../../test/support/routellm-gsm8k.js';
import { routeLlmStrong, routeLlmWeak } from '../../optimize/outcomes/import-routellm.js';
import type { OutcomeQuery } from '../../optimize/outcomes/outcome-set.js';
import { writeOutcomes } from '../../optimize/outcomes/write-outcomes.js';
import { heldOutSplit } from '../../optimize/routing/evaluate-router.js';
import { createPromptRouter } from '../../optimize/routing/route-prompt.js';
import { readRouter } from '../../optimize/routing/router-file.js';
import { createLocalHashEmbedder } from '../../optimize/semantic-cache/local-hash-embedder.js';

const gsm8k = gsm8kOutcomes();

/** `frugal eval --json` of one config in `directory` over the questions, replayed from gsm8k.outcomes.jsonl. */
async function evalOver(
  directory: string,
  questions: readonly OutcomeQuery[],
  candidates: readonly string[],
) {
  const config = join(directory, 'eval.yaml');
  const files = {
    [join(directory, 'rows.json')]: JSON.stringify(
      questions.map((query) => ({ id: query.id, inputs: { question: query.prompt } })),
    ),
    [config]: [
      'dataset: rows.json',
      'candidates:',
      ...candidates.map((candidate) => `  - ${candidate}`),
      'scorers: [{ type: length, name: words, unit: words, max: 2000 }]',
      'providers: { replay: { outcomes: gsm8k.outcomes.jsonl } }',
      'cache: false',
      '',
    ].join('\n'),
  };
  const { code, stdout, stderr } = await runCli(
    ['eval', config, '--store', join(directory, 'l.db'), '--json'],
    {
      cwd: directory,
      files,
    },
  );
  expect([code, stderr]).toEqual([0, '']);
  return JSON.parse(stdout);
}

type Row = { rowId: string; output: string; usage: { input: number }; cost: string };

describe('trained cascades and routers as live eval candidates', () => {
  it('reproduces the offline cascade on the held-out queries exactly: same stages answering, same cost', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-cascade-eval-'));
    const outcomes = writeOutcomes(gsm8k);
    writeFileSync(join(directory, 'gsm8k.outcomes.jsonl'), outcomes);
    const trained = await runCli(
      [
        'cascade',
        'train',
        '--outcomes',
        'gsm8k.outcomes.jsonl',
        '--output',
        'cascade.json',
        '--budget',
        '0.002',
        '--json',
      ],
      { cwd: directory, files: { 'gsm8k.outcomes.jsonl': outcomes } },
    );
    expect([trained.code, trained.stderr]).toEqual([0, '']);
    const offline = JSON.parse(trained.stdout);
    expect(offline.stages).toEqual([routeLlmWeak, routeLlmStrong]);

    // The test split, as `frugal cascade` held it out, each query a dataset row.
    const test = heldOutSplit(gsm8k.queries.length, 42).test.map((index) => gsm8k.queries[index]!);
    const cascade = (stream: boolean) =>
      `{ file: cascade.json, models: [${JSON.stringify(`replay/${routeLlmWeak}`)}, ${JSON.stringify(`replay/${routeLlmStrong}`)}] }` +
      (stream ? ', stream: true' : '');
    const result = await evalOver(directory, test, [
      `{ name: cascade, cascade: ${cascade(false)} }`,
      `{ name: cascade-streamed, cascade: ${cascade(true)} }`,
    ]);
    const byId = new Map(test.map((query) => [query.id, query]));
    for (const name of ['cascade', 'cascade-streamed']) {
      const run = result.runs.find((entry: { candidate: string }) => entry.candidate === name);
      expect(run.model).toBe(`cascade/replay/${routeLlmWeak}>replay/${routeLlmStrong}`);
      const rows: Row[] = result.rows[run.id];
      expect(rows).toHaveLength(test.length);
      let cost = 0n;
      let quality = 0;
      let escalated = 0;
      for (const row of rows) {
        const query = byId.get(row.rowId)!;
        const weak = query.outcomes[routeLlmWeak]!;
        const strong = query.outcomes[routeLlmStrong]!;
        // Each stage tried is its own priced span: the weak one's tokens alone, or both models' tokens.
        const answeredByWeak = row.usage.input === weak.inputTokens;
        if (!answeredByWeak) expect(row.usage.input).toBe(weak.inputTokens! + strong.inputTokens!);
        expect(row.output).toBe((answeredByWeak ? weak : strong).response);
        quality += (answeredByWeak ? weak : strong).score;
        escalated += answeredByWeak ? 0 : 1;
        cost += BigInt(row.cost);
      }
      // The same stages answered as in the offline evaluation, so the same quality, and the cost to the pico-dollar.
      expect(cost).toBe(BigInt(offline.cascade.cost));
      expect(quality / rows.length).toBeCloseTo(offline.cascade.quality, 12);
      expect(escalated / rows.length).toBeCloseTo(offline.cascade.answeredAt[1], 12);
      expect(escalated).toBeGreaterThan(0);
      expect(escalated).toBeLessThan(rows.length);
    }
  }, 120_000);

  it('a trained router as a live candidate sends each question where the router scores it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-router-eval-'));
    const outcomes = writeOutcomes(gsm8k);
    writeFileSync(join(directory, 'gsm8k.outcomes.jsonl'), outcomes);
    const trained = await runCli(
      ['route', 'train', '--outcomes', 'gsm8k.outcomes.jsonl', '--output', 'router.json', '--json'],
      { cwd: directory, files: { 'gsm8k.outcomes.jsonl': outcomes } },
    );
    expect([trained.code, trained.stderr]).toEqual([0, '']);
    const file = join(directory, 'router.json');
    const route = createPromptRouter(readRouter(readFileSync(file, 'utf8'), file), createLocalHashEmbedder());
    const test = heldOutSplit(gsm8k.queries.length, 42)
      .test.slice(0, 60)
      .map((index) => gsm8k.queries[index]!);
    const result = await evalOver(directory, test, [
      `{ name: routed, router: { file: router.json, strong: ${JSON.stringify(`replay/${routeLlmStrong}`)}, weak: ${JSON.stringify(`replay/${routeLlmWeak}`)} } }`,
    ]);
    const rows: Row[] = result.rows[result.runs[0].id];
    const chosen = new Set<string>();
    for (const row of rows) {
      const query = test.find((entry) => entry.id === row.rowId)!;
      const { model } = await route(query.prompt.trim());
      chosen.add(model);
      expect(row.output).toBe(query.outcomes[model]!.response);
      expect(row.usage.input).toBe(query.outcomes[model]!.inputTokens);
    }
    expect(chosen).toEqual(new Set([routeLlmStrong, routeLlmWeak]));
  }, 120_000);

  it('refuses a cascade candidate it cannot serve, naming the file and the path', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-cascade-bad-'));
    writeFileSync(join(directory, 'not-a-cascade.json'), '{"frugal_router":1}');
    const config = (candidate: string) =>
      ['dataset: rows.json', 'candidates:', `  - ${candidate}`, 'scorers: [exact_match]', ''].join('\n');
    const cases: [string, RegExp][] = [
      [
        '{ name: a, model: sim/small, cascade: { file: c.json } }',
        /eval\.yaml at candidates\[0\]: expected exactly one of model/,
      ],
      ['{ name: a }', /at candidates\[0\]: expected exactly one of model/],
      ['{ name: a, cascade: { file: missing.json } }', /missing\.json: cannot read the cascade file/],
      [
        '{ name: a, cascade: { file: not-a-cascade.json } }',
        /not-a-cascade\.json at frugal_cascade: not a frugal cascade file/,
      ],
    ];
    for (const [candidate, message] of cases) {
      const files = {
        [join(directory, 'eval.yaml')]: config(candidate),
        [join(directory, 'rows.json')]: JSON.stringify([{ inputs: { question: 'hi' } }]),
      };
      const { code, stderr } = await runCli(
        ['eval', join(directory, 'eval.yaml'), '--store', join(directory, 'l.db')],
        { cwd: directory, files },
      );
      expect(code, candidate).toBe(2);
      expect(stderr, candidate).toMatch(message);
    }
  });
});
