/**
 * frugal's library entry point: usage, prices, exact cost, token counting, tracing, the ledger, budgets and
 * alerts, TCO, break-even and Pareto; providers and the offline simulator; evaluation, judges and comparison.
 * Pure computation, except where a name says otherwise (stores, sinks, tracers, alert channels).
 */

export { defaultConfigFile, loadConfig } from './config/load-config.js';
export { type FrugalConfig, parseConfig } from './config/parse-config.js';
export { parseDocument } from './config/parse-document.js';
export { type EvalConfig, parseEvalConfig } from './config/parse-eval-config.js';
// Control: budgets, reservations, alerts and anomaly detection.
export {
  type AlertChannel,
  type AlertDispatcher,
  alertLine,
  consoleChannel,
  createAlertDispatcher,
  type WebhookOptions,
  webhookChannel,
  webhookPayload,
} from './control/alert-delivery.js';
export { type DetectAnomaliesOptions, detectAnomalies } from './control/anomalies/detect-anomalies.js';
export type { BudgetCounter, CounterState, ReserveOutcome } from './control/budget-counter.js';
export {
  type BudgetGuard,
  type BudgetGuardOptions,
  type BudgetState,
  createBudgetGuard,
} from './control/budget-guard.js';
export { type BudgetPeriod, budgetPeriod, storedBudgetSpend } from './control/budget-spend.js';
export { type BudgetStatus, budgetStatuses, checkBudgets } from './control/budget-status.js';
export { createMemoryBudgetCounter, type MemoryBudgetCounter } from './control/memory-budget-counter.js';
export { createMemoryRateLimiter } from './control/memory-rate-limiter.js';
export type { PerMinuteLimits, RateCost, RateDecision, RateLimiter } from './control/rate-limiter.js';
export { createRedisBudgetCounter, type RedisBudgetCounterOptions } from './control/redis-budget-counter.js';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './control/redis-rate-limiter.js';
export { connectRedis, type RedisConnection, type RedisScripts } from './control/redis-scripts.js';
export { createSharedBudgetGuard, type SharedBudgetGuardOptions } from './control/shared-budget-guard.js';
export { type SpendReport, type SpendSection, spendReport } from './control/spend-report.js';
export {
  type Alert,
  type AlertKind,
  type AlertQuery,
  type AlertSeverity,
  alertKinds,
} from './core/alerts/alert.js';
export {
  type AnomalySettings,
  type AnomalySettingsOverrides,
  defaultAnomalySettings,
  withAnomalyDefaults,
} from './core/alerts/anomaly-settings.js';
export {
  analyzeBreakEven,
  type BreakEvenAnalysis,
  type BreakEvenInput,
  type BreakEvenPoint,
  costsAtVolume,
  type VolumeCosts,
} from './core/analysis/break-even.js';
export {
  dominates,
  type ObjectiveDirection,
  objectiveDirections,
  paretoFrontier,
} from './core/analysis/pareto-frontier.js';
export { type DecimalValue, parseDecimal, type Rational } from './core/analysis/rational.js';
export {
  computeTco,
  type TcoCategory,
  type TcoModel,
  type TcoReport,
  tcoCategories,
  tcoCategoryLabels,
} from './core/analysis/tco.js';
export { parseTcoConfig, type TcoConfig } from './core/analysis/tco-config.js';
export type {
  AdmissionRequest,
  AdmissionTicket,
  CallAdmission,
  Settlement,
} from './core/budgets/admission.js';
export {
  type Budget,
  type BudgetScope,
  budgetScopeKinds,
  defaultBudgetId,
  defaultThresholds,
  formatBudgetScope,
  parseBudgetScope,
} from './core/budgets/budget.js';
export { type CallBound, type MaxCost, maxCallCost } from './core/budgets/max-call-cost.js';
export { type CostOptions, cost } from './core/cost/cost.js';
export {
  type BatchPricing,
  type CostBreakdown,
  type CostComponent,
  type CostResult,
  costComponents,
  type PricedCost,
  type UnpricedCost,
  type UnpricedReason,
} from './core/cost/cost-result.js';
export {
  BudgetExceededError,
  ConfigError,
  FrugalError,
  StoreError,
  UnpricedModelError,
  UsageError,
} from './core/errors.js';
export type {
  EvalRecorder,
  EvalResultRecord,
  EvalRunRecord,
  RunQuery,
  RunStatus,
  StoredScore,
} from './core/evals/eval-records.js';
export {
  divideRoundHalfEven,
  formatUsd,
  type Picodollars,
  parseUsd,
  roundUsd,
  usdToNumber,
} from './core/money.js';
export { type CatalogInfo, catalogEntries, catalogInfo } from './core/prices/catalog-entries.js';
export type { CustomPrice } from './core/prices/custom-price.js';
export { defaultPriceBook } from './core/prices/default-price-book.js';
export {
  createPriceBook,
  type MatchKind,
  matchKinds,
  type PriceBook,
  type Resolution,
  type Resolved,
  type Unresolved,
} from './core/prices/price-book.js';
export {
  type GpuPriceEntry,
  type GpuPricing,
  type LongContextBand,
  type PriceEntry,
  type PriceMode,
  priceModes,
  type ServiceTier,
  serviceTiers,
  type TokenPriceEntry,
  type TokenRates,
} from './core/prices/price-entry.js';
export { formatPerMillion, pricePerMillionToPicos } from './core/prices/price-per-million.js';
export { otelAttributes } from './core/spans/otel-attributes.js';
export type { RepeatedRequest, RepeatQuery } from './core/spans/request-repeats.js';
// Measure: spans, tracing, instrumentation, the store and the ledger.
export {
  type Attribution,
  type Span,
  type SpanCost,
  type SpanKind,
  spanKinds,
  spanModel,
} from './core/spans/span.js';
export {
  type SpendDimension,
  type SpendQuery,
  type SpendRow,
  spendDimensions,
  type TimeBucket,
  timeBuckets,
} from './core/spans/spend-query.js';
export { type CsvRecord, CsvSyntaxError, parseCsv } from './core/text/parse-csv.js';
export { parseTimeBound } from './core/time/parse-time-bound.js';
export {
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  parseChatRequest,
} from './core/tokens/chat-request.js';
export { type CountTokensOptions, countChatTokens, countTokens } from './core/tokens/count-tokens.js';
export { type TokenCount, type TokenizerName, tokenizerNames } from './core/tokens/token-count.js';
export {
  loadTokenCounter,
  type TokenCounter,
  type TokenCounterOptions,
} from './core/tokens/token-counter.js';
export { type TokenizerChoice, tokenizerForModel } from './core/tokens/tokenizer-for-model.js';
export {
  addUsage,
  totalTokens,
  type Usage,
  type UsageField,
  usageFields,
  validateUsage,
} from './core/usage.js';
export {
  type AnthropicUsageWire,
  type GeminiUsageWire,
  type OpenAIChatUsageWire,
  type OpenAIResponsesUsageWire,
  usageFromAnthropic,
  usageFromGemini,
  usageFromOpenAIChat,
  usageFromOpenAIResponses,
} from './core/usage-from-wire.js';
export type { Candidate, CandidateParameters, PredictFunction } from './eval/candidate.js';
export {
  type ComparedCandidate,
  type CompareOptions,
  type Comparison,
  compareRuns,
} from './eval/compare/compare-runs.js';
export { evaluate } from './eval/evaluate.js';
export type { EvaluateOptions, EvaluationResult, RunProgress } from './eval/evaluate-options.js';
// Decide: evaluation, scorers, judges, statistics and the comparison.
export * from './eval/index.js';
export {
  completeness,
  correctness,
  equivalence,
  guidelines,
  relevanceToQuery,
} from './eval/judges/judges.js';
export type { JudgeOptions } from './eval/judges/llm-judge.js';
export {
  type CallOutcome,
  createRateController,
  type RateController,
  type RateLimits,
} from './eval/rate-controller.js';
export { type CachedResponse, fileResponseCache, type ResponseCache } from './eval/response-cache.js';
export { createRunBudget, type RunBudget } from './eval/run-budget.js';
export { factCoverage } from './eval/scorers/fact-coverage.js';
export { tracedChatModel } from './eval/traced-chat-model.js';
// Providers: one ChatModel / EmbeddingModel port, HTTP adapters and the offline simulator.
export * from './providers/index.js';
export { type OpenStoreOptions, openStore, parseStoreLocation } from './store/open-store.js';
export type { Store, StoreCapabilities } from './store/store.js';
export { combineSinks } from './tracing/combine-sinks.js';
export { type ClosableTracer, createTracer, type TracerOptions } from './tracing/create-tracer.js';
export { currentTracer, setDefaultTracer, trace, withAttributes } from './tracing/default-tracer.js';
export { instrumentAnthropic } from './tracing/instrument-anthropic.js';
export { type InstrumentOpenAIOptions, instrumentOpenAI } from './tracing/instrument-openai.js';
export type { SpanDestination } from './tracing/journaled-queue.js';
export { createMemorySink } from './tracing/memory-sink.js';
export { createOtlpExporter, type OtlpExporterOptions } from './tracing/otlp-exporter.js';
export { requestHash } from './tracing/request-hash.js';
export type { SpanSink } from './tracing/span-sink.js';
export {
  type JournalGate,
  openSpanWriter,
  type SpanWriter,
  type SpanWriterOptions,
} from './tracing/span-writer.js';
export type { LlmSpanEnd, LlmSpanHandle, LlmSpanStart, Tracer } from './tracing/tracer.js';
export { frugalMiddleware } from './tracing/vercel-ai-middleware.js';
