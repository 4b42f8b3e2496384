import { FrugalError } from '../../core/errors.js';
import { contentWords } from '../../core/text/content-words.js';
import { loadTokenCounter } from '../../core/tokens/token-counter.js';
import type { EmbeddingModel } from '../chat-model.js';
import { realSleep, type Sleep } from './real-sleep.js';
import { hashParts } from './seeded-random.js';

export type SimulatorEmbeddingOptions = {
  /** Vector length when a request gives none (default 256). */
  readonly dimensions?: number | undefined;
  /** As for chat models: 0 (default) reports the declared latency without waiting, 1 waits for real. */
  readonly timeScale?: number | undefined;
  readonly sleep?: Sleep | undefined;
};

/** Declared latency of `sim/embed`: 40 ms + 0.05 ms per input token. Its price is in `simulated-prices.ts`. */
const baseLatencyMs = 40;
const msPerInputToken = 0.05;

/**
 * Feature hashing of the text's stemmed content words and of their adjacent pairs, L2-normalised: texts
 * sharing words get a high cosine similarity, paraphrases with other words do not. A stand-in for a real
 * embedding model, for offline tests of semantic caching and routing; never a semantic model.
 */
function embedText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = contentWords(text);
  const features = [...words, ...words.slice(1).map((word, index) => `${words[index]} ${word}`)];
  for (const feature of features) {
    const hash = hashParts('embed', feature);
    const weight = feature.includes(' ') ? 0.5 : 1;
    vector[hash % dimensions]! += hash & 0x80000000 ? -weight : weight;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/** The simulator's embedding model `sim/embed`: deterministic vectors, real token counts, declared latency. */
export function createSimulatorEmbeddingModel(options: SimulatorEmbeddingOptions = {}): EmbeddingModel {
  const timeScale = options.timeScale ?? 0;
  const sleep = options.sleep ?? realSleep;
  return {
    id: 'sim/embed',
    provider: 'sim',
    model: 'sim/embed',
    simulated: true,
    async embed(request) {
      request.signal?.throwIfAborted();
      const dimensions = request.dimensions ?? options.dimensions ?? 256;
      if (!(Number.isSafeInteger(dimensions) && dimensions > 0)) {
        throw new FrugalError(`sim/embed: dimensions must be a positive integer, got ${dimensions}`);
      }
      const counter = await loadTokenCounter(undefined);
      const input = request.inputs.reduce((sum, text) => sum + counter.count(text).tokens, 0);
      const latencyMs = Math.round(baseLatencyMs + msPerInputToken * input);
      if (timeScale > 0) await sleep(latencyMs * timeScale, request.signal);
      request.signal?.throwIfAborted();
      return {
        vectors: request.inputs.map((text) => embedText(text, dimensions)),
        usage: { input, output: 0 },
        responseModel: 'sim/embed',
        latencyMs,
        simulated: true,
        raw: { simulated: true, profile: { model: 'sim/embed', dimensions } },
      };
    },
  };
}
