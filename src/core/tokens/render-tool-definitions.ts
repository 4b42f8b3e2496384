import type { ChatTool } from './chat-request.js';

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const schemaOf = (value: unknown): Schema => (isSchema(value) ? value : {});

/** `properties` of an object schema, in their written order. */
const propertiesOf = (schema: Schema): [string, Schema][] =>
  Object.entries(schemaOf(schema['properties'])).map(([name, value]) => [name, schemaOf(value)]);

function renderType(schema: Schema, indent: number): string {
  const values = Array.isArray(schema['enum']) ? schema['enum'] : undefined;
  switch (schema['type']) {
    case 'string':
      return values ? values.map((value) => `"${String(value)}"`).join(' | ') : 'string';
    case 'number':
    case 'integer':
      return values ? values.map(String).join(' | ') : 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'object':
      return ['{', renderProperties(schema, indent + 2), '}'].join('\n');
    case 'array':
      return isSchema(schema['items']) ? `${renderType(schema['items'], indent)}[]` : 'any[]';
    default:
      return 'any';
  }
}

function renderProperties(schema: Schema, indent: number): string {
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  const lines: string[] = [];
  for (const [name, property] of propertiesOf(schema)) {
    if (typeof property['description'] === 'string') lines.push(`// ${property['description']}`);
    const optional = required.includes(name) ? '' : '?';
    lines.push(`${name}${optional}: ${renderType(property, indent)},`);
  }
  return lines.map((line) => ' '.repeat(indent) + line).join('\n');
}

/**
 * The text OpenAI puts in the prompt for tool (function) definitions. OpenAI does not publish it; this is
 * the rendering that open-source counters (openai-chat-tokens and others) inferred by comparing API token
 * counts, and it reproduces the published counts in the tests. The rule:
 *
 *     namespace functions {
 *     <blank line>
 *     // <function description>              (only when there is one)
 *     type <name> = (_: {
 *     // <property description>              (only when there is one)
 *     <property>: <type>,                    (`<property>?:` unless listed in `required`)
 *     }) => any;                             (`type <name> = () => any;` with no properties)
 *     <blank line>
 *     } // namespace functions
 *
 * Types: string → `string`, or `"a" | "b"` for an enum; number and integer → `number`, or `1 | 2`; boolean;
 * null; array → `<items>[]` (`any[]` without items); object → `{` + its properties indented two more
 * spaces + `}`. Anything else (type lists, anyOf, $ref) renders as `any`: an approximation.
 */
export function renderToolDefinitions(tools: readonly ChatTool[]): string {
  const lines = ['namespace functions {', ''];
  for (const tool of tools) {
    const definition = 'function' in tool && isSchema(tool.function) ? tool.function : tool;
    const name = String(definition['name']);
    const description = definition['description'];
    const parameters = schemaOf(definition['parameters']);
    if (typeof description === 'string' && description !== '') lines.push(`// ${description}`);
    if (propertiesOf(parameters).length > 0) {
      lines.push(`type ${name} = (_: {`, renderProperties(parameters, 0), '}) => any;');
    } else {
      lines.push(`type ${name} = () => any;`);
    }
    lines.push('');
  }
  lines.push('} // namespace functions');
  return lines.join('\n');
}
