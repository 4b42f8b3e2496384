import { describe, expect, it } from 'vitest';
import { endpointUrl } from './endpoint-url.js';

describe('endpointUrl', () => {
  it.each([
    ['https://api.x/v1', '/chat/completions', {}, 'https://api.x/v1/chat/completions'],
    ['https://api.x/v1/', '/embeddings', {}, 'https://api.x/v1/embeddings'],
    [
      'https://a.x/openai/deployments/d',
      '/chat/completions',
      { 'api-version': '1' },
      'https://a.x/openai/deployments/d/chat/completions?api-version=1',
    ],
    [
      'https://api.x/v1?org=o',
      '/chat/completions',
      { a: 'b c' },
      'https://api.x/v1/chat/completions?org=o&a=b+c',
    ],
    [
      'https://g.x',
      '/v1beta/models/m:streamGenerateContent',
      { alt: 'sse' },
      'https://g.x/v1beta/models/m:streamGenerateContent?alt=sse',
    ],
  ])('%s + %s', (base, path, query, expected) => {
    expect(endpointUrl(base, path, query)).toBe(expected);
  });
});
