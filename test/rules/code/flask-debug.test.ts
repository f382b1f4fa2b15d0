import rule from '../../../server/src/rules/code/flask-debug';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'the entry point runs the debugger, and nothing else serves the app',
      path: 'inventory/app.py',
      files: { '/work/inventory/requirements.txt': 'Flask==3.0\nrequests\n' },
      text: `from flask import Flask

app = Flask(__name__)

@app.get("/stock")
def stock():
    return {"items": 3}

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, «debug=True»)
`,
      messages: [
        "`debug=True` starts the app with Werkzeug's interactive debugger: anyone who can reach a page that fails gets a Python console in the process, with its permissions and credentials. Take the switch from the environment, off by default.",
      ],
      fixed: `from flask import Flask
import os

app = Flask(__name__)

@app.get("/stock")
def stock():
    return {"items": 3}

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    },
    {
      name: 'debug switched on as an attribute and in the configuration',
      path: 'portal/__init__.py',
      text: `import os
from flask import Flask

portal = Flask(__name__)
«portal.debug = True»
«portal.config["DEBUG"] = True»
`,
      messages: [/^`portal\.debug = True` switches on/, /^`portal\.config\["DEBUG"\] = True`/],
      messageIds: ['debugSetting', 'debugSetting'],
      fixed: `import os
from flask import Flask

portal = Flask(__name__)
portal.debug = os.environ.get("FLASK_DEBUG") == "1"
portal.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"
`,
    },
    {
      name: 'an entry point that imports the app from the module that makes it',
      path: 'shop/run.py',
      files: {
        '/work/shop/requirements.txt': 'Flask==3.0\n',
        '/work/shop/server.py': 'from flask import Flask\napp = Flask(__name__)\n',
      },
      text: `from server import app

if __name__ == "__main__":
    app.run(host="0.0.0.0", «debug=True»)
`,
      messageIds: ['debugRun'],
      fixed: `from server import app
import os

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    },
    {
      name: 'an app built by a factory of a package beside the entry point',
      path: 'blog/manage.py',
      files: {
        '/work/blog/blog/__init__.py':
          'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      },
      text: `from blog import create_app

application = create_app()

if __name__ == "__main__":
    application.run(port=5001, «debug=True»)
`,
      messageIds: ['debugRun'],
      fixed: `from blog import create_app
import os

application = create_app()

if __name__ == "__main__":
    application.run(port=5001, debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    },
    {
      name: 'a factory from a package that is not in the folder, in an app that depends on Flask',
      path: 'api/wsgi.py',
      files: { '/work/api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["flask>=3"]\n' },
      text: `import myservice

myservice.make_app().run(«debug=True»)
`,
      messageIds: ['debugRun'],
      fixed: `import myservice
import os

myservice.make_app().run(debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    },
    {
      name: 'an imported app, whose module is elsewhere, in a folder whose other file makes a Flask app',
      path: 'tool/start.py',
      files: { '/work/tool/web.py': 'import flask\nweb = flask.Flask(__name__)\n' },
      text: `from .views import app as site
site.run(«debug=True»)
`,
      messageIds: ['debugRun'],
      fixed: `from .views import app as site
import os
site.run(debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    },
  ],
  clean: [
    {
      name: 'a production server in the app: app.run is only how developers start it',
      path: 'vote/app.py',
      files: { '/work/vote/requirements.txt': 'Flask\ngunicorn\n' },
      text: `from flask import Flask
app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=80, debug=True)
`,
    },
    {
      name: 'the switch from the environment, debug off, and run() of something else',
      path: 'web/app.py',
      text: `import os
from flask import Flask
app = Flask(__name__)
app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
app.run(debug=False)
scheduler.run(debug=True)
`,
    },
    {
      name: 'an imported Flask app in an app served by Gunicorn',
      path: 'store/run.py',
      files: {
        '/work/store/requirements.txt': 'flask\ngunicorn==22.0\n',
        '/work/store/store.py': 'from flask import Flask\napp = Flask(__name__)\n',
      },
      text: `from store import app
if __name__ == "__main__":
    app.run(debug=True)
`,
    },
    {
      name: 'an imported app whose module makes a FastAPI or Dash app, not a Flask one',
      path: 'svc/main.py',
      files: {
        '/work/svc/requirements.txt': 'flask\ndash\n',
        '/work/svc/board.py': 'from dash import Dash\nboard = Dash(__name__)\n',
      },
      text: `from board import board
board.run(debug=True)
`,
    },
    {
      name: 'a Flask-SocketIO server handed the app, and imports that are no app',
      path: 'chat/run.py',
      files: { '/work/chat/requirements.txt': 'flask\nflask-socketio\n' },
      text: `from chat import app, socketio, jobs
from chat import create_app
socketio.run(app, debug=True)
jobs.run(app=create_app(), debug=True)
`,
    },
    {
      name: 'an imported name with no sign of Flask anywhere in the app',
      path: 'batch/run.py',
      files: { '/work/batch/requirements.txt': 'click\n' },
      text: `from pipeline import runner
runner.run(debug=True)
`,
    },
    {
      name: 'an imported app started with the switch from the environment, and a name bound to something else afterwards',
      path: 'notes/run.py',
      files: { '/work/notes/notes.py': 'from flask import Flask\napp = Flask(__name__)\n' },
      text: `import os
from notes import app
app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
from notes import app as other
other = Worker()
other.run(debug=True)
`,
    },
  ],
});
