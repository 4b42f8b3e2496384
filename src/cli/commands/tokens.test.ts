import { describe, expect, it } from 'vitest';
import { cookbookConversation as cookbookMessages } from '../../../test/fixtures/cookbook-conversation.js';
import { runCli } from '../../../test/support/memory-io.js';

const cookbookConversation = JSON.stringify(cookbookMessages);

const weatherRequest = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    {
      role: 'system',
      content: 'You are a helpful assistant that can answer to questions about the weather.',
    },
    { role: 'user', content: "What's the weather like in San Francisco?" },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_current_weather',
        description: 'Get the current weather in a given location',
        parameters: {
          type: 'object',
          properties: {
            location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
            unit: {
              type: 'string',
              description: 'The unit of temperature to return',
              enum: ['celsius', 'fahrenheit'],
            },
          },
          required: ['location'],
        },
      },
    },
  ],
});

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('frugal tokens', () => {
  it('counts a file for a model, as JSON', async () => {
    const result = await runCli(['tokens', '--model', 'gpt-4', '--json', 'note.txt'], {
      files: { 'note.txt': 'tiktoken is great!' },
    });
    expect(result).toEqual({
      code: 0,
      stdout: '{"model":"gpt-4","encoding":"cl100k_base","tokens":6,"exact":true}\n',
      stderr: '',
    });
  });

  it('reads standard input by default, or with -, and prints one line for people', async () => {
    for (const argv of [
      ['tokens', '--model', 'openai/gpt-4o'],
      ['tokens', '--model', 'openai/gpt-4o', '-'],
    ]) {
      const result = await runCli(argv, { stdin: 'hello world' });
      expect(result).toEqual({
        code: 0,
        stdout: '2 tokens for openai/gpt-4o (o200k_base, exact)\n',
        stderr: '',
      });
    }
  });

  it('without a model counts o200k_base tokens', async () => {
    const result = await runCli(['tokens', '--json'], { stdin: 'hello world' });
    expect(json(result.stdout)).toEqual({
      model: null,
      encoding: 'o200k_base',
      tokens: 2,
      exact: true,
      note: 'no model given: o200k_base tokens',
    });
  });

  it('labels an estimate, in JSON and in the summary line', async () => {
    const asJson = await runCli(['tokens', '--model', 'claude-sonnet-4-5', '--json'], {
      stdin: 'hello world',
    });
    expect(json(asJson.stdout)).toMatchObject({
      model: 'claude-sonnet-4-5',
      encoding: 'o200k_base',
      exact: false,
    });
    const line = await runCli(['tokens', '--model', 'mystery-model'], { stdin: 'hello world' });
    expect(line.stdout).toBe(
      "2 tokens for mystery-model (o200k_base, estimate: unknown model 'mystery-model': o200k_base stand-in (on English text it counted 0.3-14% fewer tokens than five other tokenizers))\n",
    );
  });

  it('counts chat messages in OpenAI format: the cookbook conversation is 124 tokens on gpt-4o', async () => {
    const result = await runCli(['tokens', '--messages', '--model', 'gpt-4o', '--json', 'chat.json'], {
      files: { 'chat.json': cookbookConversation },
    });
    expect(json(result.stdout)).toEqual({
      model: 'gpt-4o',
      encoding: 'o200k_base',
      tokens: 124,
      exact: true,
    });
  });

  it('takes { messages, tools }: the cookbook weather request is 101 tokens on gpt-4o', async () => {
    const result = await runCli(['tokens', '--messages', '--model', 'gpt-4o', '--json'], {
      stdin: weatherRequest,
    });
    expect(json(result.stdout)).toMatchObject({ tokens: 101, exact: false });
  });

  it('stays quick on hostile input and says the count is an estimate', async () => {
    const started = performance.now();
    const result = await runCli(['tokens', '--model', 'gpt-4o', '--json'], { stdin: 'a'.repeat(200_000) });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(json(result.stdout)).toMatchObject({
      exact: false,
      note: expect.stringContaining('untrusted-input guard'),
    });
  });

  it('prints its help', async () => {
    const result = await runCli(['tokens', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^usage: frugal tokens \[--model M\] \[--messages\] \[--json\] \[FILE\|-\]/,
    );
  });

  it.each<[string, string[], { files?: Record<string, string>; stdin?: string }, string]>([
    [
      'malformed JSON',
      ['tokens', '--messages', 'chat.json'],
      { files: { 'chat.json': '[{"role": "user",}]' } },
      /^frugal tokens: chat\.json: malformed JSON: /.source,
    ],
    [
      'malformed JSON on standard input',
      ['tokens', '--messages'],
      { stdin: '{"messages": [' },
      /^frugal tokens: standard input: malformed JSON: /.source,
    ],
    [
      'a message without a role',
      ['tokens', '--messages', 'chat.json'],
      { files: { 'chat.json': '[{"content": "hi"}]' } },
      /^frugal tokens: chat\.json at \[0\]\.role: Invalid input: expected string, received undefined$/.source,
    ],
    [
      'JSON that is not a chat request',
      ['tokens', '--messages', 'chat.json'],
      { files: { 'chat.json': '42' } },
      /^frugal tokens: chat\.json: expected a JSON array of chat messages or an object \{ messages, tools \}$/
        .source,
    ],
    [
      'an unknown flag',
      ['tokens', '--modle', 'gpt-4o'],
      { stdin: 'x' },
      /^frugal tokens: unknown option '--modle'/.source,
    ],
    [
      'a flag without its value',
      ['tokens', '--model'],
      { stdin: 'x' },
      /^frugal tokens: option '--model' needs a value/.source,
    ],
    [
      'two files',
      ['tokens', 'a.txt', 'b.txt'],
      { files: { 'a.txt': '', 'b.txt': '' } },
      /unexpected argument 'b\.txt'/.source,
    ],
    [
      'an unreadable file',
      ['tokens', 'missing.txt'],
      {},
      /^frugal tokens: cannot read 'missing\.txt': no such file$/.source,
    ],
    ['nothing piped', ['tokens'], {}, /^frugal tokens: cannot read standard input/.source],
  ])('%s: one line naming what and where, exit 2', async (_, argv, io, pattern) => {
    const result = await runCli(argv, io);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(new RegExp(pattern));
  });
});
