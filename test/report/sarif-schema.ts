import assert from 'node:assert/strict';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import schema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

// The SARIF 2.1.0 schema as the npm registry ships it (@microsoft/jest-sarif, MIT); its language
// pattern only compiles without the `u` flag.
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
addFormats(ajv);
export const validate = ajv.compile(schema);

export function assertValidSarif(text: string): Sarif.Log {
  const log = JSON.parse(text) as Sarif.Log;
  const valid = validate(log);
  assert.ok(valid, `not valid SARIF 2.1.0: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  return log;
}
