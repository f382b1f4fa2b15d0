import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommended, rules } from '@secretlint/secretlint-rule-preset-recommend';
import {
  anywhereCase,
  mayHoldScannerSecret,
  scannerNeeds,
  scannerConfig,
  scannersFor,
} from '../../../server/src/rules/any/hardcoded-credential';

/**
 * The cheap test that decides which texts go to secretlint must never turn away one the scanner
 * reports on: it covers every rule of the preset, selects a sample of each scanner's shape, and
 * selects every test file and corpus file on which secretlint reports anything.
 */

const config = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** Every message of the scanners chosen for the text, as the rule runs them (`ruleParentId` left out). */
async function chosenMessages(path: string, text: string, scanners?: string[]): Promise<object[]> {
  const result = await lintSource({
    source: { filePath: path, content: text, contentType: 'text' },
    options: { config: scanners ? scannerConfig(scanners) : config },
  });
  return result.messages.map((message) => ({ ...message, ruleParentId: undefined }));
}

async function scannerMessages(path: string, text: string): Promise<string[]> {
  const result = await lintSource({
    source: { filePath: path, content: text, contentType: 'text' },
    options: { config },
  });
  // Account ids are dropped by the rule, whatever the prefilter says.
  return result.messages.filter((m) => m.messageId !== 'AWSAccountID').map((m) => m.ruleId);
}

/** A made-up token body of `length` characters from `alphabet` (never a repeated pattern). */
function body(length: number, alphabet = 'aB3dE5gH7jK9mN2pQ4sT6vW8yZ0cF1'): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(i * 7 + (i >> 2)) % alphabet.length];
  return out;
}
const hex = '0123456789abcdef';

/** One text per scanner that it reports on. Split literals, so that no scanner of pushes flags this file. */
const samples: Record<string, string> = {
  aws: `const key = "${'AK' + 'IA'}${body(16, 'QWERTYUIOPASDFGH2345')}";`,
  'aws (secret)': `aws_secret_access_key = "${body(40)}"`,
  privatekey: `${'-----BEGIN RSA PRIV' + 'ATE KEY-----'}\nMI${body(200)}\n${'-----END RSA PRIV' + 'ATE KEY-----'}\n`,
  npm: `//registry.npmjs.org/:_authToken=${'npm' + '_'}${body(36)}`,
  basicauth: `url = "https://deploy:${body(12)}@db.example.com/x"`,
  slack: `token = "${'xo' + 'xb'}-2048172233-4096${body(6, '0123456789')}-${body(24)}"`,
  'slack (webhook)': `HOOK=${'https://hooks.sl' + 'ack.com/services/'}T${body(8)}/B${body(8)}/${body(24)}`,
  sendgrid: `key = "${'S' + 'G.'}${body(22)}.${body(43)}"`,
  shopify: `token: ${'shp' + 'at_'}${body(32, hex)}`,
  github: `token = "${'gh' + 'p_'}${body(36)}"`,
  gitlab: `token = "${'gl' + 'pat-'}${body(20)}"`,
  grafana: `token = "${'gl' + 'sa_'}${body(32)}_${body(8, hex)}"`,
  openai: `key = "${'s' + 'k-'}${body(20)}${'T3Blbk' + 'FJ'}${body(20)}"`,
  anthropic: `key = "${'sk-a' + 'nt-api03-'}${body(95)}AA"`,
  groq: `key = "${'gs' + 'k_'}${body(52)}"`,
  huggingface: `key = "${'h' + 'f_'}${body(34, 'aBcDeFgHiJkLmNoPqRsTuVwXyZ')}"`,
  linear: `key = "${'lin' + '_api_'}${body(40)}"`,
  notion: `key = "${'nt' + 'n_'}${body(11, '0123456789')}${body(35)}"`,
  // The token is base64 of a JSON object.
  '1password': `token = "${'op' + 's_'}${Buffer.from(JSON.stringify({ email: 'x@example.lcl', secretKey: body(90) })).toString('base64')}"`,
  'database-connection-string': `DATABASE_URL=${'post' + 'gres'}://app:${body(14)}@db.internal:5432/app`,
  'hashicorp-vault': `VAULT_TOKEN=${'hv' + 's.'}${body(95)}`,
  vercel: `token = "${'vc' + 'p_'}${body(30)}"`,
  databricks: `token = "${'da' + 'pi'}${body(32, hex)}"`,
  docker: `token = "${'dck' + 'r_pat_'}${body(27)}"`,
  figma: `token = "${'fi' + 'gd_'}${body(45)}"`,
};

function textFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') textFiles(path, out);
    } else if (entry.isFile() && statSync(path).size < 2_000_000) out.push(path);
  }
  return out;
}

describe('hardcoded-credential: the texts given to secretlint', function () {
  this.timeout(120_000);

  it('names every rule of the preset, and each scanner that reads text has a piece', () => {
    const ids = rules.map((r) => r.meta.id.replace('@secretlint/secretlint-rule-', '')).sort();
    assert.deepEqual(Object.keys(scannerNeeds).sort(), ids);
    for (const id of Object.keys(anywhereCase)) assert.ok(ids.includes(id), id);
    const none = ids.filter((id) => scannerNeeds[id].length === 0 && !anywhereCase[id]);
    assert.deepEqual(none, ['filter-comments', 'gcp']);
    // scannersFor tells scanners apart by a group each: the pieces must hold none of their own.
    for (const piece of [...Object.values(scannerNeeds), ...Object.values(anywhereCase)].flat())
      assert.equal(new RegExp(`${piece}|`).exec('')!.length, 1, piece);
  });

  for (const [name, text] of Object.entries(samples))
    it(`selects a text with a ${name} secret, which secretlint reports`, async () => {
      const scanner = name.replace(/ \(.*\)$/, '');
      assert.ok(
        (await scannerMessages('sample.txt', text)).includes(`@secretlint/secretlint-rule-${scanner}`),
        'secretlint reports the sample',
      );
      assert.ok(mayHoldScannerSecret(text));
      assert.ok(scannersFor(text).includes(scanner), 'the scanner is chosen for the text');
    });

  it('selects every test file and corpus file on which secretlint reports anything', async () => {
    const roots = [join(__dirname, '..', '..'), '/work/shared/corpus'].filter((d) => existsSync(d));
    let reported = 0;
    let skipped = 0;
    for (const path of roots.flatMap((root) => textFiles(root))) {
      const text = readFileSync(path, 'utf8');
      if (mayHoldScannerSecret(text)) continue;
      skipped++;
      const messages = await scannerMessages(path, text);
      reported += messages.length;
      assert.deepEqual(messages, [], path);
    }
    assert.equal(reported, 0);
    assert.ok(skipped > 100, `only ${skipped} files skipped`);
  });

  it('gets the same messages from the scanners chosen for a text as from the whole preset', async () => {
    const roots = [join(__dirname, '..', '..'), '/work/shared/corpus'].filter((d) => existsSync(d));
    const texts = [
      ...Object.values(samples),
      // Pieces of several scanners at one place, and one inside another's match.
      Object.values(samples).join(''),
      Object.values(samples).reverse().join('\n'),
      // Messages turned off by comments, for one scanner and for all.
      `// secretlint-disable-next-line @secretlint/secretlint-rule-github\n${samples.github}\n${samples.gitlab} // secretlint-disable-line\n${samples.npm}`,
    ].map((text, i) => ({ path: `sample-${i}.txt`, text }));
    for (const path of roots.flatMap((root) => textFiles(root))) {
      const text = readFileSync(path, 'utf8');
      // Some scanner with pieces is chosen exactly when the text goes to secretlint at all.
      assert.equal(scannersFor(text).length > 2, mayHoldScannerSecret(text), path);
      if (mayHoldScannerSecret(text)) texts.push({ path, text });
    }
    let reported = 0;
    for (const { path, text } of texts) {
      // Account ids are dropped by the rule: their scanner may be left out.
      const all = (await chosenMessages(path, text)).filter(
        (m) => (m as { messageId: string }).messageId !== 'AWSAccountID',
      );
      reported += all.length;
      const chosen = (await chosenMessages(path, text, scannersFor(text))).filter(
        (m) => (m as { messageId: string }).messageId !== 'AWSAccountID',
      );
      assert.deepEqual(chosen, all, path);
    }
    assert.ok(reported > 50, `only ${reported} messages`);
  });
});
