import assert from 'node:assert/strict';
import { parseConfig } from '../../server/src/engine/config';

const ids = ['private-network/public-database', 'embrace-failure/no-timeout'];

describe('configuration format', () => {
  it('reads rules, lessons, ignore, failOn, extends, root and overrides', () => {
    const { data, problems } = parseConfig(
      [
        'extends: strict',
        'root: true',
        'rules:',
        '  private-network/public-database: warning',
        'lessons:',
        '  embrace-failure: off',
        'ignore:',
        '  - legacy/**',
        'failOn: error',
        'overrides:',
        "  - files: ['**/*.test.ts', scripts/**]",
        '    rules: { embrace-failure/no-timeout: info }',
        '    lessons: { private-network: hint }',
        '',
      ].join('\n'),
      ids,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(data, {
      extends: ['strict'],
      root: true,
      rules: { 'private-network/public-database': 'warning' },
      lessons: { 'embrace-failure': 'off' },
      ignore: ['legacy/**'],
      failOn: 'error',
      overrides: [
        {
          files: ['**/*.test.ts', 'scripts/**'],
          rules: { 'embrace-failure/no-timeout': 'info' },
          lessons: { 'private-network': 'hint' },
        },
      ],
    });
  });

  it('extends presets and files, as one value or a list', () => {
    assert.deepEqual(parseConfig('extends: [recommended, ../base.yaml]\n', ids).data.extends, [
      'recommended',
      '../base.yaml',
    ]);
  });

  it('reports every mistake with its span and a suggestion', () => {
    const text = [
      'extends: stric',
      'root: maybe',
      'rules:',
      '  private-network/public-databse: loud',
      'lesons: {}',
      'failOn: fatal',
      'overrides:',
      '  - rules: {}',
      '  - files: x/**',
      '    rulez: {}',
      '',
    ].join('\n');
    const { problems } = parseConfig(text, ids);
    assert.deepEqual(
      problems.map((p) => [text.slice(p.span.start, p.span.end), p.message]),
      [
        [
          'stric',
          '"stric" is neither a preset (recommended, strict) nor a configuration file (.yaml). Did you mean "strict"?',
        ],
        ['maybe', '"root" must be true or false.'],
        [
          'private-network/public-databse',
          'Unknown rule "private-network/public-databse". Did you mean "private-network/public-database"?',
        ],
        ['lesons', 'Unknown setting "lesons". Did you mean "lessons"?'],
        ['fatal', '"failOn" must be one of error, warning, info, hint.'],
        ['rules: {}', 'An override needs "files": the globs it applies to.'],
        ['rulez', 'Unknown override setting "rulez". Did you mean "rules"?'],
      ],
    );
  });

  it('an empty file is a valid configuration', () => {
    assert.deepEqual(parseConfig('# nothing yet\n', ids).problems, []);
  });

  it('reports broken or deeply nested YAML without throwing, whatever the text', () => {
    for (const text of [
      '[[[[',
      'rules: {',
      '\u0000\u0001',
      '- a\n- b\n',
      '"unterminated',
      '['.repeat(5000),
      '- '.repeat(5000),
    ]) {
      const { problems } = parseConfig(text, ids);
      assert.ok(problems.length > 0, JSON.stringify(text));
    }
  });
});
