import type { Node } from '../../engine/parse/syntax-tree';
import { applicationOf } from '../../engine/code/application';
import { ensurePythonImport } from '../../engine/code/env';
import { pythonAppObjects } from '../../engine/code/handlers';
import {
  dottedName,
  keywordArgument,
  nodesOfType,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';

/** Production servers: with one of them in the app, `app.run()` is only the way developers start it. */
const productionServers =
  /^(gunicorn|uwsgi|waitress|uvicorn|hypercorn|gevent|meinheld|bjoern|mod-wsgi|cheroot)$/;

export default defineRule({
  id: 'least-privilege/flask-debug',
  lesson: 'least-privilege',
  title: 'Flask debugger switched on where the app starts',
  severity: 'warning',
  equivalents: ['S201'],
  fix: 'scaffold',
  messages: {
    debugRun:
      "`debug=True` starts the app with Werkzeug's interactive debugger: anyone who can reach a page that fails gets a Python console in the process, with its permissions and credentials. Take the switch from the environment, off by default.",
    debugSetting:
      "`{{setting}} = True` switches on Werkzeug's interactive debugger: anyone who can reach a page that fails gets a Python console in the process, with its permissions and credentials. Take the switch from the environment, off by default.",
  },
  docs: {
    what:
      'A Flask or Quart app started with `app.run(debug=True)`, or given `app.debug = True` or `app.config["DEBUG"] = True`, in an app that has no production server (Gunicorn, uWSGI, Waitress, Uvicorn, Hypercorn) among its dependencies: then `app.run()` is how the app runs wherever it is deployed. ' +
      "With a production server in the app, `app.run()` under `if __name__ == '__main__':` is the developers' way to start it and is left alone. A switch read from the environment is the recommended form. Django's `DEBUG` is out of scope here: settings modules for development set it on purpose, and which module is deployed is not in the code.",
    why:
      "Debug mode runs Werkzeug's debugger: an unhandled error shows a page with a console that executes Python in the server process. The console is guarded by a PIN that is derived from facts about the machine, and those facts leak through the same debug pages. " +
      'Whoever gets the console has everything the process has: its files, its environment variables and secrets, its IAM role. ' +
      'Debug mode also prints tracebacks with source code and settings to every visitor. Keep it for local runs, switched on from the environment.',
    example: {
      language: 'python',
      code: `if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=True)`,
    },
    useInstead: {
      language: 'python',
      code: `if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")
# in the image: CMD ["gunicorn", "-b", "0.0.0.0:8080", "app:app"]`,
    },
    fix: 'Reads the switch from the environment instead (`os.environ.get("FLASK_DEBUG") == "1"`, adding `import os`). A scaffold: set FLASK_DEBUG=1 where you develop, and serve the deployed app with a production server such as Gunicorn.',
    references: [
      {
        title: 'Flask: debug mode',
        url: 'https://flask.palletsprojects.com/en/stable/debugging/',
      },
      {
        title: 'Werkzeug: debugger PIN',
        url: 'https://werkzeug.palletsprojects.com/en/stable/debug/#debugger-pin',
      },
      {
        title: 'Flask: deploying to production',
        url: 'https://flask.palletsprojects.com/en/stable/deploying/',
      },
    ],
  },
  checks: {
    py: (context) => check(context),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>): void {
  const apps = pythonAppObjects(model);
  const flaskApps = new Set(
    [...apps].filter(([, app]) => /^(flask|quart)\.(Flask|Quart)$/.test(app.type)).map(([name]) => name),
  );
  if (flaskApps.size === 0) return;
  const found: { node: Node; value: Node; messageId: 'debugRun' | 'debugSetting'; setting?: string }[] = [];
  for (const call of nodesOfType(model, 'call')) {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'run') continue;
    if (!flaskApps.has(dottedName(callee.childForFieldName('object')) ?? '')) continue;
    const debug = keywordArgument(call, 'debug');
    const value = debug?.childForFieldName('value');
    if (debug && value?.type === 'true') found.push({ node: debug, value, messageId: 'debugRun' });
  }
  for (const assignment of nodesOfType(model, 'assignment')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || right?.type !== 'true') continue;
    const target = dottedName(left);
    const configKey =
      left.type === 'subscript' && stringLiteral(left.childForFieldName('subscript'))?.value === 'DEBUG'
        ? left.childForFieldName('value')?.text
        : undefined;
    const owner = target?.endsWith('.debug') ? target.slice(0, -6) : configKey?.replace(/\.config$/, '');
    if (!owner || !flaskApps.has(owner)) continue;
    found.push({ node: assignment, value: right, messageId: 'debugSetting', setting: left.text });
  }
  if (found.length === 0) return;
  const application = applicationOf(document.path, workspace, 'py');
  if ([...application.dependencies].some((name) => productionServers.test(name))) return;
  for (const { node, value, messageId, setting } of found) {
    report({
      at: spanOfNode(node),
      messageId,
      data: setting ? { setting } : undefined,
      fix: (): Fix => ({
        title: 'Take the debug switch from FLASK_DEBUG',
        edits: [
          { start: value.startIndex, end: value.endIndex, text: 'os.environ.get("FLASK_DEBUG") == "1"' },
          ...ensurePythonImport(model, document.lines, 'os'),
        ],
        needs: [
          'Set FLASK_DEBUG=1 where you develop, never where the app is deployed',
          'Serve the deployed app with a production server (Gunicorn, for one)',
        ],
      }),
    });
  }
}
