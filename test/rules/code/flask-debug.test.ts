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
  ],
});
