import { describe, expect, it } from 'vitest';
import { renderToolDefinitions } from './render-tool-definitions.js';

describe('renderToolDefinitions', () => {
  it('renders tools as a TypeScript namespace, nested objects indented', () => {
    const rendered = renderToolDefinitions([
      {
        type: 'function',
        function: {
          name: 'search',
          description: 'Search the catalog',
          parameters: {
            type: 'object',
            required: ['query'],
            properties: {
              query: { type: 'string', description: 'What to look for' },
              limit: { type: 'integer', enum: [10, 20] },
              filters: {
                type: 'object',
                properties: {
                  tags: { type: 'array', items: { type: 'string' } },
                  archived: { type: 'boolean' },
                },
              },
              anything: { type: ['string', 'null'] },
              list: { type: 'array' },
              nothing: { type: 'null' },
            },
          },
        },
      },
      { name: 'ping', parameters: { type: 'object', properties: {} } },
      { name: 'pong' },
    ]);
    expect(rendered).toBe(
      [
        'namespace functions {',
        '',
        '// Search the catalog',
        'type search = (_: {',
        '// What to look for',
        'query: string,',
        'limit?: 10 | 20,',
        'filters?: {',
        '  tags?: string[],',
        '  archived?: boolean,',
        '},',
        'anything?: any,',
        'list?: any[],',
        'nothing?: null,',
        '}) => any;',
        '',
        'type ping = () => any;',
        '',
        'type pong = () => any;',
        '',
        '} // namespace functions',
      ].join('\n'),
    );
  });

  it('renders no tools as an empty namespace', () => {
    expect(renderToolDefinitions([])).toBe('namespace functions {\n\n} // namespace functions');
  });
});
