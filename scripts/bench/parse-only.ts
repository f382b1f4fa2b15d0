// The baseline for the analysis-overhead figure: walk the same folders and parse every file
// with the same adapters, running no rule.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSource, maxAnalysedLength } from '../../server/src/engine/document';
import { discoverFiles } from '../../server/src/project/files';

async function main() {
  let files = 0;
  for (const target of process.argv.slice(2)) {
    for (const path of discoverFiles(resolve(target), { root: resolve(target) })) {
      if (statSync(path).size > maxAnalysedLength * 2) continue;
      const document = await parseSource({ path, text: readFileSync(path, 'utf8') });
      document.dispose();
      files++;
    }
  }
  process.stdout.write(`${files}\n`);
}
void main();
