import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { parseStoreLocation } from './open-store.js';

describe('parseStoreLocation', () => {
  it.each([
    ['.frugal/frugal.db', { engine: 'sqlite', path: '.frugal/frugal.db' }],
    ['sqlite:.frugal/frugal.db', { engine: 'sqlite', path: '.frugal/frugal.db' }],
    ['sqlite:///var/lib/frugal.db', { engine: 'sqlite', path: '/var/lib/frugal.db' }],
    [':memory:', { engine: 'sqlite', path: ':memory:' }],
    [
      'postgres://u:p@db:5433/ledger?schema=team_a&sslmode=disable',
      {
        engine: 'postgres',
        connectionString: 'postgres://u:p@db:5433/ledger?sslmode=disable',
        schema: 'team_a',
      },
    ],
    [
      'postgresql://db/ledger',
      { engine: 'postgres', connectionString: 'postgresql://db/ledger', schema: undefined },
    ],
  ])('%s', (location, expected) => {
    expect(parseStoreLocation(location)).toEqual(expected);
  });

  it('refuses a location that names no file', () => {
    expect(() => parseStoreLocation('sqlite:')).toThrow(UsageError);
  });
});
