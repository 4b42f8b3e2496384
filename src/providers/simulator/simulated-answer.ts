import type { KnowledgeEntry } from './knowledge-match.js';
import { keyTerms, questionTopic } from './question-topic.js';
import type { SeededRandom } from './seeded-random.js';
import type { SimulatorProfile } from './simulator-profiles.js';
import { splitRequests } from './split-requests.js';

type Template = (text: string) => string;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const openings: readonly Template[] = [
  (topic) => `${capitalise(topic)} comes up often when designing real systems.`,
  (topic) => `Here is how ${topic} fits together.`,
  (topic) => `Put simply, ${topic} comes down to a few key ideas.`,
  (topic) => `${capitalise(topic)} is worth understanding well.`,
];

// Each keeps the fact's words verbatim (with the topic around them), so that fact coverage finds a stated fact.
const factSentences: readonly ((fact: string, topic: string) => string)[] = [
  (fact) => `${capitalise(fact)}, which is the part most people need to remember.`,
  (fact, topic) => `In short, when it comes to ${topic}: ${fact}.`,
  (fact, topic) => `A key point about ${topic} is this: ${fact}.`,
  (fact) => `It is important to note that ${fact}, and this shapes how it is used in practice.`,
  (fact) => `Notably, ${fact}.`,
];

const hedges: readonly string[] = [
  'There are further nuances here that depend on the setup.',
  'Other aspects matter too, depending on the context.',
  'The exact behaviour differs from one implementation to another.',
];

const fillers: readonly Template[] = [
  () => 'The details vary between implementations, so check the documentation of the system you use.',
  (topic) => `In practice, ${topic} is easiest to understand with a small experiment.`,
  () => 'Engineers usually weigh these trade-offs against the workload at hand.',
  () => 'Measuring real behaviour under load is better than relying on assumptions.',
  (topic) => `Many production systems depend on ${topic} in one form or another.`,
  () => 'Edge cases around failures and retries deserve extra attention.',
  (topic) => `Good monitoring makes problems with ${topic} much easier to spot.`,
];

const listOf = (terms: readonly string[]) =>
  terms.length <= 1 ? (terms[0] ?? 'the context') : `${terms.slice(0, -1).join(', ')} and ${terms.at(-1)}`;

/**
 * A simulated answer to `question`. With a knowledge entry, each expected fact is stated (lightly templated,
 * its words verbatim) with probability `profile.skill`, else sometimes hedged; without one, a generic but
 * on-topic answer is built from the question's key terms. Requests after the first (see `splitRequests`)
 * are each taken up with probability `skill`; filler sentences follow the profile's verbosity.
 */
export function simulatedAnswer(
  question: string,
  entry: KnowledgeEntry | undefined,
  profile: SimulatorProfile,
  random: SeededRandom,
): string {
  const requests = splitRequests(question);
  const topic = questionTopic(requests[0] ?? question);
  const sentences = [random.pick(openings)(topic)];
  if (entry) {
    for (const fact of entry.facts) {
      if (random.next() < profile.skill) sentences.push(random.pick(factSentences)(fact, topic));
      else if (random.next() < 0.5) sentences.push(random.pick(hedges));
    }
  } else {
    const terms = keyTerms(requests[0] ?? question);
    sentences.push(`The main aspects to consider are ${listOf(terms)}.`);
    sentences.push('Each of them involves trade-offs that depend on the requirements.');
  }
  for (const request of requests.slice(1)) {
    if (random.next() >= profile.skill) continue;
    const asked = request.replace(/[\s?.!;]+$/, '');
    sentences.push(`As for "${asked}", it comes down to ${listOf(keyTerms(request))}.`);
  }
  const fillerCount = random.int(profile.fillerSentences.min, profile.fillerSentences.max);
  const available = [...fillers];
  for (let index = 0; index < fillerCount && available.length > 0; index += 1) {
    const [filler] = available.splice(random.int(0, available.length - 1), 1);
    sentences.splice(random.int(1, sentences.length), 0, filler!(topic));
  }
  return sentences.join(' ');
}
