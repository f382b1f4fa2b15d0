// Mocha loads this first: the rule index is generated from the rule files, so that a test run
// always sees every rule, even before the first build.
const { writeRulesIndex } = require('../scripts/rules-index.mjs');
writeRulesIndex();
