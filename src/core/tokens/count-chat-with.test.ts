import { describe, expect, it } from 'vitest';
import { cookbookConversation } from '../../../test/fixtures/cookbook-conversation.js';
import type { ChatMessage, ChatTool } from './chat-request.js';
import { countChatTokens, countTokens } from './count-tokens.js';

// Same notebook, section 7: with this tool the API said 105 (gpt-3.5-turbo, gpt-4) and 101 (gpt-4o, -mini).
const weatherTools: ChatTool[] = [
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
];
const weatherConversation: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

describe('chat tokens against the OpenAI cookbook (API-reported counts)', () => {
  it.each([
    ['gpt-3.5-turbo', 129],
    ['gpt-4-0613', 129],
    ['gpt-4', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
  ])('%s: the example conversation is %d prompt tokens, exactly', async (model, tokens) => {
    const counted = await countChatTokens(cookbookConversation, { model });
    expect(counted).toMatchObject({ model, tokens, exact: true });
  });

  it.each([
    ['gpt-3.5-turbo', 105],
    ['gpt-4', 105],
    ['gpt-4o', 101],
    ['gpt-4o-mini', 101],
  ])(
    '%s: the weather tool request is %d prompt tokens (flagged as an inferred rule)',
    async (model, tokens) => {
      const counted = await countChatTokens(weatherConversation, { model, tools: weatherTools });
      expect(counted).toMatchObject({ model, tokens, exact: false });
      expect(counted.note).toBe(
        'tool definitions are counted in the rendering inferred by open-source counters',
      );
    },
  );
});

// Counts that openai-chat-tokens (hmarr) recorded from the gpt-3.5-turbo API for its test suite.
const doStuff: ChatTool = { name: 'do_stuff', parameters: { type: 'object', properties: {} } };
const bingBong = (properties: Record<string, unknown>): ChatTool => ({
  name: 'bing_bong',
  description: 'Do a bing bong',
  parameters: { type: 'object', properties },
});
const recipe: ChatTool = {
  name: 'get_recipe',
  parameters: {
    type: 'object',
    required: ['ingredients', 'instructions', 'time_to_cook'],
    properties: {
      ingredients: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'unit', 'amount'],
          properties: {
            name: { type: 'string' },
            unit: { enum: ['grams', 'ml', 'cups', 'pieces', 'teaspoons'], type: 'string' },
            amount: { type: 'number' },
          },
        },
      },
      instructions: {
        type: 'array',
        items: { type: 'string' },
        description: 'Steps to prepare the recipe (no numbering)',
      },
      time_to_cook: { type: 'number', description: 'Total time to prepare the recipe in minutes' },
    },
  },
};
const user = (content: string): ChatMessage => ({ role: 'user', content });
const system = (content: string): ChatMessage => ({ role: 'system', content });

describe('chat tokens against API counts recorded by openai-chat-tokens (gpt-3.5-turbo)', () => {
  it.each<[string, ChatMessage[], ChatTool[], number]>([
    ['one user message', [user('hello')], [], 8],
    ['two words', [user('hello world')], [], 9],
    ['a system message', [system('hello')], [], 8],
    ['a colon', [system('hello:')], [], 9],
    [
      'three roles',
      [
        system("# Important: you're the best robot"),
        user('hello robot'),
        { role: 'assistant', content: 'hello world' },
      ],
      [],
      27,
    ],
    [
      'a function without description',
      [user('hello')],
      [{ name: 'foo', parameters: { type: 'object', properties: {} } }],
      31,
    ],
    [
      'a function with a description',
      [user('hello')],
      [{ name: 'foo', description: 'Do a foo', parameters: { type: 'object', properties: {} } }],
      36,
    ],
    ['one property', [user('hello')], [bingBong({ foo: { type: 'string' } })], 49],
    [
      'two properties',
      [user('hello')],
      [bingBong({ foo: { type: 'string' }, bar: { type: 'number', description: 'A number' } })],
      57,
    ],
    [
      'a nested object with an enum',
      [user('hello')],
      [
        bingBong({
          foo: {
            type: 'object',
            properties: { bar: { type: 'string', enum: ['a', 'b', 'c'] }, baz: { type: 'boolean' } },
          },
        }),
      ],
      68,
    ],
    [
      'a function result',
      [user('hello world'), { role: 'function', name: 'do_stuff', content: '{}' }],
      [],
      15,
    ],
    [
      'a longer function result',
      [user('hello world'), { role: 'function', name: 'do_stuff', content: '{"foo": "bar", "baz": 1.5}' }],
      [],
      28,
    ],
    [
      'a nested function result',
      [{ role: 'function', name: 'dance_the_tango', content: '{"a": { "b" : { "c": false}}}' }],
      [],
      24,
    ],
    [
      'an assistant function call',
      [
        {
          role: 'assistant',
          content: '',
          function_call: { name: 'do_stuff', arguments: '{"foo": "bar", "baz": 1.5}' },
        },
      ],
      [],
      26,
    ],
    [
      'a function call with newlines',
      [
        {
          role: 'assistant',
          content: '',
          function_call: { name: 'do_stuff', arguments: '{"foo":"bar", "baz":\n\n 1.5}' },
        },
      ],
      [],
      25,
    ],
    ['system plus functions', [system('Hello'), user('Hi there')], [doStuff], 35],
    ['system with a colon plus functions', [system('Hello:'), user('Hi there')], [doStuff], 35],
    [
      'two system messages plus functions',
      [system('Hello:'), system('Hello'), user('Hi there')],
      [doStuff],
      40,
    ],
    ['nested arrays of objects', [user('hello')], [recipe], 106],
  ])('%s: %#', async (_, messages, tools, tokens) => {
    expect((await countChatTokens(messages, { model: 'gpt-3.5-turbo', tools })).tokens).toBe(tokens);
  });
});

describe('what the rule flags as approximate', () => {
  it('tool_calls count like the legacy function_call, flagged', async () => {
    const call = { name: 'do_stuff', arguments: '{"foo": "bar", "baz": 1.5}' };
    const legacy = await countChatTokens([{ role: 'assistant', content: '', function_call: call }], {
      model: 'gpt-4o',
    });
    const modern = await countChatTokens(
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: call }],
        },
      ],
      { model: 'gpt-4o' },
    );
    expect(modern.tokens).toBe(legacy.tokens);
    expect(modern).toMatchObject({ exact: false, note: 'tool calls are counted by an inferred rule' });
  });

  it('a tool result is counted as a message, flagged', async () => {
    const counted = await countChatTokens(
      [{ role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' }],
      {
        model: 'gpt-4o',
      },
    );
    const role = (await countTokens('tool', { model: 'gpt-4o' })).tokens;
    const content = (await countTokens('{"ok":true}', { model: 'gpt-4o' })).tokens;
    expect(counted).toMatchObject({ tokens: 3 + role + content + 3, exact: false });
    expect(counted.note).toBe('tool results are counted by an inferred rule');
  });

  it('one text part counts like a string; several, and images, are flagged', async () => {
    const plain = await countChatTokens([user('hello')], { model: 'gpt-4o' });
    const onePart = await countChatTokens([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], {
      model: 'gpt-4o',
    });
    expect(onePart).toEqual(plain);
    const withImage = await countChatTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
      { model: 'gpt-4o' },
    );
    expect(withImage).toMatchObject({
      tokens: plain.tokens,
      exact: false,
      note: 'image, audio and file parts are not counted',
    });
    const twoParts = await countChatTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello' },
            { type: 'text', text: ' world' },
          ],
        },
      ],
      { model: 'gpt-4o' },
    );
    expect(twoParts.exact).toBe(false);
  });

  it('a developer message takes the system message’s place next to tools', async () => {
    const asSystem = await countChatTokens([system('Hello'), user('Hi')], { model: 'o3', tools: [doStuff] });
    const asDeveloper = await countChatTokens([{ role: 'developer', content: 'Hello' }, user('Hi')], {
      model: 'o3',
      tools: [doStuff],
    });
    // 'system' and 'developer' are one token each in o200k_base: the same count means the same treatment.
    expect(asDeveloper.tokens).toBe(asSystem.tokens);
    const withoutTools = await countChatTokens([{ role: 'developer', content: 'Hello' }, user('Hi')], {
      model: 'o3',
    });
    expect(asDeveloper.tokens - withoutTools.tokens).toBeGreaterThan(5);
  });

  it('other families use their own tokenizer with OpenAI’s message overhead, flagged', async () => {
    const counted = await countChatTokens([user('hello')], { model: 'llama-3.3-70b' });
    expect(counted).toEqual({
      model: 'llama-3.3-70b',
      encoding: 'llama3',
      tokens: 8,
      exact: false,
      note: "message overhead follows OpenAI's chat format, not this model's chat template",
    });
  });

  it('the untrusted-input guard applies to messages too', async () => {
    const counted = await countChatTokens([user('z'.repeat(100_000))], { model: 'gpt-4o' });
    expect(counted.exact).toBe(false);
    expect(counted.note).toMatch(/cut before counting/);
  });
});
