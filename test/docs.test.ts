import assert from 'node:assert/strict';
import { stalePaths } from '../scripts/docs';

describe('generated docs', () => {
  it('docs/rules and the README rule list match the rules (run npm run docs)', () => {
    assert.deepEqual(stalePaths(), []);
  });
});
