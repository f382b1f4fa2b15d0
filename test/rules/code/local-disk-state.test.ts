import rule from '../../../server/src/rules/code/local-disk-state';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Express: multer dest, fs.writeFile of a report and an express-fileupload mv',
      path: 'server.js',
      text: `const express = require('express');
const fs = require('fs');
const multer = require('multer');
const upload = multer({ «dest: 'uploads/'» });
const app = express();

app.post('/reports', async (req, res) => {
  await «fs.promises.writeFile»(\`reports/\${req.body.id}.json\`, JSON.stringify(req.body));
  res.sendStatus(201);
});
app.post('/avatar', (req, res) => {
  «req.files.avatar.mv»(__dirname + '/public/avatars/' + req.files.avatar.name);
  res.end();
});
`,
      messages: [
        /^multer with `dest` keeps uploads on this instance's own disk/,
        "`fs.promises.writeFile` in the request handler `POST /reports` writes to this instance's own disk: the file exists on this instance only, and is gone when the container or instance is replaced. Store it in S3 (or EFS when a shared file system is needed).",
        /^`req.files.avatar.mv` \(express-fileupload\) in the request handler `POST \/avatar`/,
      ],
    },
    {
      name: 'multer diskStorage and a log appended per request through a helper (TypeScript)',
      path: 'src/app.ts',
      text: `import express from 'express';
import multer from 'multer';
import { appendFileSync } from 'node:fs';

const storage = «multer.diskStorage»({ destination: 'public/uploads' });
const app = express();

function audit(line: string) {
  «appendFileSync»('audit.log', line + '\\n');
}

app.post('/orders', (req, res) => {
  audit(req.body.id);
  res.end();
});
`,
      messages: [
        /diskStorage/,
        /^`appendFileSync` in `audit`, called by the request handler `POST \/orders`/,
      ],
    },
    {
      name: 'Flask upload saved under the app folder, and a file opened for writing',
      path: 'app.py',
      text: `import os
from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_FOLDER = "static/uploads"

@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    «f.save»(os.path.join(UPLOAD_FOLDER, secure_filename(f.filename)))
    with «open»("submissions.csv", "a") as out:
        out.write(request.form["name"])
    return "ok"
`,
    },
    {
      name: 'FastAPI UploadFile copied to disk, Django FileSystemStorage',
      path: 'main.py',
      text: `import shutil
from fastapi import FastAPI, UploadFile

app = FastAPI()

@app.post("/files/")
async def create_upload_file(file: UploadFile):
    with «open»(f"uploads/{file.filename}", "wb") as buffer:
        shutil.copyfileobj(file.file, buffer)
    return {"filename": file.filename}
`,
    },
    {
      name: 'Django view with FileSystemStorage',
      path: 'uploads/views.py',
      text: `from django.core.files.storage import FileSystemStorage

def simple_upload(request):
    myfile = request.FILES["myfile"]
    fs = FileSystemStorage()
    filename = «fs.save»(myfile.name, myfile)
    return render(request, "upload.html", {"url": fs.url(filename)})
`,
    },
  ],
  clean: [
    {
      name: 'a yargs command module exports handler(argv): a CLI, not a Lambda function (from mocha)',
      path: 'lib/cli/init.js',
      text: `const fs = require('fs');
exports.command = 'init <path>';
exports.builder = (yargs) => yargs;
exports.handler = (argv) => {
  fs.writeFileSync(argv.path + '/index.html', '');
};
`,
    },
    {
      name: 'writes under the temporary directory, and to S3',
      path: 'handler.js',
      text: `const fs = require('fs');
const os = require('os');
const path = require('path');
exports.handler = async (event) => {
  const file = path.join(os.tmpdir(), 'report.pdf');
  fs.writeFileSync(file, render(event));
  await fs.promises.writeFile('/tmp/x.json', '{}');
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'report.pdf', Body: fs.createReadStream(file) }));
  return { statusCode: 200 };
};
`,
    },
    {
      name: 'writes to a shared file system: an EFS mount point and a path the environment gives',
      path: 'functions/archive/app.py',
      text: `import os
import json

ARCHIVE_DIR = os.environ["ARCHIVE_DIR"]

def handler(event, context):
    with open("/mnt/archive/" + event["id"] + ".json", "w") as out:
        json.dump(event, out)
    with open(os.path.join(ARCHIVE_DIR, "latest.json"), "w") as out:
        json.dump(event, out)
    return {"statusCode": 200}
`,
    },
    {
      name: 'Express: an upload moved under a directory read from the environment',
      path: 'routes/files.js',
      text: `const express = require('express');
const fs = require('fs');
const path = require('path');
const router = express.Router();
const sharedDir = process.env.SHARED_UPLOADS_DIR;
router.post('/files', (req, res) => {
  fs.writeFileSync(path.join(sharedDir, req.body.name), req.body.content);
  res.sendStatus(201);
});
`,
    },
    {
      name: 'writes at start-up or in scripts, outside any handler',
      path: 'build.js',
      text: `const fs = require('fs');\nfs.writeFileSync('dist/manifest.json', JSON.stringify(manifest));\n`,
    },
    {
      name: 'Python: model saves, temp files, storage abstraction, reads',
      path: 'views.py',
      text: `import tempfile
from django.core.files.storage import default_storage

def update(request, pk):
    item = Item.objects.get(pk=pk)
    item.save()
    form.save(commit=False)
    with open("config.json") as f:
        data = f.read()
    with tempfile.NamedTemporaryFile("w") as tmp:
        tmp.write("x")
    with open(os.path.join(tempfile.gettempdir(), "x"), "w") as out:
        out.write("y")
    default_storage.save("avatars/x.png", request.FILES["avatar"])
`,
    },
    {
      name: 'multer keeping uploads in memory',
      path: 'app.js',
      text: `const multer = require('multer');\nconst upload = multer({ storage: multer.memoryStorage() });\nconst scratch = multer({ dest: os.tmpdir() });\n`,
    },
  ],
});
