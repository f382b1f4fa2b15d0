import assert from 'node:assert/strict';
import type { Node } from '../../server/src/engine/parse/syntax-tree';
import { removeListItem, removeStatement } from '../../server/src/engine/code/edit';
import { environmentEdits, environmentName } from '../../server/src/engine/code/env';
import { applyEdits } from '../../server/src/engine/fixes';
import { grammarFor, parseCode, type CodeModel } from '../../server/src/engine/parse/code';
import { LineIndex } from '../../server/src/engine/text';

async function edit(
  path: string,
  text: string,
  change: (
    model: CodeModel,
    lines: LineIndex,
    find: (t: string) => Node,
  ) => ReturnType<typeof environmentEdits>,
): Promise<string> {
  const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
  try {
    const lines = new LineIndex(text);
    const find = (t: string) => {
      const at = text.indexOf(t);
      let node = model.root.descendantForIndex(at, at + t.length)!;
      while (node.text !== t && node.parent) node = node.parent;
      return node;
    };
    return applyEdits(text, change(model, lines, find));
  } finally {
    model.dispose();
  }
}

describe('engine/code/env and list edits', () => {
  it('reads a literal from the environment, with a default only when asked, adding import os', async () => {
    assert.equal(
      await edit('/a.py', '"""Settings."""\nimport sys\nHOST = "db"\n', (m, l, find) =>
        environmentEdits(m, l, find('"db"'), 'DB_HOST', { keepDefault: true }),
      ),
      '"""Settings."""\nimport sys\nimport os\nHOST = os.environ.get("DB_HOST", "db")\n',
    );
    assert.equal(
      await edit('/a.py', 'import os\nKEY = "s3cr3t"\n', (m, l, find) =>
        environmentEdits(m, l, find('"s3cr3t"'), 'KEY', { keepDefault: false }),
      ),
      'import os\nKEY = os.environ["KEY"]\n',
    );
    assert.equal(
      await edit('/a.ts', "const url = 'redis://cache' + suffix;\n", (m, l, find) =>
        environmentEdits(m, l, find("'redis://cache'"), 'REDIS_URL', { keepDefault: true }),
      ),
      "const url = (process.env.REDIS_URL ?? 'redis://cache') + suffix;\n",
    );
    assert.equal(
      await edit('/a.ts', "sign(p, 'k');\n", (m, l, find) =>
        environmentEdits(m, l, find("'k'"), 'JWT_SECRET', { keepDefault: false }),
      ),
      'sign(p, process.env.JWT_SECRET!);\n',
    );
  });

  it('names variables from where the literal is written', async () => {
    const text = `import pg from 'pg';
const db = { password: 'a' };
const pool = new pg.Pool({ host: 'h' });
settings.apiToken = 't';
`;
    const model = await parseCode(text, 'javascript');
    try {
      const at = (t: string) => model.root.descendantForIndex(text.indexOf(t), text.indexOf(t) + t.length)!;
      const nameOf = (t: string) => {
        let node = at(t);
        while (node.type !== 'string' && node.parent) node = node.parent;
        return environmentName(model, node, 'FALLBACK');
      };
      assert.deepEqual([nameOf("'a'"), nameOf("'h'"), nameOf("'t'")], ['DB_PASSWORD', 'PGHOST', 'API_TOKEN']);
    } finally {
      model.dispose();
    }
  });

  it('removes list items and statements keeping the layout', async () => {
    assert.equal(
      await edit('/a.py', 'f(a, verify=False, timeout=3)\n', (m, l, find) => [
        removeListItem(l, find('verify=False')),
      ]),
      'f(a, timeout=3)\n',
    );
    assert.equal(
      await edit('/a.py', 'f(a, verify=False)\n', (m, l, find) => [removeListItem(l, find('verify=False'))]),
      'f(a)\n',
    );
    assert.equal(
      await edit('/a.js', 'x({\n  a: 1,\n  b: 2,\n});\n', (m, l, find) => [removeListItem(l, find('b: 2'))]),
      'x({\n  a: 1,\n});\n',
    );
    assert.equal(
      await edit('/a.js', 'a();\nprocess.env.X = "0";\nb();\n', (m, l, find) => [
        removeStatement(l, find('process.env.X = "0";')),
      ]),
      'a();\nb();\n',
    );
  });
});
