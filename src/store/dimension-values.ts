import { type Span, spanModel } from '../core/spans/span.js';
import type { SpendDimension } from '../core/spans/spend-query.js';

/** The value(s) a span has in a dimension: tags expand to each distinct tag; no value is `[undefined]`. */
export function dimensionValues(span: Span, dimension: SpendDimension): readonly (string | undefined)[] {
  const attribution = span.attribution;
  switch (dimension) {
    case 'model':
      return [spanModel(span)];
    case 'provider':
      return [span.provider];
    case 'feature':
      return [attribution.feature];
    case 'user':
      return [attribution.user];
    case 'key':
      return [attribution.apiKeyId];
    case 'run':
      return [attribution.runId];
    case 'tag':
      return attribution.tags === undefined || attribution.tags.length === 0
        ? [undefined]
        : [...new Set(attribution.tags)];
  }
}
