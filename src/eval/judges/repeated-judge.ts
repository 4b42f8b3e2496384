import type { Score, Scorer } from '../scorer.js';

/**
 * A judge asked `times` times about each answer, to measure its variance: the verdict is the majority of the
 * votes (a tie fails), or their mean for numeric scores, and `details.votes` keeps every vote, so the run
 * reports how often the judge agreed with itself (`<scorer>/agreement`). Votes that are errors are left out;
 * only when every vote is an error is the score one.
 */
export function repeatedJudge(scorer: Scorer, times: number): Scorer {
  if (!Number.isInteger(times) || times < 1)
    throw new RangeError(`judge repeats must be a whole number ≥ 1, got ${times}`);
  if (times === 1) return scorer;
  return {
    name: scorer.name,
    kind: scorer.kind,
    usesJudge: scorer.usesJudge,
    async score(input): Promise<Score> {
      const all: Score[] = [];
      for (let vote = 0; vote < times; vote++) all.push(await scorer.score(input));
      const counted = all.filter((score) => score.error === undefined && score.value !== undefined);
      if (counted.length === 0) return all[0] as Score;
      const votes = counted.map((score) => score.value as boolean | number);
      let value: boolean | number;
      if (scorer.kind === 'pass-fail')
        value = votes.filter((vote) => vote === true).length * 2 > votes.length;
      else value = (votes as number[]).reduce((sum, vote) => sum + vote, 0) / votes.length;
      const representative = counted.find((score) => score.value === value) ?? (counted[0] as Score);
      return {
        ...representative,
        value,
        details: { ...representative.details, votes, failedVotes: all.length - counted.length },
      };
    },
  };
}

/** Whether a score's recorded votes all agree; undefined when it was not voted on twice or more. */
export function unanimous(details: Readonly<Record<string, unknown>> | undefined): boolean | undefined {
  const votes = details?.['votes'];
  if (!Array.isArray(votes) || votes.length < 2) return undefined;
  return votes.every((vote) => vote === votes[0]);
}
