import type { AnomalySettingsOverrides } from '../core/alerts/anomaly-settings.js';
import {
  type Budget,
  type BudgetScope,
  checkThresholds,
  defaultBudgetId,
  defaultThresholds,
  parseBudgetScope,
} from '../core/budgets/budget.js';
import { ConfigError } from '../core/errors.js';
import { parseUsd } from '../core/money.js';
import type { CustomPrice } from '../core/prices/custom-price.js';
import type { GpuPricing, TokenRates } from '../core/prices/price-entry.js';
import { pricePerMillionToPicos } from '../core/prices/price-per-million.js';
import { zoneCalendar } from '../core/time/zone-calendar.js';
import { anomalyOverrides } from './anomalies-schema.js';
import { configSchema, type RawBudget, type RawPrice } from './config-schema.js';
import { parseDocument } from './parse-document.js';
import { type GatewayConfig, toGatewayConfig } from './parse-gateway-config.js';
import { schemaError } from './schema-error.js';

/** A webhook alerts are posted to. */
export type WebhookConfig = { readonly url: string; readonly headers: Readonly<Record<string, string>> };

/** frugal's config, validated: prices are exact integers ready for `PriceBook.withPrices`. */
export type FrugalConfig = {
  readonly file: string;
  /** Where spans live, as written in the file (relative paths are relative to the working directory). */
  readonly store: string | undefined;
  readonly prices: readonly CustomPrice[];
  /** Zone for calendar periods when a budget or report names none (undefined: UTC). */
  readonly timeZone: string | undefined;
  /** Budgets written in the file, each with the path it came from (`budgets[0]`). */
  readonly budgets: readonly ConfiguredBudget[];
  readonly alerts: { readonly webhooks: readonly WebhookConfig[] };
  /** Anomaly detector thresholds that differ from the defaults (see `withAnomalyDefaults`). */
  readonly anomalies: AnomalySettingsOverrides;
  /** The `gateway:` section with its defaults (also when the file has none). */
  readonly gateway: GatewayConfig;
};

/** A budget from the config file and where in it. */
export type ConfiguredBudget = Budget & { readonly origin: { readonly file: string; readonly path: string } };

const rateFields = [
  ['input', 'input'],
  ['cached_input', 'cachedInput'],
  ['cache_write', 'cacheWrite'],
  ['cache_write_1h', 'cacheWrite1h'],
  ['output', 'output'],
  ['reasoning', 'reasoning'],
] as const;
const tokenFields = [...rateFields.map(([field]) => field), 'batch_input', 'batch_output'] as const;

/**
 * Parses and validates a config file's text (YAML, or JSON when the name ends in .json). Pure: the caller
 * reads the file. Every problem is a one-line ConfigError naming the file, the path inside it
 * (`prices[2].input`), what was expected and what was found.
 */
export function parseConfig(text: string, fileName: string): FrugalConfig {
  const data = parseDocument(text, fileName);
  const result = configSchema.safeParse(data ?? {});
  if (!result.success) throw schemaError(fileName, data, configSchema, result.error);
  const prices = (result.data.prices ?? []).map((price, index) =>
    toCustomPrice(price, fileName, `prices[${index}]`),
  );
  const timeZone = result.data.time_zone;
  if (timeZone !== undefined) checkZone(timeZone, fileName, 'time_zone');
  const budgets = (result.data.budgets ?? []).map((budget, index) =>
    toBudget(budget, fileName, `budgets[${index}]`, timeZone ?? 'UTC'),
  );
  const ids = new Map<string, string>();
  for (const budget of budgets) {
    const earlier = ids.get(budget.id);
    if (earlier !== undefined) {
      throw new ConfigError(
        fileName,
        budget.origin.path,
        `duplicate budget id '${budget.id}' (also ${earlier})`,
      );
    }
    ids.set(budget.id, budget.origin.path);
  }
  const alerts = {
    webhooks: (result.data.alerts?.webhooks ?? []).map((hook) =>
      typeof hook === 'string' ? { url: hook, headers: {} } : { url: hook.url, headers: hook.headers ?? {} },
    ),
  };
  const anomalies = anomalyOverrides(result.data.anomalies);
  const gateway = toGatewayConfig(result.data.gateway, fileName);
  return { file: fileName, store: result.data.store, prices, timeZone, budgets, alerts, anomalies, gateway };
}

function checkZone(zone: string, file: string, path: string): void {
  try {
    zoneCalendar(zone);
  } catch {
    throw new ConfigError(
      file,
      path,
      `expected an IANA time zone such as Europe/Berlin, found ${JSON.stringify(zone)}`,
    );
  }
}

function toBudget(raw: RawBudget, file: string, path: string, defaultZone: string): ConfiguredBudget {
  const fail = (field: string, problem: string) => new ConfigError(file, `${path}.${field}`, problem);
  let scope: BudgetScope;
  try {
    scope = parseBudgetScope(raw.scope);
  } catch (error) {
    throw fail('scope', (error as RangeError).message);
  }
  let limit: bigint;
  try {
    limit = parseUsd(String(raw.limit_usd));
  } catch {
    throw fail('limit_usd', `expected a USD amount with at most 12 decimals, found ${raw.limit_usd}`);
  }
  let thresholds: readonly number[];
  try {
    thresholds = checkThresholds(raw.thresholds ?? defaultThresholds);
  } catch (error) {
    throw fail('thresholds', (error as RangeError).message);
  }
  const timeZone = raw.time_zone ?? defaultZone;
  if (raw.time_zone !== undefined) checkZone(raw.time_zone, file, `${path}.time_zone`);
  return {
    id: raw.id ?? defaultBudgetId(scope, raw.period),
    scope,
    period: raw.period,
    timeZone,
    limit,
    hard: raw.hard ?? false,
    thresholds,
    origin: { file, path },
  };
}

function toCustomPrice(raw: RawPrice, file: string, path: string): CustomPrice {
  const origin = { file, path };
  const fail = (field: string, problem: string) =>
    new ConfigError(file, field ? `${path}.${field}` : path, problem);
  const given = tokenFields.filter((field) => raw[field] !== undefined);
  let pricing: CustomPrice['pricing'];
  if (raw.gpu) {
    if (given.length > 0) {
      throw fail('', `expected either per-token prices or gpu, found both (${given.join(', ')} and gpu)`);
    }
    const { concurrency, tokens_per_second: tokensPerSecond } = raw.gpu;
    if ((concurrency === undefined) === (tokensPerSecond === undefined)) {
      const found = concurrency === undefined ? 'neither' : 'both';
      throw fail('gpu', `expected exactly one of concurrency or tokens_per_second, found ${found}`);
    }
    for (const [field, value] of [
      ['concurrency', concurrency],
      ['tokens_per_second', tokensPerSecond],
    ] as const) {
      if (value !== undefined && Math.abs(value * 1000 - Math.round(value * 1000)) > 1e-6) {
        throw fail(`gpu.${field}`, `expected at most 3 decimals, found ${value}`);
      }
    }
    const hourly = String(raw.gpu.hourly_usd);
    let hourlyPerGpu: bigint;
    try {
      hourlyPerGpu = parseUsd(hourly);
    } catch {
      throw fail('gpu.hourly_usd', `expected a USD amount with at most 12 decimals, found ${hourly}`);
    }
    const gpu: GpuPricing = {
      hourlyPerGpu,
      gpuCount: raw.gpu.count,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(tokensPerSecond === undefined ? {} : { tokensPerSecond }),
    };
    pricing = { kind: 'gpu-hours', gpu };
  } else {
    for (const field of ['input', 'output'] as const) {
      if (raw[field] === undefined) {
        throw fail(field, `expected ${field} (USD per 1M tokens) or a gpu price, found nothing`);
      }
    }
    const perToken = (field: (typeof tokenFields)[number]) => {
      const value = raw[field];
      if (value === undefined) return undefined;
      try {
        return pricePerMillionToPicos(String(value));
      } catch (error) {
        throw fail(field, (error as RangeError).message);
      }
    };
    const rates: Partial<Record<(typeof rateFields)[number][1], bigint>> = {};
    for (const [field, name] of rateFields) {
      const picos = perToken(field);
      if (picos !== undefined) rates[name] = picos;
    }
    const batch: TokenRates = {
      ...(raw.batch_input === undefined ? {} : { input: perToken('batch_input')! }),
      ...(raw.batch_output === undefined ? {} : { output: perToken('batch_output')! }),
    };
    pricing = { kind: 'tokens', rates: { ...rates, input: rates.input! }, batch };
  }
  if (raw.effective_from !== undefined && !isCalendarDate(raw.effective_from)) {
    throw fail('effective_from', `expected a real calendar date, found ${raw.effective_from}`);
  }
  return {
    model: raw.model,
    origin,
    ...(raw.provider === undefined ? {} : { provider: raw.provider }),
    ...(raw.mode === undefined ? {} : { mode: raw.mode }),
    ...(raw.context_window === undefined ? {} : { contextWindow: raw.context_window }),
    ...(raw.max_output === undefined ? {} : { maxOutput: raw.max_output }),
    ...(raw.effective_from === undefined ? {} : { effectiveFrom: raw.effective_from }),
    pricing,
  };
}

function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}
