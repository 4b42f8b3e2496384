import type { Scorer } from '../scorer.js';
import type { ScorerOptions } from './scorer-options.js';

export type LengthBoundsOptions = ScorerOptions & {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  /** `chars` (default) counts Unicode code points; `words` counts runs of non-space characters. */
  readonly unit?: 'chars' | 'words' | undefined;
};

/** Passes when the answer's length is within [min, max] (either bound may be left out, not both). */
export function lengthBounds(options: LengthBoundsOptions): Scorer {
  const { min, max } = options;
  const unit = options.unit ?? 'chars';
  for (const [label, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound !== undefined && !(Number.isInteger(bound) && bound >= 0)) {
      throw new RangeError(`${label} must be a whole number ≥ 0, got ${bound}`);
    }
  }
  if (min === undefined && max === undefined) throw new RangeError('lengthBounds needs a min, a max or both');
  if (min !== undefined && max !== undefined && min > max)
    throw new RangeError(`min (${min}) is above max (${max})`);
  return {
    name: options.name ?? 'length_bounds',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const length =
        unit === 'chars' ? [...prediction.text].length : prediction.text.split(/\s+/).filter(Boolean).length;
      const details = { length, unit };
      if (min !== undefined && length < min)
        return { value: false, rationale: `${length} ${unit}, below the minimum of ${min}`, details };
      if (max !== undefined && length > max)
        return { value: false, rationale: `${length} ${unit}, above the maximum of ${max}`, details };
      return { value: true, details };
    },
  };
}
