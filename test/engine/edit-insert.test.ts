import assert from 'node:assert/strict';
import {
  appendItem,
  insertPairBefore,
  replacePairValue,
  setPath,
  type PlainValue,
} from '../../server/src/engine/edit';
import { applyEdits } from '../../server/src/engine/fixes';
import { parseJson } from '../../server/src/engine/parse/json';
import { asMap, asSeq, getPair, getPath } from '../../server/src/engine/parse/tree';
import { parseYaml } from '../../server/src/engine/parse/yaml';
import type { TextEdit } from '../../server/src/engine/rule';
import { LineIndex } from '../../server/src/engine/text';
import type { EditTarget } from '../../server/src/engine/edit';

function apply(
  text: string,
  make: (target: EditTarget, root: NonNullable<ReturnType<typeof parseYaml>['root']>) => TextEdit,
): string {
  const json = text.trimStart().startsWith('{');
  const { root } = json ? parseJson(text) : parseYaml(text);
  const target = { text, lines: new LineIndex(text), format: json ? ('json' as const) : ('yaml' as const) };
  const result = applyEdits(text, [make(target, root!)]);
  const reparsed = json ? parseJson(result) : parseYaml(result);
  assert.deepEqual(reparsed.problems, [], `still parses:\n${result}`);
  return result;
}

function before(text: string, key: string, value: PlainValue, next = 'Resources'): string {
  return apply(text, (target, root) =>
    insertPairBefore(target, asMap(root)!, getPair(root, next)!, key, value),
  );
}

function append(text: string, path: (string | number)[], value: PlainValue): string {
  return apply(text, (target, root) => appendItem(target, asSeq(getPath(root, ...path))!, value));
}

describe('template edits: inserting sections and list items', () => {
  it('puts a new section above Resources and above the comments that introduce it', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'\n\n# The stack's resources\nResources:\n  Db: {Type: X}\n`;
    assert.equal(
      before(text, 'Parameters', { DbCidr: { Type: 'String' } }),
      `AWSTemplateFormatVersion: '2010-09-09'\n\nParameters:\n  DbCidr:\n    Type: String\n\n# The stack's resources\nResources:\n  Db: {Type: X}\n`,
    );
  });

  it('puts a new section first when Resources is the first key', () => {
    const text = `Resources:\n    Db:\n        Type: X\n`;
    assert.equal(
      before(text, 'Parameters', { Cidr: { Type: 'String' } }),
      `Parameters:\n    Cidr:\n        Type: String\nResources:\n    Db:\n        Type: X\n`,
    );
  });

  it('inserts before a key in multi-line JSON and in a YAML flow map', () => {
    const json = `{\n  "Description": "d",\n  "Resources": {}\n}\n`;
    assert.equal(
      before(json, 'Parameters', { Cidr: { Type: 'String' } }),
      `{\n  "Description": "d",\n  "Parameters": {\n    "Cidr": {\n      "Type": "String"\n    }\n  },\n  "Resources": {}\n}\n`,
    );
    const flow = `Top: {Description: d, Resources: {}}\n`;
    assert.equal(
      apply(flow, (target, root) => {
        const top = asMap(getPath(root, 'Top'))!;
        return insertPairBefore(target, top, getPair(top, 'Resources')!, 'Parameters', {});
      }),
      `Top: {Description: d, Parameters: {}, Resources: {}}\n`,
    );
  });

  it('appends to a block list of maps, after a trailing comment', () => {
    const text = `Doc:\n  Statement:\n    - Effect: Allow # reads\n      Action: s3:GetObject\nOther: 1\n`;
    assert.equal(
      append(text, ['Doc', 'Statement'], { Effect: 'Deny', Action: 's3:*' }),
      `Doc:\n  Statement:\n    - Effect: Allow # reads\n      Action: s3:GetObject\n    - Effect: Deny\n      Action: 's3:*'\nOther: 1\n`,
    );
  });

  it('appends to a block list indented at the parent key, at the end of the file', () => {
    const text = `Doc:\n  Statement:\n  - a\n  - b`;
    assert.equal(append(text, ['Doc', 'Statement'], 'c'), `Doc:\n  Statement:\n  - a\n  - b\n  - c`);
  });

  it('appends to flow lists and JSON arrays, empty or not', () => {
    assert.equal(append(`A: [x, y]\n`, ['A'], 'z'), `A: [x, y, z]\n`);
    assert.equal(append(`A: []\n`, ['A'], { Ref: 'B' }), `A: [!Ref B]\n`);
    assert.equal(
      append(`{\n  "A": [\n    "x"\n  ]\n}\n`, ['A'], { Effect: 'Deny' }),
      `{\n  "A": [\n    "x",\n    {\n      "Effect": "Deny"\n    }\n  ]\n}\n`,
    );
    assert.equal(append(`{"A": []}`, ['A'], 'x'), `{"A": ["x"]}`);
  });

  it('writes a list of maps at a four-space indent step with the keys aligned after the dash', () => {
    const text = `Resources:\n    Db:\n        Type: X\n        Properties:\n            Port: 80\n`;
    const result = apply(text, (target, root) =>
      setPath(
        target,
        asMap(getPath(root, 'Resources', 'Db'))!,
        ['Properties', 'Actions'],
        [{ Type: 'redirect', Config: { Port: '443' } }],
      ),
    );
    assert.equal(
      result,
      `Resources:\n    Db:\n        Type: X\n        Properties:\n            Port: 80\n            Actions:\n                - Type: redirect\n                  Config:\n                      Port: '443'\n`,
    );
  });

  it("replaces a scalar with a nested map below its key, at the key's indent", () => {
    const text = `Resources:\n  Db:\n    Type: X\n    Properties:\n      Config: none # was\n      Next: 1\n`;
    const result = apply(text, (target, root) =>
      setPath(target, asMap(getPath(root, 'Resources', 'Db'))!, ['Properties', 'Config', 'Mode'], 'on'),
    );
    assert.equal(
      result,
      `Resources:\n  Db:\n    Type: X\n    Properties:\n      Config:\n        Mode: 'on' # was\n      Next: 1\n`,
    );
  });

  it('replaces a block list with another block list in place', () => {
    const text = `A:\n  Actions:\n    - Type: forward\n      Target: x\n  After: 1\n`;
    const result = apply(text, (target, root) =>
      replacePairValue(target, getPair(getPath(root, 'A'), 'Actions')!, [{ Type: 'redirect', Port: '443' }]),
    );
    assert.equal(result, `A:\n  Actions:\n    - Type: redirect\n      Port: '443'\n  After: 1\n`);
  });

  it('replaces a scalar with a nested map inside a flow map in flow style', () => {
    const text = `Resources:\n  Db:\n    Type: X\n    Properties: {Config: none}\n`;
    const result = apply(text, (target, root) =>
      setPath(target, asMap(getPath(root, 'Resources', 'Db'))!, ['Properties', 'Config', 'Mode'], 'on'),
    );
    assert.equal(result, `Resources:\n  Db:\n    Type: X\n    Properties: {Config: {Mode: 'on'}}\n`);
  });
});
