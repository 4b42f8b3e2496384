/** One request line of a batch input file that passed validation. */
export type FakeBatchLine = { readonly customId: string; readonly body: Readonly<Record<string, unknown>> };

/** A problem the Batch API reports for its input file, as in the batch's `errors.data`. */
export type FakeBatchProblem = { readonly code: string; readonly message: string; readonly line: number };

/**
 * Checks a batch input file line by line as the Batch API does while `validating`: each line JSON, with a
 * unique `custom_id`, `method: 'POST'`, the batch's endpoint as `url`, a `body`, and one model for all lines.
 */
export function validateBatchInput(
  content: string,
  endpoint: string,
): { lines: FakeBatchLine[]; problems: FakeBatchProblem[] } {
  const lines: FakeBatchLine[] = [];
  const problems: FakeBatchProblem[] = [];
  const models = new Set<unknown>();
  content.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const problem = lineProblem(raw, endpoint, lines);
    if (problem !== undefined) {
      problems.push({ ...problem, line: index + 1 });
      return;
    }
    const line = JSON.parse(raw) as { custom_id: string; body: Record<string, unknown> };
    models.add(line.body['model']);
    if (models.size > 1) {
      const message = 'All requests in a batch must use the same model.';
      problems.push({ code: 'mismatched_model', message, line: index + 1 });
      return;
    }
    lines.push({ customId: line.custom_id, body: line.body });
  });
  return { lines, problems };
}

function lineProblem(
  raw: string,
  endpoint: string,
  earlier: readonly FakeBatchLine[],
): { code: string; message: string } | undefined {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.' };
  }
  const customId = line['custom_id'];
  if (typeof customId !== 'string' || customId === '') {
    return { code: 'missing_required_parameter', message: 'Missing custom_id.' };
  }
  if (earlier.some((seen) => seen.customId === customId)) {
    return { code: 'duplicate_custom_id', message: `The custom_id '${customId}' is used more than once.` };
  }
  if (line['method'] !== 'POST') return { code: 'invalid_method', message: 'The method must be POST.' };
  if (line['url'] !== endpoint) return { code: 'invalid_url', message: `The url must be ${endpoint}.` };
  const body = line['body'];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { code: 'missing_required_parameter', message: 'Missing body.' };
  }
  return undefined;
}
