import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/text';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import publicDatabase from '../../server/src/rules/cfn/public-database';

describe('line index', () => {
  it('counts \\n, \\r\\n and a lone \\r as line breaks, as LSP does', () => {
    const lines = new LineIndex('a\nbb\r\nccc\rdddd');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((line) => lines.lineText(line)),
      ['a', 'bb', 'ccc', 'dddd'],
    );
    assert.deepEqual(lines.positionAt(8), { line: 2, character: 2 });
    assert.deepEqual(lines.positionAt(10), { line: 3, character: 0 });
    assert.equal(lines.offsetAt({ line: 3, character: 2 }), 12);
    assert.equal(lines.offsetAt({ line: 1, character: 99 }), 4, 'clamped to the end of the line');
  });

  it('new lines get the text’s own line break', () => {
    assert.equal(new LineIndex('a\r\nb\n').eol, '\r\n');
    assert.equal(new LineIndex('a\rb\r').eol, '\r');
    assert.equal(new LineIndex('a\nb').eol, '\n');
    assert.equal(new LineIndex('single line').eol, '\n');
  });

  it('a template with lone carriage returns parses, and its findings sit on the right line', async () => {
    const text = [
      'Resources:',
      '  Db:',
      '    Type: AWS::RDS::DBInstance',
      '    Properties:',
      '      PubliclyAccessible: true',
      '',
    ].join('\r');
    const analyzer = new Analyzer({ rules: [publicDatabase], workspace: inMemoryWorkspace() });
    const result = await analyzer.analyze({ path: '/t/template.yaml', text });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.findings.map((f) => f.range),
      [{ start: { line: 4, character: 26 }, end: { line: 4, character: 30 } }],
    );
  });
});
