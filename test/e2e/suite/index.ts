/**
 * The entry @vscode/test-electron (and the code-server launcher) loads in the extension host:
 * runs every compiled `*.suite.js` beside it with mocha and reports failures as a rejection.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // The extension host's console reaches the launcher mixed with the workbench's own logs; the
  // report also goes to a file of its own when the launcher names one.
  const log = process.env.CLOUD_LESSONS_E2E_LOG;
  if (log) {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      appendFileSync(log, format(...args) + '\n');
      consoleLog(...args);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  const grep = process.env.CLOUD_LESSONS_E2E_GREP;
  if (grep) mocha.grep(grep);
  // Some suites need a workspace of their own (opened without trust, or with other settings):
  // CLOUD_LESSONS_E2E_SUITE names the one to run; without it, every other suite runs.
  const alone = ['untrusted.suite.js', 'startup.suite.js'];
  const only = process.env.CLOUD_LESSONS_E2E_SUITE;
  const chosen = (file: string) =>
    only && only !== 'editor'
      ? file === `${only}.suite.js`
      : file.endsWith('.suite.js') && !alone.includes(file);
  for (const file of readdirSync(__dirname).sort()) if (chosen(file)) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve(),
    );
  });
}
