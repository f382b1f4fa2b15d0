import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

/**
 * Every regular expression written in the engine, the rules and the project model runs on text
 * a user (or an attacker) wrote. None may take super-linear time: each one, as a literal or as
 * `new RegExp('…')` with literal source, is run on 100,000 adversarial characters (each character
 * its pattern names and a few common ones, repeated, then one that matches nothing), and must
 * answer within a bound that only backtracking can exceed.
 */

const src = join(__dirname, '..', '..', 'server', 'src');
const length = 100_000;
// A linear pattern answers 100,000 characters in a few ms; a backtracking one in seconds to hours.
// The bound leaves room for a loaded machine.
const boundMs = 750;

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function patterns(): { found: Pattern[]; dynamic: number } {
  const found: Pattern[] = [];
  let dynamic = 0;
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) =>
      `${relative(src, file)}:${tree.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const literal = node.text;
        const end = literal.lastIndexOf('/');
        found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
      } else if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        if (pattern && ts.isStringLiteralLike(pattern) && (!flags || ts.isStringLiteralLike(flags)))
          found.push({
            where: where(node),
            source: pattern.text,
            flags: flags ? (flags as ts.StringLiteral).text : '',
          });
        else dynamic++;
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return { found, dynamic };
}

/** The characters worth repeating against a pattern: its own literal characters and common ones. */
function alphabet(source: string): string[] {
  const chars = new Set<string>([
    'a',
    'A',
    '0',
    ' ',
    '\t',
    '\n',
    '-',
    '_',
    '.',
    '/',
    ':',
    '=',
    '"',
    "'",
    '#',
  ]);
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[++i];
      if (next && !/[dDwWsSbBnrtuxpPk0-9]/.test(next)) chars.add(next);
    } else if (!'()[]{}|*+?^$'.includes(c)) chars.add(c);
  }
  return [...chars];
}

describe('regular expressions on user text', function () {
  this.timeout(600_000);
  const { found, dynamic } = patterns();

  it(`none takes super-linear time on ${length.toLocaleString('en')} adversarial characters`, () => {
    assert.ok(found.length > 200, `found the patterns (${found.length}, ${dynamic} built at run time)`);
    const slow: string[] = [];
    for (const { where, source, flags } of found) {
      let regex: RegExp;
      try {
        regex = new RegExp(source, flags.replace(/[gy]/g, ''));
      } catch {
        continue; // not valid without its context (a fragment): the compiler would have said
      }
      for (const c of alphabet(source)) {
        const input = c.repeat(length) + '\u0001';
        const started = process.hrtime.bigint();
        try {
          runInNewContext('regex.test(input)', { regex, input }, { timeout: boundMs * 8 });
        } catch {
          // Stopped at the timeout.
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (ms > boundMs) {
          slow.push(`${where} /${source}/${flags} on ${JSON.stringify(c)} × ${length}: ${Math.round(ms)} ms`);
          break;
        }
      }
    }
    assert.deepEqual(slow, []);
  });
});
