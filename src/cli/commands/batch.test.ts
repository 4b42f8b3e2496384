import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { formatUsd } from '../../core/money.js';
import {
  closeFakeOpenAIBatchServers,
  type FakeOpenAIBatchServerOptions,
  startFakeOpenAIBatchServer,
} from '../../testing/fake-openai-batch-server.js';
import type { RecordedRequest } from '../../testing/fake-reply.js';

afterEach(closeFakeOpenAIBatchServers);

const itemsFile = [
  '{"id": "q1", "prompt": "What is 1 squared?", "expected": "1"}',
  '{"id": "q2", "prompt": "What is 2 squared?", "expected": "4"}',
  '',
  '{"id": 3, "prompt": "What is 3 squared?", "expected": "9"}',
].join('\n');

/** Follows the packed format when asked several items; usage: 1 token per 4 characters of prompt, 5 out. */
function squares(request: RecordedRequest) {
  const messages = (request.body as { messages: { content: string }[] }).messages;
  const prompt = messages.at(-1)!.content;
  const square = (text: string) => String(Number(/What is (\d+)/.exec(text)![1]) ** 2);
  const packed = [...prompt.matchAll(/<item id="(\d+)">\n([\s\S]*?)\n<\/item>/g)];
  const text = packed.length
    ? JSON.stringify(packed.map((match) => ({ item: Number(match[1]), answer: square(match[2]!) })))
    : square(prompt);
  const chars = messages.reduce((sum, message) => sum + message.content.length, 0);
  return { text, usage: { input: Math.ceil(chars / 4), output: 5 } };
}

async function run(args: string[], options: FakeOpenAIBatchServerOptions = {}) {
  const server = await startFakeOpenAIBatchServer({
    reply: { text: 'ok', usage: { input: 1000, output: 100 } },
    ...options,
  });
  const argv = [
    'batch',
    'run',
    '--input',
    'items.jsonl',
    '--base-url',
    server.baseURL,
    '--poll-interval',
    '0.001',
  ];
  const result = await runCli([...argv, ...args], {
    files: { 'items.jsonl': itemsFile },
    env: { OPENAI_API_KEY: 'sk-test' },
  });
  return { ...result, server };
}

// gpt-4o-mini per call of 1000 in / 100 out: standard 1000 × 0.15 + 100 × 0.60 = $0.00021, batch half: $0.000105.
describe('frugal batch run (Batch API)', () => {
  it('prints the answers, the exact costs at batch and standard prices, and the saving', async () => {
    const { code, stdout, stderr } = await run(['--model', 'openai/gpt-4o-mini']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^frugal batch: 3 items through the Batch API: openai\/gpt-4o-mini at http:\/\/127\.0\.0\.1:\d+\/v1, batch batch_fake\d+ completed/,
    );
    expect(stdout).toMatch(/^q1 +batch +ok$/m);
    expect(stdout).toMatch(/^3 +batch +ok$/m);
    expect(stdout).toMatch(/^batch, at batch prices +3 +3,000 +300 +\$0\.000315$/m);
    expect(stdout).toMatch(/^one call per item +3 +3,000 +300 +\$0\.00063$/m);
    expect(stdout).toContain('Saving: $0.000315 (50.0%) of one call per item.');
    expect(stderr).toMatch(
      /^batch batch_fake\d+ submitted \(3 requests\)\n(batch batch_fake\d+: .*\n)*batch batch_fake\d+: completed \(3\/3 done\)\n$/,
    );
  });

  it('retries the failed line alone (or, with --no-retry, reports it and exits 1)', async () => {
    const failLines = { q2: { status: 500, message: 'The server had an error' } };
    const retried = await run(['--model', 'openai/gpt-4o-mini', '--json'], { failLines });
    expect(retried.code).toBe(0);
    const json = JSON.parse(retried.stdout);
    expect(json.items.map((item: { via: string }) => item.via)).toEqual(['batch', 'retry', 'batch']);
    expect(json.costs['retries, one call each']).toMatchObject({ calls: 1, cost_usd: '0.00021' });
    expect(json.saving_usd).toBe(formatUsd(2n * (210_000_000n - 105_000_000n)));
    const kept = await run(['--model', 'openai/gpt-4o-mini', '--no-retry'], { failLines });
    expect(kept.code).toBe(1);
    expect(kept.stdout).toMatch(/^q2 +failed +\(The server had an error\)$/m);
  });
});

describe('frugal batch run --pack', () => {
  it('packs items per prompt and, with --compare, measures the saving and the quality', async () => {
    const { code, stdout, server } = await run(
      ['--model', 'openai/gpt-4o-mini', '--pack', '3', '--compare', '--system', 'x'.repeat(400)],
      {
        reply: squares,
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^packed calls +1 /m);
    expect(stdout).toMatch(/^one call per item \(--compare\) +3 /m);
    expect(stdout).toMatch(/^Saving: \$0\.\d+ \(\d+\.\d%\) of one call per item\.$/m);
    expect(stdout).toContain('Quality (exact match with "expected"): packed 1.00, one call per item 1.00.');
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(4);
  });

  it('runs offline on the simulator, says so, and reports the extra cost when the model ignores the format', async () => {
    const { code, stdout } = await runCli(
      ['batch', 'run', '--input', 'items.jsonl', '--model', 'sim/small', '--pack', '2', '--compare'],
      {
        files: { 'items.jsonl': itemsFile },
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^q1 +retry +/m);
    expect(stdout).toMatch(/^Extra cost: \$0\.\d+ \(\d+\.\d%\) more than one call per item\.$/m);
    expect(stdout).toContain("SIMULATED: sim/* models are frugal's offline simulator, not real models.");
  });
});

describe('frugal batch: bad input', () => {
  const cli = (args: string[], file = itemsFile) =>
    runCli(['batch', ...args], { files: { 'items.jsonl': file } });
  it.each([
    [['list'], "frugal batch: expected 'run', got 'list' (see 'frugal batch --help')"],
    [['run', '--model', 'sim/small'], 'frugal batch: --input ITEMS.jsonl is required'],
    [
      ['run', '--input', 'items.jsonl', '--model', 'gpt-4o'],
      "frugal batch: --model must be provider/model, got 'gpt-4o'",
    ],
    [
      ['run', '--input', 'items.jsonl', '--model', 'sim/small'],
      'frugal batch: sim models have no OpenAI Batch API; use --pack N',
    ],
    [
      ['run', '--input', 'items.jsonl', '--model', 'sim/small', '--pack', '0'],
      "frugal batch: --pack must be an integer ≥ 1, got '0'",
    ],
    [
      ['run', '--input', 'items.jsonl', '--model', 'openai/gpt-4o-mini'],
      "frugal batch: provider 'openai' needs an API key (usually in OPENAI_API_KEY)",
    ],
    [
      ['run', '--input', 'nope.jsonl', '--model', 'sim/small', '--pack', '2'],
      "cannot read 'nope.jsonl': no such file",
    ],
  ])('%j', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([
    ['{"id": "a", "prompt": "x"}\n{"id": "b", "promt": "y"}', "items.jsonl:2: unknown field 'promt'"],
    [
      '{"id": "a", "prompt": "x"}\n\n{"id": "a", "prompt": "y"}',
      "items.jsonl:3: id 'a' is already used on line 1",
    ],
    ['{"id": "a", "prompt": ""}', 'items.jsonl:1: \'prompt\' must be a non-empty string, got ""'],
    ['{"id": "a", "prompt": "x"', 'items.jsonl:1: not JSON ('],
    ['\n\n', 'items.jsonl: no items (expected one JSON object per line)'],
  ])('names the file and line: %j', async (file, message) => {
    const { code, stderr } = await cli(
      ['run', '--input', 'items.jsonl', '--model', 'sim/small', '--pack', '2'],
      file,
    );
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('prints its help', async () => {
    const { code, stdout } = await runCli(['batch', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: frugal batch run --input ITEMS\.jsonl --model PROVIDER\/MODEL/);
  });
});
