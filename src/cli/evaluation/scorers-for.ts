import { type EvalScorerConfig, scorerName } from '../../config/parse-eval-config.js';
import { ConfigError } from '../../core/errors.js';
import { parseUsd } from '../../core/money.js';
import {
  completeness,
  correctness,
  equivalence,
  guidelines,
  relevanceToQuery,
} from '../../eval/judges/judges.js';
import type { JudgeOptions } from '../../eval/judges/llm-judge.js';
import { repeatedJudge } from '../../eval/judges/repeated-judge.js';
import type { Scorer } from '../../eval/scorer.js';
import { contains, notContains } from '../../eval/scorers/contains.js';
import { costThreshold } from '../../eval/scorers/cost-threshold.js';
import { exactMatch } from '../../eval/scorers/exact-match.js';
import { factCoverage } from '../../eval/scorers/fact-coverage.js';
import { jsonSchema } from '../../eval/scorers/json-schema.js';
import { jsonValid } from '../../eval/scorers/json-valid.js';
import { latencyThreshold } from '../../eval/scorers/latency-threshold.js';
import { lengthBounds } from '../../eval/scorers/length-bounds.js';
import { regex } from '../../eval/scorers/regex.js';
import type { ChatModel } from '../../providers/chat-model.js';

export type JudgeSetting = {
  readonly model: ChatModel;
  readonly temperature?: number | undefined;
  readonly attempts?: number | undefined;
  /** Votes per answer (majority verdict), to measure the judge's agreement with itself. */
  readonly repeats?: number | undefined;
};

function one(scorer: EvalScorerConfig, judge: JudgeSetting | undefined, file: string): Scorer {
  const name = scorerName(scorer);
  const needJudge = (): JudgeOptions => {
    if (judge === undefined)
      throw new ConfigError(file, 'judge', `${scorer.path} (${scorer.type}) needs a judge model`);
    return judge;
  };
  switch (scorer.type) {
    case 'correctness':
      return renamed(correctness(needJudge()), name);
    case 'completeness':
      return renamed(completeness(needJudge()), name);
    case 'relevance_to_query':
      return renamed(relevanceToQuery(needJudge()), name);
    case 'equivalence':
      return renamed(equivalence(needJudge()), name);
    case 'guidelines':
      return guidelines({
        ...needJudge(),
        guidelines: 'guidelines' in scorer ? scorer.guidelines : [],
        name,
      });
    case 'fact_coverage':
      return factCoverage({
        name,
        ...('threshold' in scorer && scorer.threshold !== undefined ? { threshold: scorer.threshold } : {}),
      });
    case 'exact_match':
      return exactMatch({ name, ignoreCase: true, ignoreWhitespace: true });
    case 'json_valid':
      return jsonValid({ name });
    case 'contains':
    case 'not_contains': {
      const value = 'value' in scorer ? scorer.value : '';
      const ignoreCase = !('case_sensitive' in scorer && scorer.case_sensitive === true);
      return scorer.type === 'contains'
        ? contains([value], { name, ignoreCase })
        : notContains([value], { name, ignoreCase });
    }
    case 'regex':
      return regex(
        new RegExp('pattern' in scorer ? scorer.pattern : '', 'flags' in scorer ? (scorer.flags ?? '') : ''),
        { name },
      );
    case 'json_schema':
      return jsonSchema('schema' in scorer ? scorer.schema : {}, { name });
    case 'length': {
      const bounds = scorer as { min?: number; max?: number; unit?: 'chars' | 'words' };
      return lengthBounds({ name, min: bounds.min, max: bounds.max, unit: bounds.unit });
    }
    case 'latency':
      return latencyThreshold('max_ms' in scorer ? scorer.max_ms : 0, { name });
    case 'cost':
      return costThreshold(parseUsd(String('max_usd' in scorer ? scorer.max_usd : 0)), { name });
  }
}

function renamed(scorer: Scorer, name: string): Scorer {
  return scorer.name === name ? scorer : { ...scorer, name, score: scorer.score.bind(scorer) };
}

/** The scorers an eval config names, built; a scorer that cannot be built is a ConfigError naming its path. */
export function scorersFor(
  scorers: readonly EvalScorerConfig[],
  judge: JudgeSetting | undefined,
  file: string,
): Scorer[] {
  return scorers.map((scorer) => {
    try {
      const built = one(scorer, judge, file);
      return built.usesJudge && judge?.repeats !== undefined ? repeatedJudge(built, judge.repeats) : built;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(file, scorer.path, (error as Error).message, { cause: error });
    }
  });
}
