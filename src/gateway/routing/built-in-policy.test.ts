import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gsm8kOutcomes } from '../../../test/support/routellm-gsm8k.js';
import { routeLlmStrong, routeLlmWeak } from '../../optimize/outcomes/import-routellm.js';
import type { OutcomeSet } from '../../optimize/outcomes/outcome-set.js';
import { writeOutcomes } from '../../optimize/outcomes/write-outcomes.js';
import { scorePrompts, trainRouter } from '../../optimize/routing/learned-router.js';
import { createPromptRouter } from '../../optimize/routing/route-prompt.js';
import { writeRouter } from '../../optimize/routing/router-file.js';
import { createLocalHashEmbedder } from '../../optimize/semantic-cache/local-hash-embedder.js';
import { startTestGateway, type TestGateway } from '../gateway-test-harness.js';

const gsm8k = gsm8kOutcomes();
const embedder = createLocalHashEmbedder({ dimensions: 128 });
const directory = mkdtempSync(join(tmpdir(), 'frugal-policy-'));
const outcomesFile = join(directory, 'gsm8k.outcomes.jsonl');
writeFileSync(outcomesFile, writeOutcomes(gsm8k));
const heldOut = gsm8k.queries.slice(1_000, 1_040);

const replay = (model: string) =>
  `    - { model_name: ${JSON.stringify(model)}, provider: replay, model: ${JSON.stringify(model)}, outcomes: ${JSON.stringify(outcomesFile)} }\n`;
const yaml = (policies: string, policy: string) =>
  `gateway:\n  model_list:\n${replay(routeLlmStrong)}${replay(routeLlmWeak)}  router: { policy: ${policy}, retries: 0 }\n  cache: { enabled: false }\n  policies:\n${policies}`;
const chat = (content: string, model = 'frugal/auto') => ({ model, messages: [{ role: 'user', content }] });

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.gateway.close();
  gateway = undefined;
});

/** A k-NN router trained on the first 1,000 GSM8K queries, its threshold at the median of the held-out scores. */
async function routerFile(set: OutcomeSet): Promise<{ path: string; threshold: number }> {
  const trained = await trainRouter(
    set,
    Array.from({ length: 1_000 }, (_, index) => index),
    {
      embedder,
      strong: routeLlmStrong,
      weak: routeLlmWeak,
    },
  );
  const scores = [
    ...(await scorePrompts(
      trained,
      embedder,
      heldOut.map((query) => query.prompt),
    )),
  ].sort();
  const threshold = scores[scores.length / 2]!;
  const path = join(directory, 'router.json');
  writeFileSync(path, writeRouter({ ...trained, threshold }));
  return { path, threshold };
}

describe('built-in routing policies over replayed outcomes', () => {
  it('a learned router sends each frugal/auto prompt where it scores, answered from the recorded outcomes', async () => {
    const { path } = await routerFile(gsm8k);
    gateway = await startTestGateway(yaml(`    auto: { learned: ${JSON.stringify(path)} }\n`, 'auto'));
    const route = createPromptRouter(
      (await import('../../optimize/routing/router-file.js')).readRouter(readFileSync(path, 'utf8'), path),
      embedder,
    );
    const chosen = new Set<string>();
    const ids: string[] = [];
    for (const query of heldOut.slice(0, 12)) {
      const expected = await route(query.prompt);
      chosen.add(expected.model);
      const reply = await gateway.post('/v1/chat/completions', chat(query.prompt));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('x-frugal-simulated')).toBe('true');
      const body = reply.json();
      expect(body.choices[0].message.content).toBe(query.outcomes[expected.model]!.response);
      expect(body.usage.prompt_tokens).toBe(query.outcomes[expected.model]!.inputTokens);
      ids.push(reply.headers.get('x-frugal-request-id')!);
    }
    // The threshold sits at the median: both models get some of the prompts.
    expect(chosen).toEqual(new Set([routeLlmStrong, routeLlmWeak]));
    const traces = await gateway.closeAndRead(ids);
    const span = traces[0]![0]!;
    expect(span.attributes['frugal.route.requested_model']).toBe('frugal/auto');
    expect(String(span.attributes['frugal.route.reason'])).toMatch(
      /^learned knn router: -?\d\.\d{4} [≥<] threshold/,
    );
    expect(span.simulated).toBe(true);
    expect(span.cost).toMatchObject({ status: 'priced' });
    expect(span.cost?.status === 'priced' && span.cost.total).toBeGreaterThan(0n);
  });

  it('a tier table routes by prompt length and keywords; other model names pass untouched', async () => {
    const tiers =
      `    tiers3:\n      model: frugal/tiers\n      tiers:\n` +
      `        - { model: ${JSON.stringify(routeLlmWeak)}, max_prompt_tokens: 60, skip_if: "\\\\bpercent" }\n` +
      `        - { model: ${JSON.stringify(routeLlmStrong)} }\n`;
    gateway = await startTestGateway(yaml(tiers, 'tiers3'));
    const short = gsm8k.queries.find(
      (query) => query.prompt.length < 200 && !/\bpercent/i.test(query.prompt),
    )!;
    const long = gsm8k.queries.find((query) => query.prompt.length > 400)!;
    const keyword = gsm8k.queries.find(
      (query) => query.prompt.length < 200 && /\bpercent/i.test(query.prompt),
    )!;
    for (const [query, model] of [
      [short, routeLlmWeak],
      [long, routeLlmStrong],
      [keyword, routeLlmStrong],
    ] as const) {
      const reply = await gateway.post('/v1/chat/completions', chat(query.prompt, 'frugal/tiers'));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json().choices[0].message.content).toBe(query.outcomes[model]!.response);
    }
    const streamed = await gateway.post('/v1/chat/completions', {
      ...chat(short.prompt, routeLlmStrong),
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.status).toBe(200);
    const events = streamed.text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)));
    const content = events.map((event) => event.choices?.[0]?.delta?.content ?? '').join('');
    expect(content).toBe(short.outcomes[routeLlmStrong]!.response);
    expect(events.at(-1).usage.completion_tokens).toBe(short.outcomes[routeLlmStrong]!.outputTokens);
    const direct = await gateway.post('/v1/chat/completions', chat(long.prompt, routeLlmWeak));
    expect(direct.json().choices[0].message.content).toBe(long.outcomes[routeLlmWeak]!.response);
    const unknown = await gateway.post(
      '/v1/chat/completions',
      chat('a prompt nobody recorded', routeLlmWeak),
    );
    expect(unknown.status).toBe(502);
    expect(unknown.json().error.message).toMatch(/no recorded outcome in 'gsm8k'/);
  });

  it('refuses a bad policy at start, naming the config path', async () => {
    await expect(
      startTestGateway(yaml('    auto: { learned: /nonexistent/router.json }\n', 'auto')),
    ).rejects.toThrow(/frugal\.yaml at gateway\.policies\.auto\.learned: cannot read the router file/);
    await expect(startTestGateway(yaml('    t: { tiers: [{ model: gpt-9 }] }\n', 't'))).rejects.toThrow(
      /gateway\.policies\.t\.tiers\[0\]\.model: expected a model_name from gateway\.model_list, found 'gpt-9'/,
    );
    await expect(
      startTestGateway(yaml('    t: { tiers: [{ model: gpt-9 }], learned: x.json }\n', 't')),
    ).rejects.toThrow(/gateway\.policies\.t: expected exactly one of learned/);
    await expect(
      startTestGateway(
        `gateway:\n  model_list:\n    - { model_name: m, provider: replay, model: m, outcomes: ${JSON.stringify(outcomesFile)} }\n`,
      ),
    ).rejects.toThrow(/gateway\.model_list\[0\]\.model: replay: 'm' is not in outcomes 'gsm8k'/);
  });
});

describe('a cascade policy over replayed outcomes', () => {
  /** A cascade trained on GSM8K (budget $0.002 a question) saved to a file, with a judge of its stages. */
  async function trainedCascade(name: string) {
    const { evaluateCascade } = await import('../../optimize/cascade/evaluate-cascade.js');
    const { createStageJudge, writeCascade } = await import('../../optimize/cascade/trained-cascade.js');
    const evaluation = await evaluateCascade(gsm8k, {
      embedder,
      goal: { kind: 'budget', perQueryAtMost: 2_000_000_000n },
    });
    const path = join(directory, name);
    writeFileSync(path, writeCascade(evaluation.trained));
    const [weak, strong] = evaluation.trained.stages as [string, string];
    return { path, weak, strong, judge: createStageJudge(evaluation.trained, embedder) };
  }

  it('asks each stage as its own priced call until one is kept; the reply reports every stage tried', async () => {
    const { outcomeCosts, heldOutSplit } = await import('../../optimize/routing/evaluate-router.js');
    const { formatUsd } = await import('../../core/money.js');
    const { path, weak, strong, judge } = await trainedCascade('cascade.json');
    gateway = await startTestGateway(yaml(`    casc: { cascade: ${JSON.stringify(path)} }\n`, 'casc'));
    const costs = { [weak]: outcomeCosts(gsm8k, weak)!, [strong]: outcomeCosts(gsm8k, strong)! };
    const test = heldOutSplit(gsm8k.queries.length, 42).test.slice(0, 16);
    const ids: string[] = [];
    const escalated: boolean[] = [];
    for (const [n, index] of test.entries()) {
      const query = gsm8k.queries[index]!;
      const kept = (await judge(0, query.prompt.trim(), query.outcomes[weak]!.response!)).accepted;
      escalated.push(!kept);
      const answering = kept ? weak : strong;
      const cost = costs[weak]![index]! + (kept ? 0n : costs[strong]![index]!);
      const stream = n % 2 === 1;
      const reply = await gateway.post('/v1/chat/completions', {
        ...chat(query.prompt),
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('x-frugal-cascade')).toMatch(
        kept
          ? /^stage 1 .* kept: [\d.-]+ >= [\d.-]+$/
          : /^stage 1 .* escalated: [\d.-]+ < [\d.-]+; stage 2 .* answered$/,
      );
      if (stream) {
        const events = reply.text
          .split('\n')
          .filter((line) => line.startsWith('data: {'))
          .map((line) => JSON.parse(line.slice(6)));
        expect(events.map((event) => event.choices?.[0]?.delta?.content ?? '').join('')).toBe(
          query.outcomes[answering]!.response,
        );
        expect(events.at(-1).usage.completion_tokens).toBe(query.outcomes[answering]!.outputTokens);
        expect(reply.text).toMatch(
          new RegExp(`^: .*x-frugal-cost-usd=${formatUsd(cost).replace('.', '\\.')}( |$)`, 'm'),
        );
        expect(reply.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      } else {
        expect(reply.json().choices[0].message.content).toBe(query.outcomes[answering]!.response);
        expect(reply.headers.get('x-frugal-cost-usd')).toBe(formatUsd(cost));
      }
      ids.push(reply.headers.get('x-frugal-request-id')!);
    }
    // Kept and escalated answers, each both whole and streamed (a streamed escalation streams the last stage).
    const kinds = new Set(escalated.map((up, n) => `${up}/${n % 2}`));
    expect(kinds).toEqual(new Set(['true/0', 'true/1', 'false/0', 'false/1']));
    const first = gsm8k.queries[test[0]!]!;
    const messages = await gateway.post('/v1/messages', { ...chat(first.prompt), max_tokens: 500 });
    expect(messages.status, messages.text).toBe(200);
    expect(messages.json().content[0].text).toBe(first.outcomes[escalated[0] ? strong : weak]!.response);
    expect(messages.headers.get('x-frugal-cascade')).toMatch(/^stage 1 /);
    const unknown = await gateway.post('/v1/chat/completions', chat('a prompt nobody recorded'));
    expect(unknown.status).toBe(502);
    const traces = await gateway.closeAndRead(ids);
    for (const [n, trace] of traces.entries()) {
      // One span per stage asked, each priced at its own model; together they are what the client was told.
      // (Stage 2 starts as stage 1 ends: in the same millisecond a trace orders them by when they ended, which
      // for replayed sub-millisecond calls need not be the stages' order.)
      const stage = (span: (typeof trace)[number]) => String(span.attributes['frugal.cascade.stage']);
      const spans = [...trace].sort((a, b) => stage(a).localeCompare(stage(b)));
      expect(spans.map((span) => span.requestModel)).toEqual(escalated[n] ? [weak, strong] : [weak]);
      expect(spans.map((span) => span.attributes['frugal.cascade.stage'])).toEqual(
        escalated[n] ? ['1/2', '2/2'] : ['1/2'],
      );
      for (const span of spans) {
        expect(span.attributes['frugal.route.requested_model']).toBe('frugal/auto');
        expect(span.cost?.status).toBe('priced');
      }
      if (escalated[n])
        expect(String(spans[1]!.attributes['frugal.cascade.escalated_because'])).toMatch(/escalated/);
    }
  }, 60_000);

  it('when the last stage fails, the error reply still reports what the earlier stages cost', async () => {
    const { outcomeCosts } = await import('../../optimize/routing/evaluate-router.js');
    const { formatUsd } = await import('../../core/money.js');
    const { path, weak, judge } = await trainedCascade('cascade-broken.json');
    // The last stage is a deployment nothing listens for (port 9, discard): every call to it is refused.
    const broken =
      '    - { model_name: broken, provider: openai, model: gpt-4o-mini, api_base: "http://127.0.0.1:9/v1", api_key_env: TEST_KEY }\n';
    gateway = await startTestGateway(
      `gateway:\n  model_list:\n${replay(weak)}${broken}  router: { policy: casc, retries: 0 }\n  cache: { enabled: false }\n` +
        `  policies:\n    casc: { cascade: ${JSON.stringify(path)}, models: [${JSON.stringify(weak)}, broken] }\n`,
      { env: { TEST_KEY: 'sk-test' } },
    );
    const costs = outcomeCosts(gsm8k, weak)!;
    let index = -1;
    for (let at = 1_000; at < gsm8k.queries.length && index < 0; at++) {
      const query = gsm8k.queries[at]!;
      if (!(await judge(0, query.prompt.trim(), query.outcomes[weak]!.response!)).accepted) index = at;
    }
    expect(index).toBeGreaterThan(0);
    const reply = await gateway.post('/v1/chat/completions', chat(gsm8k.queries[index]!.prompt));
    expect(reply.status).toBe(502);
    expect(reply.json().error.type).toBe('upstream_error');
    expect(reply.headers.get('x-frugal-cost-usd')).toBe(formatUsd(costs[index]!));
    expect(reply.headers.get('x-frugal-cascade')).toMatch(
      /^stage 1 .* escalated: [\d.-]+ < [\d.-]+; stage 2 broken failed: broken: /,
    );
    const id = reply.headers.get('x-frugal-request-id')!;
    const [trace] = await gateway.closeAndRead([id]);
    const stage = (span: NonNullable<typeof trace>[number]) =>
      String(span.attributes['frugal.cascade.stage']);
    const spans = [...trace!].sort((a, b) => stage(a).localeCompare(stage(b)));
    expect(spans.map((span) => [span.attributes['frugal.cascade.stage'], span.status])).toEqual([
      ['1/2', 'ok'],
      ['2/2', 'error'],
    ]);
    expect(spans[0]!.cost).toEqual(expect.objectContaining({ status: 'priced', total: costs[index]! }));
  }, 60_000);

  it('refuses a cascade whose stages the gateway does not serve', async () => {
    const { writeCascade } = await import('../../optimize/cascade/trained-cascade.js');
    const { createKnnTable } = await import('../../optimize/routing/knn-scorer.js');
    const path = join(directory, 'tiny.cascade.json');
    writeFileSync(
      path,
      writeCascade({
        embedder: embedder.id,
        stages: ['cheap-model', routeLlmStrong],
        thresholds: [0.5],
        acceptance: [createKnnTable([new Float32Array(128).fill(1 / Math.sqrt(128))], [1], 1)],
        seesAnswers: true,
        goal: { kind: 'quality', atLeast: 0.8 },
        trainedOn: { outcomes: 'test', queries: 1 },
      }),
    );
    await expect(
      startTestGateway(yaml(`    c: { cascade: ${JSON.stringify(path)} }\n`, 'c')),
    ).rejects.toThrow(
      /gateway\.policies\.c\.cascade: the cascade asks 'cheap-model', which is not a model_name/,
    );
    await expect(
      startTestGateway(
        yaml(`    c: { cascade: ${JSON.stringify(path)}, models: [${JSON.stringify(routeLlmWeak)}] }\n`, 'c'),
      ),
    ).rejects.toThrow(/gateway\.policies\.c\.models: expected 2 model_names, one per stage/);
    const served = await startTestGateway(
      yaml(
        `    c: { cascade: ${JSON.stringify(path)}, models: [${JSON.stringify(routeLlmWeak)}, ${JSON.stringify(routeLlmStrong)}] }\n`,
        'c',
      ),
    );
    await served.gateway.close();
  });
});
