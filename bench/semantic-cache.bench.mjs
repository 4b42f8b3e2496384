#!/usr/bin/env node
// Semantic cache at 10k and 100k entries: a replica's cold start (replaying the entries from its storage into
// an HNSW index), then whole `cache.lookup` calls (local embedder + HNSW search + reading the answer) against
// the exact scan of the same vectors measured in the same run: latency ratios, and recall@1 (the lookup's best
// score equals the exact best) for reworded stored questions (hits) and new ones (mostly misses).
// Prints figures and ratios; passes or fails nothing on timing. Options: --sizes 10000,100000 --queries 200.
import { parseArgs } from 'node:util';
import { createExactVectorIndex } from '../dist/optimize/semantic-cache/exact-vector-index.js';
import { createLocalHashEmbedder } from '../dist/optimize/semantic-cache/local-hash-embedder.js';
import { createMemorySemanticCacheStorage } from '../dist/optimize/semantic-cache/memory-semantic-cache-storage.js';
import { createSemanticCache } from '../dist/optimize/semantic-cache/semantic-cache.js';
import { semanticNamespace } from '../dist/optimize/semantic-cache/semantic-namespace.js';

const { values } = parseArgs({ options: { sizes: { type: 'string' }, queries: { type: 'string' } } });
const sizes = (values.sizes ?? '10000,100000').split(',').map(Number);
const queryCount = Number(values.queries ?? 200);
const largest = Math.max(...sizes);
const threshold = 0.9;

// Support questions from slots: 24 verbs × 60 objects × 40 contexts × 6 audiences = 345,600 distinct texts.
// Neighbours differ in one or two words, as the questions a support bot sees do: a hard case for HNSW.
const verbs =
  'reset change cancel update delete export import share recover download upload renew transfer verify activate disable enable print sync rename merge archive restore refund'.split(
    ' ',
  );
const objects =
  'password account order subscription invoice profile-photo email-address phone-number shipping-address payment-method wishlist cart coupon gift-card loyalty-points newsletter notification-settings language region currency username security-question two-factor-code api-key webhook team-member workspace project report dashboard calendar contact-list playlist photo-album document spreadsheet presentation backup device license plan trial receipt ticket review rating comment message group channel bookmark folder label filter template signature avatar theme shortcut widget'.split(
    ' ',
  );
const contexts =
  'on-the-mobile-app on-the-website from-abroad after-moving for-my-business on-android on-iphone on-windows on-mac on-linux in-the-browser offline-mode with-a-screen-reader on-a-tablet on-my-smart-tv through-the-api with-single-sign-on without-email-access without-my-phone after-a-refund during-a-trial on-the-free-plan on-the-team-plan on-enterprise in-bulk for-several-users before-renewal after-cancellation in-another-currency from-a-shared-device in-dark-mode in-the-new-design in-the-old-design from-the-command-line via-zapier via-slack via-teams via-email-support via-chat-support by-phone'.split(
    ' ',
  );
const audiences = ['', 'for my kid', 'for my company', 'for a friend', 'for my parents', 'for my client'];
const slots = verbs.length * objects.length * contexts.length * audiences.length;

function question(n) {
  const verb = verbs[n % verbs.length];
  const object = objects[Math.floor(n / verbs.length) % objects.length];
  const context = contexts[Math.floor(n / (verbs.length * objects.length)) % contexts.length];
  const audience =
    audiences[Math.floor(n / (verbs.length * objects.length * contexts.length)) % audiences.length];
  const words = (text) => text.replaceAll('-', ' ');
  return `How do I ${verb} my ${words(object)} ${words(context)}${audience ? ` ${audience}` : ''}?`;
}
// A spread-out order of slot numbers, so that any prefix of entries covers every slot kind.
const nth = (n) => (n * 7919) % slots;
// The same question reworded: what a cache should answer from the entry it came from.
const reworded = (text) => text.replace(/^How do I /, 'how can i ').replace(/\?$/, '');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (value) => `${value.toFixed(3)} ms`;
function timed(fn) {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
}
async function timedAsync(fn) {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}
function latencies(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

const embedder = createLocalHashEmbedder();
const [stored, embedMs] = await (async () => {
  const started = performance.now();
  const texts = Array.from({ length: largest }, (_, n) => question(nth(n)));
  const { vectors } = await embedder.embed(texts);
  return [{ texts, vectors }, performance.now() - started];
})();
console.log(
  `local embedder (${embedder.id}): ${((embedMs * 1000) / largest).toFixed(1)} µs per question (${largest.toLocaleString('en-US')} questions)`,
);

const namespace = {
  model: 'gpt-4o-mini',
  system: 'You are a support agent.',
  parameters: { temperature: 0 },
};
const key = semanticNamespace(embedder.id, namespace);

for (const size of sizes) {
  // A replica starting on a storage that already holds `size` entries: cold start = log replay + bulk HNSW build.
  const storage = createMemorySemanticCacheStorage();
  const now = Date.now();
  for (let n = 0; n < size; n++) {
    const entry = {
      id: String(n),
      namespace: key,
      vector: stored.vectors[n],
      answer: `answer ${n}`,
      cost: 2_000n,
    };
    await storage.add({ ...entry, storedAt: now, expiresAt: now + 86_400_000 }, { maxEntries: size, now });
  }
  const started = performance.now();
  const cache = await createSemanticCache({
    embedder,
    threshold,
    storage,
    maxEntries: size,
    syncIntervalMs: 3_600_000,
  });
  const startMs = performance.now() - started;
  const exact = createExactVectorIndex(embedder.dimensions);
  exact.addAll(stored.vectors.slice(0, size).map((vector, n) => [String(n), vector]));
  const kinds = {
    // Entries asked again in other words: the hits a cache exists for.
    reworded: Array.from({ length: queryCount }, (_, q) => reworded(stored.texts[(q * 104_729) % size])),
    // Questions never stored (slots past the largest set): mostly misses, whose nearest neighbour is ambiguous.
    new: Array.from({ length: queryCount }, (_, q) => question(nth(largest + q * 31))),
  };
  for (const text of kinds.new.slice(0, 50)) await cache.lookup({ namespace, text }); // warm-up
  globalThis.gc?.();
  console.log(
    `\n${size.toLocaleString('en-US')} entries: replica cold start (replay + HNSW build, M=16, efConstruction=64, all cores) ${(startMs / 1000).toFixed(1)} s`,
  );
  for (const [kind, texts] of Object.entries(kinds)) {
    const exactTimes = [];
    const lookupTimes = [];
    let found = 0;
    let sameHit = 0;
    for (const text of texts) {
      const [lookup, lookupMs] = await timedAsync(() => cache.lookup({ namespace, text }));
      const [[truth], exactMs] = timed(() => exact.search(lookup.vector, 1));
      lookupTimes.push(lookupMs);
      exactTimes.push(exactMs);
      // Ties are common (questions differing only in stopwords embed alike): any id at the best score counts.
      if (lookup.score !== undefined && lookup.score >= truth.score - 1e-6) found++;
      if (truth.score >= threshold === lookup.hit) sameHit++;
    }
    const e = latencies(exactTimes);
    const l = latencies(lookupTimes);
    console.log(
      `  ${kind.padEnd(8)} cache.lookup p50 ${ms(l.p50)} p99 ${ms(l.p99)} | exact scan p50 ${ms(e.p50)} p99 ${ms(e.p99)} ` +
        `(lookup ${(e.p50 / l.p50).toFixed(0)}x faster at p50, ${(e.p99 / l.p99).toFixed(0)}x at p99) | ` +
        `recall@1 ${(found / texts.length).toFixed(3)}, same hit/miss at ${threshold} ${(sameHit / texts.length).toFixed(3)}`,
    );
  }
}
