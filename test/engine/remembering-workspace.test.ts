import assert from 'node:assert/strict';
import {
  inMemoryWorkspace,
  rememberingWorkspace,
  type WorkspaceView,
} from '../../server/src/engine/workspace';

/** A workspace that counts what it is asked. */
function counted(files: Record<string, string>): { view: WorkspaceView; asked: string[] } {
  const inner = inMemoryWorkspace(files);
  const asked: string[] = [];
  return {
    asked,
    view: {
      exists: (path) => (asked.push(`exists ${path}`), inner.exists(path)),
      read: (path) => (asked.push(`read ${path}`), inner.read(path)),
      list: (folder) => (asked.push(`list ${folder}`), inner.list?.(folder)),
    },
  };
}

describe('a workspace that remembers what it read (a CLI run)', () => {
  it('asks the files once, and again after the run writes one', () => {
    const { view, asked } = counted({ '/w/a/compose.yaml': 'services: {}\n', '/w/a/Dockerfile': 'FROM x\n' });
    const remembering = rememberingWorkspace(view);
    for (let i = 0; i < 3; i++) {
      assert.equal(remembering.read('/w/a/compose.yaml'), 'services: {}\n');
      assert.equal(remembering.read('/w/a/missing.yaml'), undefined);
      assert.equal(remembering.exists('/w/a/Dockerfile'), true);
      assert.deepEqual(remembering.list!('/w/a')?.sort(), ['Dockerfile', 'compose.yaml']);
    }
    assert.equal(asked.length, 4, asked.join('\n'));
    remembering.forget('/w/a/compose.yaml');
    remembering.read('/w/a/compose.yaml');
    remembering.list!('/w/a');
    assert.deepEqual(asked.slice(4), ['read /w/a/compose.yaml', 'list /w/a']);
  });

  it('keeps no more text than it is allowed, dropping the least recently used', () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/w/${i}.yaml`, 'x'.repeat(100)]));
    const { view, asked } = counted(files);
    const remembering = rememberingWorkspace(view, { maxChars: 350 });
    for (let i = 0; i < 10; i++) remembering.read(`/w/${i}.yaml`);
    asked.length = 0;
    for (const i of [9, 8, 7]) remembering.read(`/w/${i}.yaml`);
    assert.deepEqual(asked, [], 'the last three are kept');
    remembering.read('/w/0.yaml');
    assert.deepEqual(asked, ['read /w/0.yaml'], 'the first was dropped');
  });
});
