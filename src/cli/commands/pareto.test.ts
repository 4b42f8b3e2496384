import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

const textbook = readFileSync(new URL('../../../examples/pareto.csv', import.meta.url), 'utf8');
const textbookSix = [
  'TF-IDF + LogReg',
  'Fine-tuned DistilBERT',
  'Fine-tuned BERT-base',
  'Hybrid (BERT + GPT-4o)',
  'GPT-4o (few-shot)',
  'Claude Opus (few-shot)',
];

/** The names on rows marked '*', in printed order. */
const marked = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.endsWith('  *'))
    .map((line) => line.split(/ {2,}/)[0]);

const run = (argv: string[], text = textbook) =>
  runCli(['pareto', ...argv], { files: { 'configs.csv': text } });

describe('frugal pareto', () => {
  it('marks exactly the textbook six on cost × accuracy by default, cheapest first', async () => {
    const { code, stdout, stderr } = await run(['configs.csv']);
    expect([code, stderr]).toEqual([0, '']);
    expect(marked(stdout)).toEqual(textbookSix);
    expect(stdout).toMatch(/^TF-IDF \+ LogReg +0\.72 +0\.00001 +1 +\*$/m);
    expect(stdout).toMatch(/^Bad prompt \(GPT-4o-mini\) +0\.78 +0\.00350 +500$/m);
    expect(stdout).toContain('Pareto-optimal: 6 / 10 (minimize cost_per_query, maximize accuracy)');
  });

  it('gives the same six with explicit objectives', async () => {
    const { stdout } = await run(['configs.csv', '--max', 'accuracy', '--min', 'cost_per_query']);
    expect(marked(stdout)).toEqual(textbookSix);
  });

  it('adds latency as a third objective, keeping a row only latency saves', async () => {
    const withCache = `${textbook}GPT-4o cached (zero-shot),0.93,0.01000,50\n`;
    const twoD = await run(['configs.csv', '--min', 'cost_per_query', '--max', 'accuracy'], withCache);
    const threeD = await run(
      ['configs.csv', '--min', 'cost_per_query', '--min', 'latency_ms', '--max', 'accuracy'],
      withCache,
    );
    expect(twoD.stdout).toContain('Pareto-optimal: 6 / 11');
    expect(marked(threeD.stdout)).toEqual([
      ...textbookSix.slice(0, 4),
      'GPT-4o cached (zero-shot)',
      ...textbookSix.slice(4),
    ]);
    expect(threeD.stdout).toContain(
      'Pareto-optimal: 7 / 11 (minimize cost_per_query, minimize latency_ms, maximize accuracy)',
    );
  });

  it.each([
    ['exact ties are both kept', 'name,cost,quality\na,1,0.9\nb,1,0.9\nc,2,0.9\n', ['a', 'b'], '2 / 3'],
    ['a single row is optimal', 'name,cost,quality\nonly,5,0.5\n', ['only'], '1 / 1'],
    ['a header alone has no rows', 'name,cost,quality\n', [], '0 / 0'],
    [
      'quoted names with commas and CRLF',
      'name,cost,quality\r\n"a, the cheap one",1,0.5\r\n"b ""best""",2,0.9\r\n',
      ['a, the cheap one', 'b "best"'],
      '2 / 2',
    ],
  ])('%s', async (_name, text, names, count) => {
    const { code, stdout } = await run(['configs.csv'], text);
    expect(code).toBe(0);
    expect(marked(stdout)).toEqual(names);
    expect(stdout).toContain(`Pareto-optimal: ${count}`);
  });

  it('reads JSON and prints JSON rows in input order', async () => {
    const rows = [
      { name: 'big', cost: 0.02, quality: 0.97 },
      { name: 'small', cost: '0.001', quality: 0.8 },
      { name: 'bad', cost: 0.03, quality: 0.5, note: 'worse' },
    ];
    const { code, stdout } = await runCli(['pareto', 'runs.json', '--json'], {
      files: { 'runs.json': JSON.stringify(rows) },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      objectives: [
        { column: 'cost', direction: 'minimize' },
        { column: 'quality', direction: 'maximize' },
      ],
      optimal: 2,
      total: 3,
      rows: [
        { row: 1, pareto_optimal: true, values: { name: 'big', cost: 0.02, quality: 0.97, note: null } },
        { row: 2, pareto_optimal: true, values: { name: 'small', cost: '0.001', quality: 0.8, note: null } },
        { row: 3, pareto_optimal: false, values: { name: 'bad', cost: 0.03, quality: 0.5, note: 'worse' } },
      ],
    });
  });

  it.each([
    ['CSV', textbook, 'Pareto-optimal: 6 / 10'],
    ['JSON', '[{"cost": 1, "score": 2}, {"cost": 2, "score": 1}]', 'Pareto-optimal: 1 / 2'],
  ])('reads %s from standard input', async (_name, stdin, summary) => {
    const { code, stdout } = await runCli(['pareto', '-'], { stdin });
    expect(code).toBe(0);
    expect(stdout).toContain(summary);
  });

  it.each([
    [
      'an unknown flag',
      ['configs.csv', '--maximize', 'accuracy'],
      textbook,
      "frugal pareto: unknown option '--maximize' (see 'frugal pareto --help')",
    ],
    [
      'no file',
      [],
      textbook,
      "frugal pareto: expected a CSV or JSON file, e.g. 'frugal pareto examples/pareto.csv'",
    ],
    [
      'an unreadable file',
      ['missing.csv'],
      textbook,
      "frugal pareto: cannot read 'missing.csv': no such file",
    ],
    [
      'an unknown column',
      ['configs.csv', '--min', 'latency'],
      textbook,
      "frugal pareto: --min 'latency': no such column in configs.csv; columns are 'configuration', 'accuracy', 'cost_per_query', 'latency_ms'",
    ],
    [
      'a column given twice',
      ['configs.csv', '--min', 'latency_ms', '--max', 'latency_ms'],
      textbook,
      "frugal pareto: --max 'latency_ms': column 'latency_ms' is already an objective",
    ],
    [
      'no default objectives',
      ['configs.csv'],
      'name,speed,accuracy\na,1,2\n',
      "frugal pareto: no objectives: pass --min/--max COLUMN (no cost column to default to in configs.csv; columns are 'name', 'speed', 'accuracy')",
    ],
    [
      'a non-numeric cell',
      ['configs.csv'],
      textbook.replace('0.00400', 'n/a'),
      "frugal pareto: configs.csv at row 5 'GPT-4o-mini (few-shot)' (line 6), column 'cost_per_query': expected a number, found 'n/a'",
    ],
    [
      'a missing cell',
      ['configs.csv'],
      textbook.replace(',0.95,', ',,'),
      "frugal pareto: configs.csv at row 7 'GPT-4o (few-shot)' (line 8), column 'accuracy': missing: expected a number",
    ],
    [
      'a negative-looking word',
      ['configs.csv'],
      textbook.replace('0.72', '-'),
      "frugal pareto: configs.csv at row 1 'TF-IDF + LogReg' (line 2), column 'accuracy': expected a number, found '-'",
    ],
    [
      'a short row',
      ['configs.csv'],
      textbook.replace(',0.00030,15', ',0.00030'),
      'frugal pareto: configs.csv at line 3: expected 4 fields as in the header, found 3',
    ],
    [
      'an unclosed quote',
      ['configs.csv'],
      textbook.replace('Fine-tuned BERT-base', '"Fine-tuned BERT-base'),
      'frugal pareto: configs.csv at line 4, column 1: quoted field is never closed',
    ],
    [
      'a stray quote',
      ['configs.csv'],
      textbook.replace('BERT-base', 'BERT "base"'),
      'frugal pareto: configs.csv at line 4, column 17: a quote inside an unquoted field',
    ],
    [
      'a duplicate header',
      ['configs.csv'],
      textbook.replace('latency_ms', 'accuracy'),
      "frugal pareto: configs.csv at line 1, column 4: duplicate column name 'accuracy'",
    ],
    [
      'an empty file',
      ['configs.csv'],
      '',
      'frugal pareto: configs.csv: expected a header row, found an empty file',
    ],
  ])('exits 2 with one line for %s', async (_name, argv, text, message) => {
    const { code, stdout, stderr } = await run(argv, text);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr.slice(0, message.length)).toBe(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    [
      'malformed JSON',
      '[{"cost": 1, "quality": }]',
      /^frugal pareto: runs\.json at line 1, column \d+: malformed JSON: .+\n$/,
    ],
    [
      'JSON that is not a list',
      '{"cost": 1}',
      /^frugal pareto: runs\.json: expected a list of rows \(objects\), found a mapping\n$/,
    ],
    [
      'a JSON row that is not an object',
      '[{"cost": 1, "quality": 2}, 3]',
      /^frugal pareto: runs\.json at \[1\]: expected an object \(one row\), found 3\n$/,
    ],
    [
      'a JSON string that is not a number',
      '[{"cost": "cheap", "quality": 2}]',
      /^frugal pareto: runs\.json at row 1, column 'cost': expected a number, found 'cheap'\n$/,
    ],
  ])('exits 2 with one line for %s', async (_name, text, message) => {
    const { code, stderr } = await runCli(['pareto', 'runs.json'], { files: { 'runs.json': text } });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
