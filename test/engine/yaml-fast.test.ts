import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { DataNode } from '../../server/src/engine/parse/tree';
import { intrinsicTags, parseYaml, parseYamlReference } from '../../server/src/engine/parse/yaml';
import { parseYamlFast } from '../../server/src/engine/parse/yaml-fast';

// The fast YAML path must give exactly the reference tree (the `yaml` package plus our
// converter) or decline. These tests compare the two on real files, on mutations of them, and
// on one case per construct.

const corpus = join(__dirname, '..', '..', '..', 'shared', 'corpus');

function yamlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}

function fast(text: string) {
  return parseYamlFast(text, intrinsicTags);
}

/** Undefined when the fast path declines or agrees with the reference; else what differs. */
function disagreement(text: string): string | undefined {
  const mine = fast(text);
  if (!mine) return undefined;
  const reference = parseYamlReference(text);
  const errors = reference.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return `the reference reports ${errors[0].message}`;
  if (!isDeepStrictEqual(mine.root, reference.root)) return 'the trees differ';
  if (!isDeepStrictEqual(mine.problems, reference.problems)) return 'the problems differ';
  return undefined;
}

/** Fast and reference agree, and the fast path did not decline. */
function sameAsReference(text: string) {
  const mine = fast(text);
  assert.ok(mine, `the fast path declined:\n${text}`);
  const reference = parseYamlReference(text);
  assert.deepEqual(mine.root, reference.root);
  assert.deepEqual(mine.problems, reference.problems);
  return mine;
}

function valueAt(root: DataNode | undefined, key: string): DataNode | undefined {
  assert.equal(root?.type, 'map');
  return root.pairs.find((p) => p.key.value === key)?.value;
}

/** A small deterministic generator (mulberry32), so that the mutations are the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tricky = [
  `AWSTemplateFormatVersion: '2010-09-09'
Description: "A \\"quoted\\" description" # comment
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '\${AWS::StackName}-bucket'
      Tags:
        - Key: team
          Value: !If [IsProd, !Ref AWS::NoValue, 'it''s']
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: |
          import os
            indented
          def handler(event, context):
              return 1
      Timeout: 010
      MemorySize: 0x1F
      Description: >-
        folded text
        continues here

        new paragraph
Outputs:
  Arn:
    Value: !GetAtt Fn.Arn
    Export:
      Name: !Join
        - '-'
        - - !Ref AWS::StackName
          - arn
`,
  `version: "3.8"
services:
  web:
    image: nginx:1.25
    ports:
      - "80:80"
      - 443:443
    environment:
      - EMPTY=
    command: ["npm", "start"]
    deploy: {replicas: 2, resources: {limits: {cpus: '0.5'}}}
  db:
    volumes:
    - db:/var/lib/postgresql/data
volumes:
  db: {}
`,
  `key: "multi
  line  double

  quoted"
other: 'multi
  line single'
plain: first
  second

  third
flow: [
  a, b,
  c
]
map: {
  x: 1,
  y: 2
}
tagged: !Sub
  - '\${A}'
  - A: !Ref B
seq:
  -
    name: c
  - # comment
    name: d
empty:
kept: |+
  keep

last: end
...
`,
];

describe('the fast YAML path', () => {
  describe('on the corpus', () => {
    it('gives the reference tree for every YAML file it does not decline, and declines few', function () {
      if (!existsSync(corpus)) this.skip();
      const files = yamlFiles(corpus);
      let taken = 0;
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const problem = disagreement(text);
        assert.equal(problem, undefined, `${file}: ${problem}`);
        if (fast(text)) taken++;
      }
      // 657 of the 665 files when this was written: five of the rest are not valid YAML, the
      // others use `!!int`, a pair inside a flow sequence, and tabs.
      assert.ok(taken >= files.length * 0.95, `only ${taken} of ${files.length} files took the fast path`);
    });
  });

  describe('on mutated templates', () => {
    const edits = [
      ' ',
      '\t',
      '\n',
      '\n  ',
      ':',
      ': ',
      '- ',
      '#',
      ' #',
      "'",
      '"',
      '[',
      ']',
      '{',
      '}',
      ',',
      '!',
      '!Ref ',
      '|',
    ];
    edits.push(
      '>-',
      '&',
      '*',
      '?',
      'a',
      '0',
      '.',
      '\\',
      '\t',
      '%',
      '---',
      '\n\n',
      '  ',
      "''",
      '|2',
      '\r\n',
      '- a: b\n',
    );

    /** A few random small edits: delete, insert, indent or dedent a line, drop or repeat a line. */
    function mutate(text: string, next: () => number): string {
      const count = 1 + Math.floor(next() * 3);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(next() * (text.length + 1));
        const lineStart = text.lastIndexOf('\n', at - 1) + 1;
        const kind = next();
        if (kind < 0.25) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 2));
        else if (kind < 0.65)
          text = text.slice(0, at) + edits[Math.floor(next() * edits.length)] + text.slice(at);
        else if (kind < 0.8)
          text = text.slice(0, lineStart) + (next() < 0.5 ? ' ' : '  ') + text.slice(lineStart);
        else if (kind < 0.9) text = text.slice(0, lineStart) + text.slice(lineStart).replace(/^ {1,2}/, '');
        else {
          const lines = text.split('\n');
          const line = Math.floor(next() * lines.length);
          if (next() < 0.5) lines.splice(line, 1);
          else lines.splice(line, 0, lines[Math.floor(next() * lines.length)]);
          text = lines.join('\n');
        }
      }
      return text;
    }

    /** Pieces of templates that stand alone: a line and what is indented under it, dedented. */
    function pieces(text: string, next: () => number, count: number): string[] {
      const lines = text.split(/\r?\n/);
      const found: string[] = [];
      for (let n = 0; n < count; n++) {
        let first = Math.floor(next() * lines.length);
        while (first < lines.length && !/^ *[^ #-]/.test(lines[first])) first++;
        if (first >= lines.length) continue;
        const indent = lines[first].search(/\S/);
        const piece: string[] = [];
        for (let i = first; i < lines.length && piece.length < 40; i++) {
          const spaces = lines[i].search(/\S/);
          if (spaces >= 0 && spaces < indent) break;
          piece.push(lines[i].slice(Math.min(indent, spaces < 0 ? lines[i].length : spaces)));
        }
        found.push(piece.join('\n'));
      }
      return found;
    }

    it('never returns a tree where the reference reports an error or builds another tree', function () {
      const next = random(20240611);
      const bases = [...tricky, ...tricky.map((t) => t.replace(/\n/g, '\r\n'))];
      if (existsSync(corpus)) {
        const files = yamlFiles(join(corpus, 'cfn'));
        for (let i = 0; i < 40; i++) {
          const file = files[Math.floor(next() * files.length)];
          bases.push(...pieces(readFileSync(file, 'utf8'), next, 1));
        }
      }
      let mutants = 0;
      let taken = 0;
      for (const [index, base] of bases.entries()) {
        const rounds = index < tricky.length * 2 ? 300 : 120;
        for (let round = 0; round < rounds; round++) {
          const text = mutate(base, next);
          mutants++;
          const problem = disagreement(text);
          assert.equal(problem, undefined, `${problem} for ${JSON.stringify(text)}`);
          if (fast(text)) taken++;
        }
      }
      // The comparison only means something if many mutants take the fast path.
      assert.ok(taken > mutants * 0.2, `only ${taken} of ${mutants} mutants took the fast path`);
    });
  });

  describe('on generated documents', () => {
    /**
     * Documents built from the constructs the fast path handles, with the variations that
     * decide a scalar's value and range: indentation around the parent's, empty lines with and
     * without spaces, comments, line breaks inside quotes and flow collections, block scalar
     * headers, and text that looks like numbers, indicators or escapes.
     */
    function generate(next: () => number): string {
      const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
      const count = (n: number) => Math.floor(next() * n);
      const spaces = (n: number) => ' '.repeat(Math.max(0, n));
      const words = [
        'a',
        'b c',
        'x:y',
        'u/#f',
        '010',
        '0x1F',
        '1e3',
        '.5',
        'True',
        '~',
        '-1',
        'a #b',
        "it's",
      ];
      words.push(
        'a"b',
        ':x',
        '?x',
        '[x]',
        '&a',
        '%',
        'é',
        '  lead',
        'tail  ',
        '',
        '\\t',
        '\\x41',
        '\\"',
        '-.inf',
      );
      const word = () => pick(words);
      const comment = () => (next() < 0.15 ? pick([' # c', ' #', ' # k: v']) : '');
      const empties = (indent: number) => {
        let text = '';
        for (let n = count(3); n > 0; n--)
          text += spaces(count(indent + 4)) + (next() < 0.15 ? '#c' : '') + '\n';
        return text;
      };
      const lineIndent = (parent: number) => spaces(parent + 1 + count(3) - (next() < 0.1 ? 2 : 0));
      const flow = (parent: number, depth: number): string => {
        const map = next() < 0.4;
        const items: string[] = [];
        for (let n = count(4); n > 0; n--) {
          let item =
            depth < 2 && next() < 0.2
              ? flow(parent, depth + 1)
              : pick([word(), "'q'", '"x y"', '!Ref X', '']);
          if (map) item = pick(['k', '"q"', 'n' + n]) + pick([': ', ':', ' : ']) + item;
          items.push(item);
        }
        const gap = () =>
          next() < 0.2 ? '\n' + spaces(parent + count(3)) + (next() < 0.1 ? '# c\n ' : '') : ' ';
        const [open, close] = map ? ['{', '}'] : ['[', ']'];
        return open + gap() + items.join(',' + gap()) + (next() < 0.2 ? ',' : '') + gap() + close;
      };
      const scalar = (parent: number): string => {
        const kind = next();
        if (kind < 0.3) return word() + comment();
        if (kind < 0.4) {
          let text = word() || 'w';
          for (let n = 1 + count(3); n > 0; n--)
            text += '\n' + (next() < 0.3 ? empties(parent) : '') + lineIndent(parent) + (word() || 'z');
          return text + comment();
        }
        if (kind < 0.7) {
          const quote = next() < 0.5 ? "'" : '"';
          const quoted = () => (quote === "'" ? word().replace(/'/g, "''") : word().replace(/"/g, '\\"'));
          let text = quote + quoted();
          for (let n = count(3); n > 0; n--) {
            text +=
              pick(['', ' ', quote === '"' ? '\\' : '']) +
              '\n' +
              (next() < 0.3 ? spaces(count(4)) + '\n' : '');
            text += lineIndent(parent) + quoted();
          }
          return text + quote + comment();
        }
        if (kind < 0.9) {
          const digit = next() < 0.3 ? 1 + count(3) : 0;
          let text =
            pick(['|', '>']) + pick(['', '', '-', '+']) + (digit || '') + (next() < 0.2 ? ' # h' : '') + '\n';
          const base = digit ? parent + digit : parent + 1 + count(3);
          for (let n = count(5); n > 0; n--) {
            const line = next();
            if (line < 0.25) text += spaces(count(base + 3)) + '\n';
            else if (line < 0.4) text += spaces(base + 1 + count(3)) + word() + '\n';
            else if (line < 0.45) text += spaces(base - 1) + word() + '\n';
            else text += spaces(base) + word() + '\n';
          }
          return text.replace(/\n$/, '');
        }
        return flow(parent, 0);
      };
      const value = (indent: number, depth: number): string => {
        const kind = next();
        if (depth < 3 && kind < 0.25)
          return '\n' + (next() < 0.2 ? empties(indent) : '') + map(indent + 1 + count(3), depth + 1);
        if (depth < 3 && kind < 0.4) return '\n' + seq(indent + (next() < 0.3 ? 0 : 1 + count(3)), depth + 1);
        const tag = next() < 0.2 ? pick(['!Ref ', '!Sub ', '!Foo ']) : '';
        if (kind < 0.45) return ' ' + tag.trim() + comment();
        if (next() < 0.1)
          return ' ' + tag + '\n' + empties(indent) + spaces(indent + 1 + count(2)) + scalar(indent);
        return ' ' + tag + scalar(indent);
      };
      const map = (indent: number, depth: number): string => {
        let text = '';
        for (let n = 1 + count(4); n > 0; n--) {
          const key = pick(['k' + count(5), '"q"', "'s'", '1', 'null', 'a b']) + pick([':', ':', ' :']);
          text += spaces(indent) + key + value(indent, depth) + '\n' + (next() < 0.15 ? empties(indent) : '');
        }
        return text;
      };
      const seq = (indent: number, depth: number): string => {
        let text = '';
        for (let n = 1 + count(4); n > 0; n--) {
          const compact =
            depth < 3 && next() < 0.2
              ? map(indent + 2, depth + 1)
                  .slice(indent + 2)
                  .replace(/\n$/, '')
              : '';
          text += spaces(indent) + '-' + (compact ? ' ' + compact : value(indent, depth)) + '\n';
        }
        return text;
      };
      let text = next() < 0.85 ? map(0, 0) : seq(0, 0);
      if (next() < 0.2) text = text.replace(/\n/g, '\r\n');
      if (next() < 0.2) text = text.replace(/\r?\n$/, '');
      return text;
    }

    it('never returns a tree where the reference reports an error or builds another tree', () => {
      const next = random(7);
      let taken = 0;
      const documents = 1500;
      for (let n = 0; n < documents; n++) {
        const text = generate(next);
        const problem = disagreement(text);
        assert.equal(problem, undefined, `${problem} for ${JSON.stringify(text)}`);
        if (fast(text)) taken++;
      }
      assert.ok(taken > documents * 0.2, `only ${taken} of ${documents} documents took the fast path`);
    });
  });

  describe('constructs', () => {
    const supported: [string, string][] = [
      ['a comment after a value', 'key: value # comment\nother: 1 #\n'],
      ['a # inside a plain scalar', 'key: a#b\nurl: http://x/#frag\n'],
      ['single quotes with an escaped quote', "key: 'it''s'\n"],
      ['double quotes with escapes', 'key: "a\\"b\\\\c\\n\\t\\x41\\u00e9\\U0001F600\\/"\n'],
      ['a !Sub block scalar', 'Value: !Sub |\n  echo ${A}\n  echo ${B}\nNext: 1\n'],
      ['!If with short forms inside a flow sequence', 'Value: !If [C, !Ref A, !Ref AWS::NoValue]\n'],
      ['a flow map over several lines', 'Value: {\n  a: 1,\n  "b": [x, y],\n  c: {d: e}\n  }\n'],
      ['a flow sequence closed at the key indentation', 'Value: [\n  a,\n  b,\n]\nNext: 1\n'],
      ['a flow map with empty values and "k":v', 'Value: {"k":1, c: , d: 2,}\n'],
      ['a key with nothing after it', 'Key:\nOther:   \nLast: # comment\n'],
      ['nested sequences on one line', 'list:\n  - - nested\n    - more\n  - - other\n'],
      ['a sequence at the indentation of its key', 'list:\n- a\n-\n- b\nnext: 1\n'],
      ['compact maps in a sequence', 'list:\n  - name: a\n    value: b\n  -   name: c\n      value: d\n'],
      ['plain scalars starting with : or -', 'list:\n  - :iam::aws\n  - -1\n  - ::/0\n  - -foo\n'],
      ['a multi-line plain scalar', 'key: first\n  second\n\n\n  third - with:colon\nnext: 1\n'],
      ['a multi-line single-quoted scalar', "key: 'first \n   second\n\n  third '\nnext: 1\n"],
      ['a multi-line double-quoted scalar', 'key: "first \\\n   second  \n\n  third\\ \n  fourth"\n'],
      [
        'literal block scalars with chomping',
        'a: |\n  x\n\n\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: |\n  x\n     \n',
      ],
      ['folded block scalars', 'a: >\n  one\n  two\n\n  three\n    more\n  back\nb: >-\n  x\n  y\n'],
      [
        'block scalars with leading empty lines and comments',
        'a: | # note\n\n  x\n  # not a comment\nb: >\n\n\n  y\n',
      ],
      ['an empty block scalar', 'a: |\nb: >-\nc: 1\n'],
      ['empty block scalars followed by empty lines', 'a: |\n   \n\nb: >-\n\nc: |+\n\n \nd: 1\n'],
      [
        'block scalars with indentation indicators',
        'a: |2\n    first\n  second\n    \nb: >1-\n   x\n  y\n\nc: |+2\n  k\n\nd:\n  - |1\n    z\n  - >2+\n\n     w\n',
      ],
      [
        'short forms on scalars, sequences and maps',
        'a: !Ref X\nb: !GetAtt\n  - R\n  - Arn\nc: !Transform\n  Name: N\n',
      ],
      ['a short form with nothing after it', 'a: !Ref\nb: !GetAZs\n- x\n'],
      ['a short form followed by a comment', 'a: !If # note\n  - C\n  - x\nb: !Sub # !Sub\n  x\n'],
      ['tags CloudFormation does not know', 'a: !Rain::Embed file.txt\nb: !Foo\n  x: 1\nc: !Bar [1]\n'],
      ['a document start and end', '# head\n--- # start\na: 1\n...\n# tail\n'],
      ['CRLF line endings', 'a: 1\r\nb:\r\n  - "x\r\n    y"\r\n  - |\r\n    z\r\n\r\nc: >\r\n  f\r\n  g\r\n'],
      ['duplicate keys', 'a: 1\nb: 2\na: 3\nm: {x: 1, x: 2}\n1: a\n"1": b\n01: c\n'],
      ['keys of every type', 'null: a\n~: b\ntrue: c\n1.5: d\n"q": e\n\'s\': f\nkey with spaces  : g\n'],
      ['a document that is a sequence', '- a\n- b: 1\n  c: 2\n- [x]\n'],
      ['comments at any indentation', 'a:\n# left\n    # right\n  b: 1\n  # middle\n  c: 2\n# end\n'],
    ];
    for (const [name, text] of supported) {
      it(`gives the reference tree for ${name}`, () => {
        sameAsReference(text);
      });
    }

    it('resolves plain scalars as the YAML 1.2 core schema does', () => {
      const cases: [string, unknown][] = [
        ['010', 10],
        ['0x1F', 31],
        ['0o17', 15],
        ['1e3', 1000],
        ['.5', 0.5],
        ['+1', 1],
        ['-1.5', -1.5],
        ['1.10', 1.1],
        ['~', null],
        ['Null', null],
        ['NULL', null],
        ['TRUE', true],
        ['False', false],
        ['yes', 'yes'],
        ['2010-09-09', '2010-09-09'],
        ['1.2.3', '1.2.3'],
        ['-.inf', -Infinity],
        ['.NaN', NaN],
        ['0b101', '0b101'],
        ['1_000', '1_000'],
        ['0x', '0x'],
      ];
      const text = cases.map(([raw], i) => `k${i}: ${raw}\n`).join('') + 'tagged: !Ref 010\nquoted: "010"\n';
      const { root } = sameAsReference(text);
      cases.forEach(([raw, value], i) => {
        const node = valueAt(root, `k${i}`);
        assert.equal(node?.type, 'scalar');
        assert.deepEqual(node.value, value, raw);
      });
      assert.deepEqual(valueAt(valueAt(root, 'tagged'), 'Ref'), {
        type: 'scalar',
        value: '010',
        style: 'plain',
        span: {
          start: text.indexOf('010', text.indexOf('tagged')),
          end: text.indexOf('010', text.indexOf('tagged')) + 3,
        },
      });
      assert.equal((valueAt(root, 'quoted') as { value: unknown }).value, '010');
    });

    it('represents short forms as one-pair maps keyed by the tag', () => {
      const text = 'Value: !Sub |\n  x\n';
      const { root } = sameAsReference(text);
      assert.deepEqual(valueAt(root, 'Value'), {
        type: 'map',
        flow: true,
        shortForm: true,
        span: { start: 7, end: 18 },
        pairs: [
          {
            key: { type: 'scalar', value: 'Fn::Sub', style: 'plain', span: { start: 7, end: 11 } },
            value: { type: 'scalar', value: 'x\n', style: 'literal', span: { start: 12, end: 18 } },
            span: { start: 7, end: 18 },
          },
        ],
      });
    });

    it('reports duplicate keys as the reference does', () => {
      const { problems } = sameAsReference('a: 1\na: 2\n');
      assert.deepEqual(problems, [
        {
          message: 'Duplicate key "a": most tools keep only one of them.',
          span: { start: 5, end: 6 },
          severity: 'warning',
          fatal: false,
        },
      ]);
    });

    it('takes tabs where they are only text: comments and block scalar lines', () => {
      sameAsReference('# a\tcomment\na: 1 # and\tanother\n');
      sameAsReference('run: |\n  export PATH=$PATH:/usr/local/bin\t\n  echo\tdone\n');
      sameAsReference('note: >\n  folded\ttext\n  goes on\n');
      sameAsReference('list: [1, # c\td\n  2]\n');
    });

    const declined: [string, string][] = [
      ['anchors and aliases', 'a: &x 1\nb: *x\n'],
      ['merge keys', 'base: {a: 1}\nderived:\n  <<: {b: 2}\n'],
      ['complex keys', '? a\n: b\n'],
      ['directives', '%YAML 1.2\n---\na: 1\n'],
      ['several documents', 'a: 1\n---\nb: 2\n'],
      ['tabs', 'a:\n\tb: 1\n'],
      ['a tab in a plain scalar', 'a: x\ty\n'],
      ['a tab after a colon', 'a:\t1\n'],
      ['a tab in a quoted scalar', 'a: "x\ty"\n'],
      ['a tab before a comment', 'a: 1\t# c\n'],
      ['a tab opening a folded line', 'a: >\n  \tx\n  y\n'],
      ['secondary tags', 'a: !!int 1\n'],
      ['pairs inside flow sequences', 'a: [b: c]\n'],
      ['an empty document', '# nothing\n'],
      ['a document that is a scalar', 'just text\n'],
      ['a byte-order mark', '\ufeffa: 1\n'],
      ['a scalar that could continue onto the next key', 'a:\n\n#note\n  x\nb: 1\n'],
      [
        'a tagged scalar that could continue onto the next key',
        'a:\n  -\n#note\n      !x\n       y\n   q: 1\n',
      ],
    ];
    for (const [name, text] of declined) {
      it(`declines ${name}`, () => {
        assert.equal(fast(text), undefined);
      });
    }

    const errors: [string, string][] = [
      ['a nested map on the key line', 'a: b: c\n'],
      ['a sequence on the key line', 'a: - b\n'],
      ['a key without a value', 'a: 1\nb\n'],
      ['a flow sequence that is not closed', 'a: [b, c\nd: 1\n'],
      ['an unterminated quote', 'a: "b\n'],
      ['a flow sequence not indented enough', 'a:\n  b: [\n  c]\n'],
      ['a block scalar less indented than its first line', 'a: |\n    x\n  y\n'],
      ['a comment without a space before it', 'a: "b"#c\n'],
      ['an invalid escape', 'a: "\\q"\n'],
      ['a comment in column 0 right after a flow map value', 'a: {b: 1\n# c\n }\n'],
      ['a block scalar with more-indented leading empty lines', '- |\n\n   \n -\n'],
      ['a bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ];
    for (const [name, text] of errors) {
      it(`declines ${name}, which the reference reports as an error`, () => {
        assert.ok(
          parseYamlReference(text).problems.some((p) => p.severity === 'error'),
          'the reference should report an error',
        );
        assert.equal(fast(text), undefined);
      });
    }
  });

  describe('inside parseYaml', () => {
    it('takes the fast path for a template and the reference path for the rest', () => {
      const template = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n';
      assert.deepEqual(parseYaml(template), fast(template));
      const withAlias = 'a: &x 1\nb: *x\n';
      assert.deepEqual(parseYaml(withAlias), parseYamlReference(withAlias));
      assert.equal(parseYaml(withAlias).root?.type, 'map');
      const broken = 'a: b: c\n';
      assert.deepEqual(parseYaml(broken), parseYamlReference(broken));
      assert.equal(parseYaml(broken).root, undefined);
    });
  });
});
