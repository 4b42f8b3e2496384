/** Where JSON text stops being valid and why, in words. */
export type JsonSyntaxError = {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly problem: string;
};

/**
 * The first syntax error in JSON text, or undefined when it is valid: the 0-based offset (and 1-based line and
 * column) of the first character a strict JSON reader cannot accept, or of the end when the text stops too
 * early. JSON.parse's own messages give no position for some errors, and their wording differs between Node
 * versions, hence this small reader.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const offset = errorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const previous = before.trimEnd().at(-1);
  const character = text[offset];
  const problem =
    offset >= text.trimEnd().length
      ? 'unexpected end of input'
      : previous === ',' && (character === ']' || character === '}')
        ? `unexpected '${character}' (JSON allows no comma before it)`
        : `unexpected '${character}'`;
  return { offset, line: before.split('\n').length, column: offset - before.lastIndexOf('\n'), problem };
}

function errorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (' \t\n\r'.includes(text[at] ?? '!')) at++;
  };
  const expect = (character: string) => {
    if (text[at] !== character) fail();
    at++;
  };
  const literal = (word: string) => {
    for (const character of word) expect(character);
  };
  const string = () => {
    expect('"');
    for (;;) {
      const character = text[at];
      if (character === undefined || character < ' ') fail();
      at++;
      if (character === '"') return;
      if (character === '\\') {
        if (text[at] === 'u') {
          at++;
          for (let digit = 0; digit < 4; digit++)
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail();
            else at++;
        } else if ('"\\/bfnrt'.includes(text[at] ?? '!')) at++;
        else fail();
      }
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (match === null) fail();
    at += match![0].length;
  };
  const sequence = (close: string, item: () => void) => {
    at++;
    space();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[at] === close) {
        at++;
        return;
      }
      expect(',');
      space();
    }
  };
  const value = (): void => {
    space();
    const character = text[at];
    if (character === '{') {
      sequence('}', () => {
        string();
        space();
        expect(':');
        value();
      });
    } else if (character === '[') sequence(']', value);
    else if (character === '"') string();
    else if (character === 't') literal('true');
    else if (character === 'f') literal('false');
    else if (character === 'n') literal('null');
    else number();
    space();
  };
  try {
    value();
    return at === text.length ? undefined : at;
  } catch (offset) {
    return offset as number;
  }
}
