import assert from 'node:assert/strict';
import { basicAuthUrls } from '../../../server/src/rules/any/hardcoded-credential';
import { random } from '../../engine/random';

/** The credential URL scan tries the pattern only where a URL can start: it finds what a scan of the whole text finds. */
describe('the scan for URLs with a password', () => {
  const whole =
    /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"`<>()]{0,128}:[^\s'"`<>]{1,256}@[A-Za-z0-9][A-Za-z0-9.-]{0,253}(?::\d{1,5})?(?:[/?#][^\s'"`<>]{0,2000})?/gi;
  const pieces = [
    'postgres://app:s3cret@db.internal:5432/shop',
    'mongodb+srv://user:pw@cluster0.example.net/?retryWrites=true',
    'HTTP://A:B@C:5/x',
    'x+y.z-w://a:b@c',
    '_s://a:b@c',
    '9s://a:b@c',
    'averyveryverylongschemename://u:p@h',
    '://',
    ':',
    '@',
    '/',
    ' ',
    'a',
    '"',
    '\n',
  ];

  it('finds the same places as the pattern run over the whole text, on random texts', () => {
    const next = random(11);
    for (let i = 0; i < 5000; i++) {
      let text = '';
      for (let j = Math.floor(next() * 10); j > 0; j--) text += pieces[Math.floor(next() * pieces.length)];
      const expected = [...text.matchAll(whole)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      assert.deepEqual(basicAuthUrls(text), expected, JSON.stringify(text));
    }
  });
});
