import assert from 'node:assert/strict';
import { yamlFlow } from '../../server/src/engine/edit';
import { parseYaml } from '../../server/src/engine/parse/yaml';

describe('writing intrinsics inside intrinsics in YAML', () => {
  it('writes the outer one in long form, since a node takes one tag', () => {
    const text = yamlFlow({ 'Fn::ImportValue': { 'Fn::Sub': '${Network}-ClusterName' } });
    assert.equal(text, "{Fn::ImportValue: !Sub '${Network}-ClusterName'}");
    assert.deepEqual(parseYaml(`Value: ${text}\n`).problems, []);
  });

  it('keeps the short form when the argument is plain', () => {
    assert.equal(yamlFlow({ 'Fn::ImportValue': 'shared-cluster' }), '!ImportValue shared-cluster');
    assert.equal(yamlFlow({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }), "!Select [0, !GetAZs '']");
  });
});
