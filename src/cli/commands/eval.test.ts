import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { openStore } from '../../store/open-store.js';
import { type RecordedRequest, startFakeOpenAIServer } from '../../testing/index.js';

const directory = mkdtempSync(join(tmpdir(), 'frugal-eval-cli-'));
const examples = join(import.meta.dirname, '..', '..', '..', 'examples', 'eval');
const files = {
  'eval.yaml': readFileSync(join(examples, 'eval.yaml'), 'utf8'),
  'eval_data.yaml': readFileSync(join(examples, 'eval_data.yaml'), 'utf8'),
};

const server = await startFakeOpenAIServer({
  reply: (request: RecordedRequest) => {
    const body = request.body as { model: string; messages: { content: string }[] };
    const prompt = body.messages.map((message) => message.content).join('\n');
    const block = /```frugal-judge\n([\s\S]*?)\n```/.exec(prompt);
    if (block) {
      const judgeCase = JSON.parse(block[1] ?? '{}') as { expected_facts?: string[] };
      const facts = (judgeCase.expected_facts ?? []).map((fact) => ({ fact, supported: true }));
      const requests = [{ request: 'the question', addressed: true }];
      return { text: JSON.stringify({ rationale: 'fine', verdict: 'yes', facts, requests }) };
    }
    return {
      text: 'TCP is connection-oriented and guarantees delivery; UDP is connectionless.',
      usage: { input: 50, output: 20 },
    };
  },
});
afterAll(() => server.close());

describe('frugal demo', () => {
  const store = join(directory, 'demo.db');

  it("runs seed 000's comparison offline, labelled simulated, and stores it", async () => {
    const { code, stdout, stderr } = await runCli(['demo', '--store', store]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain("SIMULATED: sim/* models are frugal's offline simulator");
    for (const section of [
      'Metrics',
      'Per question',
      'Token usage and cost',
      'Comparison',
      'Best correctness',
    ]) {
      expect(stdout).toContain(section);
    }
    for (const question of ['What is a database index?', 'Explain how TLS/SSL handshake works.']) {
      expect(stdout).toContain(question);
    }
    expect(stdout).toMatch(/small \(sim\/small\)\s+\d\.\d\d \[/);
    expect(stdout).toContain(`in ${store}`);
    const opened = await openStore(store);
    try {
      const runs = await opened.listRuns({ experiment: 'demo' });
      expect(runs.map((run) => run.candidate).sort()).toEqual(['large', 'medium', 'small']);
      expect(runs.every((run) => run.simulated && run.status === 'completed')).toBe(true);
      for (const run of runs) {
        const results = await opened.listResults(run.id);
        expect(results).toHaveLength(6);
        expect(
          results.every(
            (result) => result.simulated && result.cost !== undefined && result.judgeCost !== undefined,
          ),
        ).toBe(true);
        expect(Object.keys(results[0]?.scores ?? {})).toEqual([
          'correctness',
          'completeness',
          'fact_coverage',
        ]);
        expect(run.metrics['correctness/n']).toBe(6);
        // Cost per run from the traces: 6 candidate + 12 judge calls, every one a simulated span of the run.
        const [spend] = await opened.querySpend({ groupBy: ['run'], filters: { run: [run.id] } });
        expect(spend?.calls).toBe(18);
        const fromResults = results.reduce(
          (sum, result) => sum + (result.cost ?? 0n) + (result.judgeCost ?? 0n),
          0n,
        );
        expect(spend?.cost).toBe(fromResults);
      }
    } finally {
      await opened.close();
    }
  });

  it('lists the runs and compares them again from the store, with the same table', async () => {
    const demo = await runCli(['demo', '--store', store]);
    const runs = await runCli(['runs', '--store', store, '--experiment', 'demo']);
    expect(runs.code).toBe(0);
    expect(runs.stdout.split('\n').filter((line) => line.startsWith('run-'))).toHaveLength(6);
    const compared = await runCli([
      'compare',
      'demo',
      '--store',
      store,
      '--bar',
      '0.8',
      '--volume',
      '100000',
    ]);
    expect(compared.code).toBe(0);
    const table = (text: string) =>
      text.slice(text.indexOf('Comparison ('), text.indexOf('Best correctness'));
    expect(table(compared.stdout)).toBe(table(demo.stdout));
    const csv = (await runCli(['compare', 'demo', '--store', store, '--csv'])).stdout.trim().split('\n');
    expect(csv[0]).toMatch(/^candidate,model,simulated,status,correctness_mean,correctness_ci_low,/);
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
      'small,sim/small,true,completed',
      'medium,sim/medium,true,completed',
      'large,sim/large,true,completed',
    ]);
    const spend = await runCli(['spend', '--by', 'model', '--store', store], { now: Date.now() + 60_000 });
    expect(spend.stdout).toContain('sim/large (simulated)');
    expect(spend.stdout).toContain('sim/judge (simulated)');
    const json = JSON.parse((await runCli(['compare', 'demo', '--store', store, '--json'])).stdout);
    expect(json.candidates).toHaveLength(3);
    expect(typeof json.candidates[0].cost).toBe('string');
    expect(json.simulated).toBe(true);
  });

  it('runs the real comparison with --real: gpt-4o-mini vs gpt-4o over HTTP (here a fake at OPENAI_BASE_URL)', async () => {
    const before = server.requests.length;
    const { code, stdout } = await runCli(['demo', '--real', '--store', join(directory, 'real.db')], {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL },
    });
    expect(code).toBe(0);
    expect(stdout).not.toContain('SIMULATED');
    expect(stdout).toContain('gpt-4o-mini vs gpt-4o');
    const models = server.requests.slice(before).map((request) => (request.body as { model: string }).model);
    // 6 answers from each candidate, and 2 judge calls (correctness, completeness) per answer by gpt-4o-mini.
    expect(models.filter((model) => model === 'gpt-4o')).toHaveLength(6);
    expect(models.filter((model) => model === 'gpt-4o-mini')).toHaveLength(6 + 24);
  });

  it('draws a live progress line on a terminal: rows done per candidate, spend so far, ETA', async () => {
    const { code, stderr } = await runCli(['demo', '--store', join(directory, 'tty.db')], { tty: true });
    expect(code).toBe(0);
    const lines = stderr.split('\r\x1b[2K').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(18);
    expect(lines.at(-1)).toMatch(/^small 6\/6 · medium 6\/6 · large 6\/6 · \$0\.\d+ spent · ETA 0s$/);
    expect(lines.some((line) => /small [0-5]\/6/.test(line))).toBe(true);
  });

  it('refuses --real without OPENAI_API_KEY, and names the variable', async () => {
    const { code, stderr } = await runCli(['demo', '--real', '--store', store]);
    expect(code).toBe(2);
    expect(stderr).toContain('set OPENAI_API_KEY');
  });
});

describe('frugal eval', () => {
  it('runs the example config offline and writes what it stored', async () => {
    const store = join(directory, 'example.db');
    const { code, stdout } = await runCli(['eval', 'eval.yaml', '--store', store], { files });
    expect(code).toBe(0);
    expect(stdout).toContain("experiment 'seed-000-offline', 6 rows × 3 candidates");
    expect(stdout).toContain('brief (95% CI)');
  });

  it('evaluates real provider adapters over HTTP (an OpenAI-compatible fake), with keys from the environment', async () => {
    const store = join(directory, 'openai.db');
    const config = `
dataset: eval_data.yaml
candidates:
  - { name: mini, model: openai/gpt-4o-mini }
  - { name: big, model: openai/gpt-4o, stream: true }
judge: openai/gpt-4o-mini
scorers: [completeness, fact_coverage]
providers:
  openai: { base_url: "${server.baseURL}", max_retries: 0 }
`;
    const { code, stdout, stderr } = await runCli(['eval', 'real.yaml', '--store', store, '--json'], {
      files: { ...files, 'real.yaml': config },
      env: { OPENAI_API_KEY: 'test-key' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.comparison.simulated).toBe(false);
    const mini = report.comparison.candidates.find(
      (candidate: { candidate: string }) => candidate.candidate === 'mini',
    );
    // 6 answers of 50 + 20 tokens at gpt-4o-mini's $0.15 / $0.60 per 1M tokens.
    expect(mini.cost).toBe(String(6n * (50n * 150_000n + 20n * 600_000n)));
    expect(mini.scores.fact_coverage.mean).toBeGreaterThan(0);
    expect(
      server.requests.some((request) => (request.headers['authorization'] ?? '') === 'Bearer test-key'),
    ).toBe(true);
  });

  it('reports what a partly failed run has: the failed row is shown and counted, the rest scored', async () => {
    const failing = await startFakeOpenAIServer({
      reply: (request: RecordedRequest) => {
        const body = request.body as { messages: { content: string }[] };
        const prompt = body.messages.map((message) => message.content).join('\n');
        return prompt.includes('race condition')
          ? { error: { status: 400, message: 'content policy' } }
          : { text: 'It is a data structure; connection-oriented TCP, connectionless UDP.' };
      },
    });
    try {
      const config = `dataset: eval_data.yaml
candidates: [{ name: mini, model: openai/gpt-4o-mini }]
scorers: [fact_coverage]
providers: { openai: { base_url: "${failing.baseURL}" } }
`;
      const { code, stdout } = await runCli(
        ['eval', 'partial.yaml', '--no-cache', '--store', join(directory, 'partial.db')],
        {
          files: { ...files, 'partial.yaml': config },
          env: { OPENAI_API_KEY: 'k' },
        },
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/What is a race condition\?\s+failed/);
      expect(stdout).toMatch(/mini \(openai\/gpt-4o-mini\)\s+\d\.\d\d \[[^\]]+\] \(1 err\)/);
    } finally {
      await failing.close();
    }
  });

  it('stops cleanly at its budget cap, then --resume continues the same runs and answers only what is missing', async () => {
    const store = join(directory, 'resume.db');
    const config = (budget: string) => `experiment: resumable
dataset: eval_data.yaml
candidates: [{ name: small, model: sim/small, parameters: { max_tokens: 200 } }]
judge: sim/judge
scorers: [correctness]
budget_usd: ${budget}
`;
    const first = await runCli(['eval', 'r.yaml', '--no-cache', '--store', store], {
      files: { ...files, 'r.yaml': config('0.0008') },
    });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/small's run (run-\w+) is stopped/);
    const runId = /small's run (run-\w+) is stopped/.exec(first.stdout)?.[1] as string;
    const opened = await openStore(store);
    const before = (await opened.listResults(runId)).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(6);
    await opened.close();

    const resumedAt = Date.now();
    const second = await runCli(['eval', 'r.yaml', '--resume', '--no-cache', '--store', store], {
      files: { ...files, 'r.yaml': config('1.00') },
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`runs ${runId} in`);
    const reopened = await openStore(store);
    try {
      expect((await reopened.getRun(runId))?.status).toBe('completed');
      expect(await reopened.listResults(runId)).toHaveLength(6);
      // The resume asked only for the missing rows: one candidate and one judge call each.
      const spans = await reopened.querySpend({
        groupBy: ['run'],
        filters: { run: [runId] },
        from: resumedAt,
      });
      expect(spans[0]?.calls).toBe(2 * (6 - before));
    } finally {
      await reopened.close();
    }
  });

  it.each([
    [['eval'], 'name an eval config'],
    [['eval', 'missing.yaml'], "cannot read 'missing.yaml'"],
    [['eval', 'bad.yaml'], 'bad.yaml at candidates[0].model: expected a model as provider/model'],
    [
      ['eval', 'nokey.yaml'],
      "nokey.yaml at candidates[0].model: provider 'openai' needs an API key (usually in OPENAI_API_KEY)",
    ],
    [['eval', 'baddata.yaml'], 'rows[0]'],
    [['eval', 'nosim.yaml'], "nosim.yaml at candidates[0].model: no simulated model 'huge'"],
    [['eval', 'noprovider.yaml'], "noprovider.yaml at candidates[0].model: unknown provider 'acme'"],
    [['eval', 'noscorer.yaml'], 'noscorer.yaml at scorers[0]: expected a scorer'],
  ])('explains bad input: %j', async (argv, message) => {
    const { code, stderr } = await runCli([...argv, '--store', join(directory, 'bad.db')], {
      files: {
        ...files,
        'bad.yaml':
          'dataset: eval_data.yaml\ncandidates: [{ name: a, model: gpt-4o }]\nscorers: [fact_coverage]\n',
        'nokey.yaml':
          'dataset: eval_data.yaml\ncandidates: [{ name: a, model: openai/gpt-4o }]\nscorers: [fact_coverage]\n',
        'baddata.yaml':
          'dataset: broken.yaml\ncandidates: [{ name: a, model: sim/small }]\nscorers: [fact_coverage]\n',
        'broken.yaml': '- { input: { question: hi } }\n',
        'nosim.yaml':
          'dataset: eval_data.yaml\ncandidates: [{ name: a, model: sim/huge }]\nscorers: [fact_coverage]\n',
        'noprovider.yaml':
          'dataset: eval_data.yaml\ncandidates: [{ name: a, model: acme/x }]\nscorers: [fact_coverage]\n',
        'noscorer.yaml':
          'dataset: eval_data.yaml\ncandidates: [{ name: a, model: sim/small }]\nscorers: [bleu]\n',
      },
    });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
