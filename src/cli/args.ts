import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

type Parsed<S extends OptionSpec> = {
  values: {
    [K in keyof S]?: S[K]['type'] extends 'boolean'
      ? boolean
      : S[K]['multiple'] extends true
        ? string[]
        : string;
  };
  positionals: string[];
};

/** Strict parsing: an unknown flag or a missing value is a UsageError that names it. */
export function parseCommandArgs<S extends OptionSpec>(
  command: string,
  args: readonly string[],
  options: S,
  { maxPositionals = Number.POSITIVE_INFINITY }: { maxPositionals?: number } = {},
): Parsed<S> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`frugal ${command}: ${describeParseError(error)} (see 'frugal ${command} --help')`, {
      cause: error,
    });
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `frugal ${command}: unexpected argument '${parsed.positionals[maxPositionals]}' (see 'frugal ${command} --help')`,
    );
  }
  return parsed as unknown as Parsed<S>;
}

/**
 * `--input -5` would be refused by node's parser as "ambiguous"; a number after a value-taking flag is its
 * value, so it is joined (`--input=-5`) and the option's own validation says what is wrong with it.
 */
function joinNegativeValues(args: readonly string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `option '${missing[1]}' needs a value`;
  return message.split('\n')[0] ?? message;
}

/** A token count flag: a non-negative safe integer, or a UsageError that says which flag and what it got. */
export function tokenCount(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return integerOption(command, flag, value, 0);
}

/** An integer flag with a minimum. Refuses '1.5', '-3', '1e3', '' and the like with a one-line message. */
export function integerOption(command: string, flag: string, value: string, min: number): number {
  const trimmed = value.trim();
  const parsed = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    const expected = min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
    throw new UsageError(`frugal ${command}: --${flag} must be ${expected}, got '${value}'`);
  }
  return parsed;
}

/** A decimal number flag (a rate, a price, a share) that must be finite and at least `min`. */
export function numberOption(command: string, flag: string, value: string, min = 0): number {
  const parsed = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new UsageError(`frugal ${command}: --${flag} must be a number ≥ ${min}, got '${value}'`);
  }
  return parsed;
}

/** Picks one of a fixed set of words, or says which words are allowed. */
export function choiceOption<const T extends readonly string[]>(
  command: string,
  flag: string,
  value: string,
  choices: T,
): T[number] {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`frugal ${command}: --${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T[number];
}
