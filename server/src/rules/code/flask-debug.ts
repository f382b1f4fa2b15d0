import { dirname, join } from 'node:path';
import type { Node } from '../../engine/parse/syntax-tree';
import { applicationOf } from '../../engine/code/application';
import { ensurePythonImport } from '../../engine/code/env';
import { pythonAppObjects } from '../../engine/code/handlers';
import {
  dottedName,
  keywordArgument,
  nodesOfType,
  positionalArguments,
  sourceOf,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';
import type { WorkspaceView } from '../../engine/workspace';

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
      "The app may be made in the same file or elsewhere: an entry point that imports it (`from server import app`) or gets it from a factory (`app = create_app()`, `make_app`, `createApp`) counts when the module it comes from makes a Flask or Quart app, or, when that module is not found beside the file, when the app depends on Flask or Quart or makes such an app in another file. A module that makes another framework's app (FastAPI, Sanic, Dash, Starlette), and servers handed the app (`socketio.run(app, debug=True)`), are left alone. " +
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
  const source = sourceOf(model);
  // An entry point that starts an app made elsewhere: `from server import app`, `app = create_app()`.
  const elsewhere =
    /\.run\(/.test(source) && /\bdebug[ \t]*=[ \t]*True\b/.test(source)
      ? appsMadeElsewhere(model)
      : undefined;
  if (flaskApps.size === 0 && !elsewhere) return;
  const found: { node: Node; value: Node; messageId: 'debugRun' | 'debugSetting'; setting?: string }[] = [];
  for (const call of nodesOfType(model, 'call')) {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'run') continue;
    const debug = keywordArgument(call, 'debug');
    const value = debug?.childForFieldName('value');
    if (!debug || value?.type !== 'true') continue;
    const receiver = callee.childForFieldName('object');
    if (!flaskApps.has(dottedName(receiver) ?? '')) {
      const origin = elsewhere && originOf(receiver, elsewhere);
      if (!origin || !looksLikeAppRun(call, receiver)) continue;
      if (!isFlaskOrigin(origin, document.path, source, workspace)) continue;
    }
    found.push({ node: debug, value, messageId: 'debugRun' });
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

/** Factories that build the app: `create_app`, `make_app`, `createApp`, `get_flask_app`. */
const factoryName = /^(create|make|build|get)_?(flask_?)?app(lication)?$/i;
/** Apps of other frameworks, whose `run(debug=True)` is not Werkzeug's debugger or not this rule's. */
const otherFrameworks = /\b(FastAPI|Sanic|Dash|Starlette|Litestar|Bottle|SocketIO)\(/;
const flaskConstructor = /\b(Flask|Quart)\(/;

/** Where an app made outside this file comes from: the module as written (`server`, `.app`), or a factory defined in this file. */
interface Origin {
  module?: string;
  local?: boolean;
}

interface MadeElsewhere {
  /** Module-level names bound to an imported name or to what a factory returned. */
  names: Map<string, Origin>;
  /** Names imported with `from … import …`, with their module as written. */
  imported: Map<string, string>;
  /** Functions defined at the top of this file. */
  defined: Set<string>;
  /** Modules imported whole (`import myapp`). */
  modules: Set<string>;
}

/**
 * Names at the top of the file (and under `if __name__ == "__main__":`) that hold an app made
 * elsewhere: `from server import app`, `app = create_app()`, `app = myapp.make_app()`.
 */
function appsMadeElsewhere(model: CodeModel): MadeElsewhere {
  const made: MadeElsewhere = {
    names: new Map(),
    imported: new Map(),
    defined: new Set(),
    modules: new Set(),
  };
  for (const statement of model.root.namedChildren) {
    if (statement?.type === 'function_definition') {
      const name = statement.childForFieldName('name')?.text;
      if (name) made.defined.add(name);
    }
  }
  const visit = (statements: (Node | null)[]) => {
    for (const statement of statements) {
      if (!statement) continue;
      if (statement.type === 'import_from_statement') {
        const module = statement.childForFieldName('module_name')?.text;
        if (!module) continue;
        for (const name of statement.childrenForFieldName('name')) {
          const local = name?.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name?.text;
          if (!local || local.includes('.')) continue;
          made.imported.set(local, module);
          made.names.set(local, { module });
        }
      } else if (statement.type === 'import_statement') {
        for (const name of statement.childrenForFieldName('name')) {
          const local = name?.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name?.text;
          if (local) made.modules.add(local);
        }
      } else if (statement.type === 'expression_statement') {
        const assignment = statement.namedChildren[0];
        const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
        if (!assignment || left?.type !== 'identifier') continue;
        const origin = factoryOrigin(assignment.childForFieldName('right'), made);
        if (origin) made.names.set(left.text, origin);
        else made.names.delete(left.text);
      } else if (statement.type === 'if_statement') {
        for (const part of statement.namedChildren) {
          if (part?.type === 'block') visit(part.namedChildren);
          else
            for (const inner of part?.namedChildren ?? [])
              if (inner?.type === 'block') visit(inner.namedChildren);
        }
      }
    }
  };
  visit(model.root.namedChildren);
  return made;
}

/** `create_app()`, `myapp.create_app(config)`: where the factory comes from; undefined for other calls. */
function factoryOrigin(node: Node | null | undefined, made: MadeElsewhere): Origin | undefined {
  if (node?.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type === 'identifier' && factoryName.test(callee.text)) {
    const module = made.imported.get(callee.text);
    if (module) return { module };
    return made.defined.has(callee.text) ? { local: true } : {};
  }
  if (callee?.type === 'attribute' && factoryName.test(callee.childForFieldName('attribute')?.text ?? '')) {
    const object = dottedName(callee.childForFieldName('object'));
    const top = object?.split('.')[0] ?? '';
    if (!object) return undefined;
    if (made.modules.has(top)) return { module: object };
    const module = made.imported.get(top);
    return module ? { module: object === top ? `${module}.${top}` : module } : undefined;
  }
  return undefined;
}

function originOf(receiver: Node | null, made: MadeElsewhere): Origin | undefined {
  if (receiver?.type === 'identifier') return made.names.get(receiver.text);
  return factoryOrigin(receiver, made);
}

/**
 * `app.run(host=…, debug=True)` rather than a server of another library that is handed the app
 * (`socketio.run(app, debug=True)`).
 */
function looksLikeAppRun(call: Node, receiver: Node | null): boolean {
  if (/socket|sio$/i.test(receiver?.text ?? '') || keywordArgument(call, 'app')) return false;
  return !positionalArguments(call).some(
    (a) => a.type === 'call' || (a.type === 'identifier' && /(^|_)app(lication)?$/i.test(a.text)),
  );
}

/**
 * Whether an app made elsewhere is a Flask or Quart app: the module it comes from (found next to
 * the file or above it) makes one; failing that, the app depends on Flask or Quart, or makes
 * one in another of its files. A module that makes another framework's app says no.
 */
function isFlaskOrigin(origin: Origin, path: string, source: string, workspace: WorkspaceView): boolean {
  const text = origin.local ? source : origin.module ? moduleText(origin.module, path, workspace) : undefined;
  if (text !== undefined) {
    if (flaskConstructor.test(text)) return true;
    if (otherFrameworks.test(text)) return false;
  }
  const application = applicationOf(path, workspace, 'py');
  if ([...application.dependencies].some((name) => /^(flask|quart)$/.test(name))) return true;
  if (otherFrameworks.test(source)) return false;
  return application.otherSources().some((other) => flaskConstructor.test(other.text));
}

/** The text of a Python module as an import names it, looked for beside the file and a few folders up. */
function moduleText(module: string, path: string, workspace: WorkspaceView): string | undefined {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split('.').filter(Boolean);
  const bases: string[] = [];
  let base = dirname(path);
  if (dots > 0) {
    for (let i = 1; i < dots; i++) base = dirname(base);
    bases.push(base);
  } else {
    for (let i = 0; i < 3; i++) {
      bases.push(base);
      if (workspace.root && base === workspace.root) break;
      const up = dirname(base);
      if (up === base) break;
      base = up;
    }
  }
  for (const folder of bases) {
    const target = join(folder, ...parts);
    const candidates =
      parts.length > 0 ? [`${target}.py`, join(target, '__init__.py')] : [join(folder, '__init__.py')];
    for (const candidate of candidates) {
      const text = workspace.exists(candidate) ? workspace.read(candidate) : undefined;
      if (text !== undefined) return text;
    }
  }
  return undefined;
}
