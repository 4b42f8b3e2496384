import type { Attribution } from '../core/spans/span.js';

/**
 * Attribution of an inner scope over an outer one: each field the inner scope sets wins (an undefined field
 * does not erase the outer value); tags are the outer tags then the inner ones, without duplicates.
 */
export function mergeAttribution(outer: Attribution, inner: Attribution): Attribution {
  const tags = [...new Set([...(outer.tags ?? []), ...(inner.tags ?? [])])];
  const merged: {
    feature?: string;
    user?: string;
    apiKeyId?: string;
    runId?: string;
    tags?: readonly string[];
  } = {};
  const feature = inner.feature ?? outer.feature;
  const user = inner.user ?? outer.user;
  const apiKeyId = inner.apiKeyId ?? outer.apiKeyId;
  const runId = inner.runId ?? outer.runId;
  if (feature !== undefined) merged.feature = feature;
  if (user !== undefined) merged.user = user;
  if (apiKeyId !== undefined) merged.apiKeyId = apiKeyId;
  if (runId !== undefined) merged.runId = runId;
  if (tags.length > 0) merged.tags = tags;
  return merged;
}
