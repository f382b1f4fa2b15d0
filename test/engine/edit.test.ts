import assert from 'node:assert/strict';
import { insertPair, removePair, setPath, type PlainValue } from '../../server/src/engine/edit';
import { applyEdits } from '../../server/src/engine/fixes';
import { parseJson } from '../../server/src/engine/parse/json';
import { asMap, getPath } from '../../server/src/engine/parse/tree';
import { parseYaml } from '../../server/src/engine/parse/yaml';
import { LineIndex } from '../../server/src/engine/text';

function edit(
  text: string,
  path: string[],
  value: PlainValue,
  at: (string | number)[] = ['Resources', 'Db'],
): string {
  const json = text.trimStart().startsWith('{');
  const { root } = json ? parseJson(text) : parseYaml(text);
  const map = asMap(getPath(root, ...at))!;
  const result = applyEdits(text, [
    setPath({ text, lines: new LineIndex(text), format: json ? 'json' : 'yaml' }, map, path, value),
  ]);
  const reparsed = json ? parseJson(result) : parseYaml(result);
  assert.deepEqual(reparsed.problems, [], `still parses:\n${result}`);
  return result;
}

describe('template edits keep the formatting', () => {
  it('adds a property in block YAML after a trailing comment', () => {
    const text = `Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres # the engine\n\nOutputs: {}\n`;
    assert.equal(
      edit(text, ['Properties', 'MultiAZ'], true),
      `Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres # the engine\n      MultiAZ: true\n\nOutputs: {}\n`,
    );
  });

  it('creates a missing Properties block with nested values, at the document indent', () => {
    const text = `Resources:\n    Db:\n        Type: AWS::SQS::Queue\n`;
    assert.equal(
      edit(text, ['Properties', 'RedrivePolicy'], {
        deadLetterTargetArn: { 'Fn::GetAtt': ['DbDlq', 'Arn'] },
        maxReceiveCount: 5,
      }),
      `Resources:\n    Db:\n        Type: AWS::SQS::Queue\n        Properties:\n            RedrivePolicy:\n                deadLetterTargetArn: !GetAtt DbDlq.Arn\n                maxReceiveCount: 5\n`,
    );
  });

  it('adds to a YAML flow map', () => {
    const text = `Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: postgres}\n`;
    assert.equal(
      edit(text, ['Properties', 'StorageEncrypted'], true),
      `Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: postgres, StorageEncrypted: true}\n`,
    );
  });

  it('writes lists of maps in block YAML', () => {
    const text = `Resources:\n  Db:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Port: 80\n`;
    assert.equal(
      edit(
        text,
        ['Properties', 'DefaultActions'],
        [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443' } }],
      ),
      `Resources:\n  Db:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Port: 80\n      DefaultActions:\n        - Type: redirect\n          RedirectConfig:\n            Protocol: HTTPS\n            Port: '443'\n`,
    );
  });

  it('adds to a multi-line JSON object with its indentation', () => {
    const text = `{\n    "Resources": {\n        "Db": {\n            "Type": "AWS::RDS::DBInstance",\n            "Properties": {\n                "Engine": "postgres"\n            }\n        }\n    }\n}\n`;
    assert.equal(
      edit(text, ['Properties', 'MultiAZ'], true),
      `{\n    "Resources": {\n        "Db": {\n            "Type": "AWS::RDS::DBInstance",\n            "Properties": {\n                "Engine": "postgres",\n                "MultiAZ": true\n            }\n        }\n    }\n}\n`,
    );
  });

  it('creates Properties in JSON with nested values', () => {
    const text = `{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::SQS::Queue"\n    }\n  }\n}\n`;
    assert.equal(
      edit(text, ['Properties', 'SqsManagedSseEnabled'], true),
      `{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::SQS::Queue",\n      "Properties": {\n        "SqsManagedSseEnabled": true\n      }\n    }\n  }\n}\n`,
    );
  });

  it('replaces an existing value instead of adding a duplicate', () => {
    const text = `Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: false\n`;
    assert.equal(edit(text, ['Properties', 'MultiAZ'], true), text.replace('false', 'true'));
  });

  it('quotes YAML strings that would read back as something else', () => {
    const text = `Resources:\n  Db:\n    Type: X\n`;
    assert.equal(edit(text, ['Version'], '1.10'), `Resources:\n  Db:\n    Type: X\n    Version: '1.10'\n`);
    assert.equal(edit(text, ['Flag'], 'yes'), `Resources:\n  Db:\n    Type: X\n    Flag: 'yes'\n`);
  });

  it('removes a pair with its line in YAML and its comma in JSON', () => {
    const yaml = `A:\n  x: 1\n  y: 2 # why\n  z: 3\n`;
    const y = parseYaml(yaml).root!;
    const ymap = asMap(getPath(y, 'A'))!;
    assert.equal(
      applyEdits(yaml, [
        removePair({ text: yaml, lines: new LineIndex(yaml), format: 'yaml' }, ymap, ymap.pairs[1]),
      ]),
      `A:\n  x: 1\n  z: 3\n`,
    );
    const json = `{"A": {"x": 1, "y": 2}}`;
    const jmap = asMap(getPath(parseJson(json).root, 'A'))!;
    assert.equal(
      applyEdits(json, [
        removePair({ text: json, lines: new LineIndex(json), format: 'json' }, jmap, jmap.pairs[1]),
      ]),
      `{"A": {"x": 1}}`,
    );
  });

  it('inserts into an empty JSON object', () => {
    const text = `{\n  "Resources": {\n    "Db": {}\n  }\n}\n`;
    const map = asMap(getPath(parseJson(text).root, 'Resources', 'Db'))!;
    const out = applyEdits(text, [
      insertPair({ text, lines: new LineIndex(text), format: 'json' }, map, 'Type', 'AWS::SNS::Topic'),
    ]);
    assert.equal(out, `{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::SNS::Topic"\n    }\n  }\n}\n`);
  });
});
