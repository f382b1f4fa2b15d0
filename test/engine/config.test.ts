import assert from 'node:assert/strict';
import { Config, parseConfig } from '../../server/src/engine/config';
import rule from '../../server/src/rules/cfn/public-database';

const ids = ['private-network/public-database', 'embrace-failure/no-timeout'];

describe('configuration', () => {
  it('reads rules, lessons, ignore and failOn', () => {
    const { data, problems } = parseConfig(
      'rules:\n  private-network/public-database: warning\nlessons:\n  embrace-failure: off\nignore:\n  - legacy/**\nfailOn: error\n',
      ids,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(data, {
      rules: { 'private-network/public-database': 'warning' },
      lessons: { 'embrace-failure': 'off' },
      ignore: ['legacy/**'],
      failOn: 'error',
    });
  });

  it('reports every mistake with its span and a suggestion', () => {
    const text = 'rules:\n  private-network/public-databse: loud\nlesons: {}\nfailOn: fatal\n';
    const { problems } = parseConfig(text, ids);
    assert.deepEqual(
      problems.map((p) => [text.slice(p.span.start, p.span.end), p.message]),
      [
        [
          'private-network/public-databse',
          'Unknown rule "private-network/public-databse". Did you mean "private-network/public-database"?',
        ],
        ['lesons', 'Unknown setting "lesons". Did you mean "lessons"?'],
        ['fatal', '"failOn" must be one of error, warning, info, hint.'],
      ],
    );
  });

  it('an empty file is a valid configuration', () => {
    assert.deepEqual(parseConfig('# nothing yet\n', ids).problems, []);
  });

  it('rule settings win over lesson settings, editor settings over the file', () => {
    const file = new Config({
      rules: {},
      lessons: { 'private-network': 'info' },
      ignore: [],
      failOn: 'warning',
    });
    assert.equal(file.chosenSetting(rule), 'info');
    assert.equal(file.withOverrides({ rules: { [rule.id]: 'off' }, lessons: {} }).chosenSetting(rule), 'off');
    assert.equal(new Config().chosenSetting(rule), undefined);
  });

  it('ignores paths by gitignore-style patterns relative to its folder', () => {
    const config = new Config(
      { rules: {}, lessons: {}, ignore: ['legacy/', '*.generated.yaml'], failOn: 'warning' },
      '/repo',
    );
    assert.equal(config.isIgnored('/repo/legacy/a/template.yaml'), true);
    assert.equal(config.isIgnored('/repo/infra/x.generated.yaml'), true);
    assert.equal(config.isIgnored('/repo/infra/template.yaml'), false);
    assert.equal(config.isIgnored('/elsewhere/legacy/template.yaml'), false);
  });
});
