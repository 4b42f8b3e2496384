import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from './config-schema.js';

const schemaFile = join(import.meta.dirname, '..', '..', 'schema', 'frugal.schema.json');

describe('schema/frugal.schema.json', () => {
  it('is the JSON schema zod emits for the config today (regenerate: FRUGAL_WRITE_SCHEMA=1 npx vitest run src/config)', () => {
    const generated = `${JSON.stringify(z.toJSONSchema(configSchema, { io: 'input' }), null, 2)}\n`;
    if (process.env['FRUGAL_WRITE_SCHEMA'] === '1') writeFileSync(schemaFile, generated);
    expect(readFileSync(schemaFile, 'utf8')).toBe(generated);
  });

  it('describes prices for editors', () => {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    const price = schema.properties.prices.items;
    expect(price.required).toEqual(['model']);
    expect(price.additionalProperties).toBe(false);
    expect(Object.keys(price.properties)).toEqual(
      expect.arrayContaining(['input', 'output', 'cached_input', 'gpu', 'effective_from']),
    );
  });
});
