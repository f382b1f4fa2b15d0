import assert from 'node:assert/strict';
import { insertPair } from '../../server/src/engine/edit';
import { applyEdits } from '../../server/src/engine/fixes';
import { parseJson } from '../../server/src/engine/parse/json';
import { asMap, getPath } from '../../server/src/engine/parse/tree';
import { LineIndex } from '../../server/src/engine/text';

describe('inserting into a one-line JSON object', () => {
  it('lines a nested value up with the line the object is on', () => {
    const text = `{\n  "Resources": {\n    "Fn": {\n      "Properties": { "Role": "r" }\n    }\n  }\n}\n`;
    const map = asMap(getPath(parseJson(text).root, 'Resources', 'Fn', 'Properties'))!;
    const out = applyEdits(text, [
      insertPair({ text, lines: new LineIndex(text), format: 'json' }, map, 'DeadLetterConfig', {
        TargetArn: 'q',
      }),
    ]);
    assert.equal(
      out,
      `{\n  "Resources": {\n    "Fn": {\n      "Properties": { "Role": "r", "DeadLetterConfig": {\n        "TargetArn": "q"\n      } }\n    }\n  }\n}\n`,
    );
    assert.deepEqual(parseJson(out).problems, []);
  });

  it('keeps scalars on the same line', () => {
    const text = `{"A": {"x": 1}}`;
    const map = asMap(getPath(parseJson(text).root, 'A'))!;
    const out = applyEdits(text, [
      insertPair({ text, lines: new LineIndex(text), format: 'json' }, map, 'y', true),
    ]);
    assert.equal(out, `{"A": {"x": 1, "y": true}}`);
  });
});
