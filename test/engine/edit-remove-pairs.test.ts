import assert from 'node:assert/strict';
import { removePairs } from '../../server/src/engine/edit';
import { applyEdits } from '../../server/src/engine/fixes';
import { parseJson } from '../../server/src/engine/parse/json';
import { asMap, getPath } from '../../server/src/engine/parse/tree';
import { parseYaml } from '../../server/src/engine/parse/yaml';
import { LineIndex } from '../../server/src/engine/text';

function remove(text: string, keys: string[]): string {
  const json = text.trimStart().startsWith('{');
  const { root } = json ? parseJson(text) : parseYaml(text);
  const map = asMap(getPath(root, 'M'))!;
  const pairs = map.pairs.filter((p) => keys.includes(String(p.key.value)));
  const target = { text, lines: new LineIndex(text), format: json ? ('json' as const) : ('yaml' as const) };
  const result = applyEdits(text, removePairs(target, map, pairs));
  assert.deepEqual((json ? parseJson(result) : parseYaml(result)).problems, [], `still parses:\n${result}`);
  return result;
}

describe('removing several pairs of one map', () => {
  it('takes the last two pairs of a JSON object without overlapping edits', () => {
    assert.equal(remove(`{"M": {"a": 1, "b": 2, "c": 3}}`, ['b', 'c']), `{"M": {"a": 1}}`);
  });

  it('takes pairs in the middle and at the end of a multi-line JSON object', () => {
    const text = `{\n  "M": {\n    "a": 1,\n    "b": 2,\n    "c": 3,\n    "d": 4\n  }\n}\n`;
    assert.equal(remove(text, ['b', 'd']), `{\n  "M": {\n    "a": 1,\n    "c": 3\n  }\n}\n`);
  });

  it('empties a flow map and removes block lines', () => {
    assert.equal(remove(`M: {a: 1, b: 2}\n`, ['a', 'b']), `M: {}\n`);
    assert.equal(remove(`M:\n  a: 1\n  b: 2 # two\n  c: 3\n`, ['a', 'b']), `M:\n  c: 3\n`);
  });
});
