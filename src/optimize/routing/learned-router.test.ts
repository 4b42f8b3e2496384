import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { importRouteLlmCorrectness, routeLlmStrong, routeLlmWeak } from '../outcomes/import-routellm.js';
import type { OutcomeSet } from '../outcomes/outcome-set.js';
import { createLocalHashEmbedder } from '../semantic-cache/local-hash-embedder.js';
import { evaluateRouter, splitQueries } from './evaluate-router.js';
import { scorePrompts, trainRouter } from './learned-router.js';
import { readRouter, writeRouter } from './router-file.js';

const file = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'routellm',
  'mmlu_gpt4_mixtral.jsonl',
);
const mmlu = importRouteLlmCorrectness(readFileSync(file, 'utf8'), file, 'mmlu');
// A seeded sample of 4,000 MMLU queries keeps the k-NN evaluation to a few seconds.
const sample: OutcomeSet = {
  ...mmlu,
  queries: splitQueries(mmlu.queries.length, { seed: 7, testShare: 4_000 / mmlu.queries.length }).test.map(
    (index) => mmlu.queries[index]!,
  ),
};
const embedder = createLocalHashEmbedder({ dimensions: 256 });
const pair = { strong: routeLlmStrong, weak: routeLlmWeak };

describe('learned routers on MMLU (RouteLLM outcomes, held-out queries)', () => {
  it.each(['knn', 'logistic'] as const)(
    '%s beats the random router by more than its bootstrap interval',
    async (kind) => {
      const evaluation = await evaluateRouter(sample, { embedder, ...pair, kind, resamples: 200 });
      expect(evaluation.split).toEqual({ train: 2_800, validation: 400, test: 800, seed: 42 });
      const [low, high] = evaluation.apgrInterval;
      expect(low).toBeGreaterThan(0.5);
      expect(high).toBeGreaterThan(evaluation.learned.apgr);
      // 200 random routers average APGR 0.5 and CPT(50%) 50%; the learned one does clearly better.
      expect(Math.abs(evaluation.randomRouters.apgr - 0.5)).toBeLessThan(0.02);
      expect(evaluation.randomRouters.cpt50).toBeGreaterThan(0.45);
      expect(evaluation.learned.apgr).toBeGreaterThan(evaluation.randomRouters.apgr + 0.05);
      expect(evaluation.learned.cpt50!).toBeLessThan(evaluation.randomRouters.cpt50 - 0.05);
      // The oracle bounds every router from above.
      expect(evaluation.oracle.apgr).toBeGreaterThan(evaluation.learned.apgr);
      // The threshold chosen on validation queries for 80% of the gap gives about that on the test queries.
      expect(evaluation.operatingPoint.pgr).toBeGreaterThan(0.6);
      expect(evaluation.operatingPoint.strongShare).toBeLessThan(0.95);
    },
  );

  it('scores the same after a round trip through its file, and refuses another embedder', async () => {
    const train = Array.from({ length: 600 }, (_, index) => index);
    const prompts = sample.queries.slice(600, 650).map((query) => query.prompt);
    for (const kind of ['knn', 'logistic'] as const) {
      const router = { ...(await trainRouter(sample, train, { embedder, ...pair, kind })), threshold: 0.25 };
      const again = readRouter(writeRouter(router), 'router.json');
      expect(again.threshold).toBe(0.25);
      expect(await scorePrompts(again, embedder, prompts)).toEqual(
        await scorePrompts(router, embedder, prompts),
      );
      await expect(
        scorePrompts(router, createLocalHashEmbedder({ dimensions: 128 }), prompts),
      ).rejects.toThrow(/trained with embedder 'local\/hash-v1-256'/);
    }
  });

  it('says which model or file is wrong', async () => {
    await expect(
      trainRouter(sample, [0, 1], { embedder, strong: 'gpt-5', weak: routeLlmWeak }),
    ).rejects.toThrow(/'gpt-5' is not one of the outcome set's models/);
    expect(() => readRouter('{"frugal_router":1,"kind":"tree"}', 'r.json')).toThrow(ConfigError);
    expect(() => readRouter('{"frugal_router":1,"kind":"tree"}', 'r.json')).toThrow(
      /r\.json at kind: expected one of knn, logistic/,
    );
    expect(() => readRouter('nope', 'r.json')).toThrow(/r\.json: malformed JSON/);
  });
});
