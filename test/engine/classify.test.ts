import assert from 'node:assert/strict';
import { classify, topLevelIndent } from '../../server/src/engine/classify';

describe('classify', () => {
  const cases: [string, string, string, string?][] = [
    ['/w/Dockerfile', 'FROM x', 'dockerfile'],
    ['/w/api.Dockerfile', 'FROM x', 'dockerfile'],
    ['/w/Containerfile', 'FROM x', 'dockerfile'],
    ['/w/Dockerfile.prod', 'FROM x', 'dockerfile'],
    ['/w/compose.yaml', 'services: {}', 'compose'],
    ['/w/docker-compose.override.yml', 'services: {}', 'compose'],
    ['/w/stack.yml', 'services:\n  web:\n    image: nginx:1.27\n', 'compose'],
    ['/w/template.yaml', "AWSTemplateFormatVersion: '2010-09-09'\n", 'cloudformation'],
    [
      '/w/sam.yml',
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n',
      'cloudformation',
    ],
    [
      '/w/stack.template',
      '{\n  "Resources": {\n    "B": { "Type": "AWS::S3::Bucket" }\n  }\n}',
      'cloudformation',
    ],
    ['/w/stack.json', '{"AWSTemplateFormatVersion": "2010-09-09"}', 'cloudformation'],
    ['/w/flow.yaml', 'Resources:\n  Bucket: {Type: AWS::S3::Bucket, Properties: {}}\n', 'cloudformation'],
    ['/w/.github/workflows/ci.yml', 'on: push\njobs: {}\n', 'other'],
    ['/w/package.json', '{"name": "x", "scripts": {"Resources": "x"}}', 'other'],
    ['/w/app.py', '', 'python'],
    ['/w/a.tsx', '', 'typescript'],
    ['/w/a.cjs', '', 'javascript'],
    ['untitled:Untitled-1', 'FROM node:22', 'dockerfile', 'dockerfile'],
    ['untitled:Untitled-2', "AWSTemplateFormatVersion: '2010-09-09'", 'cloudformation', 'yaml'],
    // A template whose whole top level is indented: valid YAML, and written so in real repositories.
    [
      '/w/indented.yaml',
      "# comment\n---\n  AWSTemplateFormatVersion: '2010-09-09'\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n",
      'cloudformation',
    ],
    [
      '/w/indented-sam.yml',
      '    Resources:\n      Fn:\n        Type: AWS::Serverless::Function\n',
      'cloudformation',
    ],
    // Indented markers below a top level at column 0 are a nested value, not a template.
    ['/w/nested.yaml', "stack:\n  AWSTemplateFormatVersion: '2010-09-09'\n", 'other'],
    ['/w/nested2.yml', 'spec:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n', 'other'],
    ['/w/deeper.yaml', "  x: 1\n    AWSTemplateFormatVersion: '2010-09-09'\n", 'other'],
  ];
  for (const [path, text, kind, languageId] of cases) {
    it(`${path} is ${kind}`, () => assert.equal(classify(path, text, languageId), kind));
  }
  it('reads the top level indentation past comments, directives and document markers', () => {
    assert.equal(topLevelIndent('# c\n%YAML 1.2\n---\n\n  a: 1\n'), '  ');
    assert.equal(topLevelIndent('a:\n  b: 1\n'), '');
    assert.equal(topLevelIndent(''), '');
  });
});
