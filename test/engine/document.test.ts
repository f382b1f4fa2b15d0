import assert from 'node:assert/strict';
import { parseSource } from '../../server/src/engine/document';

describe('parsed documents', () => {
  it('notes each tag CloudFormation does not know once, at the tag', async () => {
    const text = `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Rain::Embed name.txt
      Tags:
        - Key: a
          Value: !Rain::Embed a.txt
        - Key: b
          Value: !Ref AWS::StackName
`;
    const document = await parseSource({ path: '/w/template.yaml', text });
    const notes = document.problems.filter((p) => p.severity === 'info');
    assert.deepEqual(
      notes.map((n) => text.slice(n.span.start, n.span.end)),
      ['!Rain::Embed'],
    );
    assert.match(notes[0].message, /not a CloudFormation tag/);
    assert.equal(notes[0].fatal, false);
    assert.ok(document.model, 'the template is still analysed');
  });
});
