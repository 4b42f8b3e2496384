import { ConfigError } from '../core/errors.js';
import type { EvalRow } from './eval-row.js';

const placeholder = /\{([A-Za-z_][\w.]*)\}/g;

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The user message for a row. With a template, `{name}` is replaced by the input of that name (a missing input
 * is an error naming the row); without one, the `question` input, else the only input, else the inputs as JSON.
 */
export function renderPrompt(row: EvalRow, template?: string): string {
  if (template !== undefined) {
    return template.replace(placeholder, (_, name: string) => {
      if (!(name in row.inputs)) {
        throw new ConfigError(
          'prompt template',
          `{${name}}`,
          `row '${row.id}' has no input '${name}' (it has ${Object.keys(row.inputs).join(', ')})`,
        );
      }
      return asText(row.inputs[name]);
    });
  }
  const keys = Object.keys(row.inputs);
  if ('question' in row.inputs) return asText(row.inputs['question']);
  if (keys.length === 1) return asText(row.inputs[keys[0] as string]);
  return JSON.stringify(row.inputs);
}
