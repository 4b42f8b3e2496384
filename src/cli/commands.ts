import type { Command } from './command.js';

/** Every `frugal` command, loaded on demand so that `frugal cost` does not pay for the tokenizer. */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  cost: {
    summary: 'exact cost of one call from its token usage',
    load: async () => (await import('./commands/cost.js')).costCommand,
  },
  prices: {
    summary: 'search and show the price catalog',
    load: async () => (await import('./commands/prices.js')).pricesCommand,
  },
  tokens: {
    summary: 'count tokens in text or chat messages',
    load: async () => (await import('./commands/tokens.js')).tokensCommand,
  },
  tco: {
    summary: 'total cost of ownership from a YAML/JSON model',
    load: async () => (await import('./commands/tco.js')).tcoCommand,
  },
  breakeven: {
    summary: 'self-host vs API break-even volume',
    load: async () => (await import('./commands/breakeven.js')).breakevenCommand,
  },
  spend: {
    summary: 'spend by model, feature, user, key, tag, run and time',
    load: async () => (await import('./commands/spend.js')).spendCommand,
  },
  budgets: {
    summary: 'set, list and delete budgets with alerts and hard limits',
    load: async () => (await import('./commands/budgets.js')).budgetsCommand,
  },
  alerts: {
    summary: 'check budgets and anomalies; list recorded alerts',
    load: async () => (await import('./commands/alerts.js')).alertsCommand,
  },
  gateway: {
    summary: 'run the OpenAI/Anthropic-compatible gateway (keys, budgets, cache, routing, exact accounting)',
    load: async () => (await import('./commands/gateway.js')).gatewayCommand,
  },
  demo: {
    summary: "compare three simulated models on seed 000's questions, offline",
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  eval: {
    summary: 'evaluate model configurations on a dataset and compare them',
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  compare: {
    summary: 'compare stored evaluation runs',
    load: async () => (await import('./commands/compare.js')).compareCommand,
  },
  runs: {
    summary: 'list stored evaluation runs',
    load: async () => (await import('./commands/runs.js')).runsCommand,
  },
  pareto: {
    summary: 'mark the Pareto-optimal rows of a CSV/JSON table',
    load: async () => (await import('./commands/pareto.js')).paretoCommand,
  },
  cache: {
    summary: 'calibrate the semantic cache threshold on labelled question pairs',
    load: async () => (await import('./commands/cache.js')).cacheCommand,
  },
  ui: {
    summary: 'the dashboard: experiments, Pareto charts, every answer and its trace, from the store',
    load: async () => (await import('./commands/ui.js')).uiCommand,
  },
  report: {
    summary: 'write an experiment as one self-contained HTML report (comparison, Pareto chart, every answer)',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  route: {
    summary: 'train, evaluate and simulate a router learned from recorded outcomes (RouteLLM metrics)',
    load: async () => (await import('./commands/route.js')).routeCommand,
  },
  cascade: {
    summary: 'measure a FrugalGPT cascade (cheapest model first, learned acceptance) on recorded outcomes',
    load: async () => (await import('./commands/cascade.js')).cascadeCommand,
  },
  compress: {
    summary: 'shorten a candidate’s prompts and verify the variants by evaluation before recommending one',
    load: async () => (await import('./commands/compress.js')).compressCommand,
  },
  batch: {
    summary: 'run items through the Batch API or packed per prompt, with the exact saving',
    load: async () => (await import('./commands/batch.js')).batchCommand,
  },
};
