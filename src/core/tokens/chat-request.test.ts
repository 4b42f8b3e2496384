import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseChatRequest } from './chat-request.js';

describe('parseChatRequest', () => {
  it('takes an array of messages', () => {
    expect(parseChatRequest([{ role: 'user', content: 'hi' }], 'chat.json')).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [],
    });
  });

  it('takes { messages, tools } and legacy functions, ignoring other request fields', () => {
    const tool = {
      type: 'function',
      function: { name: 'a', parameters: { type: 'object', properties: {} } },
    };
    const request = parseChatRequest(
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [tool],
        functions: [{ name: 'b' }],
      },
      'chat.json',
    );
    expect(request.tools).toEqual([tool, { name: 'b' }]);
  });

  it.each<[unknown, string]>([
    ['text', 'chat.json: expected a JSON array of chat messages or an object { messages, tools }'],
    [null, 'chat.json: expected a JSON array of chat messages or an object { messages, tools }'],
    [[{ content: 'hi' }], 'chat.json at [0].role: Invalid input: expected string, received undefined'],
    [
      [{ role: 'user', content: 42 }],
      'chat.json at [0].content: expected a string, null or an array of content parts',
    ],
    [
      [{ role: 'user', content: [{ type: 'text' }] }],
      "chat.json at [0].content[0].type: a 'text' part needs a string 'text'",
    ],
    [
      [{ role: 'user', content: [{ type: 7 }] }],
      'chat.json at [0].content: expected a string, null or an array of content parts ({ type: "text", text } or another { type })',
    ],
    [{ messages: 'hi' }, 'chat.json at messages: Invalid input: expected array, received string'],
    [{ tools: [] }, 'chat.json at messages: Invalid input: expected array, received undefined'],
    [
      { messages: [], tools: [{ type: 'function', function: { description: 'no name' } }] },
      "chat.json at tools[0]: expected a tool: { type: 'function', function: { name, description?, parameters? } }",
    ],
    [
      [{ role: 'assistant', tool_calls: [{ function: { name: 'f' } }] }],
      'chat.json at [0].tool_calls[0].function.arguments: Invalid input: expected string, received undefined',
    ],
  ])('%j → %s', (value, message) => {
    expect(() => parseChatRequest(value, 'chat.json')).toThrow(ConfigError);
    expect(() => parseChatRequest(value, 'chat.json')).toThrow(message);
  });
});
