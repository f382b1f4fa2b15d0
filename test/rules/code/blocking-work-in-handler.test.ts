import rule from '../../../server/src/rules/code/blocking-work-in-handler';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Express: thumbnails with sharp, a PDF with pdfkit, mail with nodemailer, execSync',
      path: 'server.js',
      text: `const express = require('express');
const sharp = require('sharp');
const PDFDocument = require('pdfkit');
const nodemailer = require('nodemailer');
const { execSync } = require('child_process');

const app = express();
const transporter = nodemailer.createTransport({ host: process.env.SMTP_HOST });

app.post('/photos', async (req, res) => {
  const thumb = await «sharp»(req.file.buffer).resize(320).toBuffer();
  const again = await sharp(req.file.buffer).resize(64).toBuffer();
  res.json({ size: thumb.length + again.length });
});
app.get('/invoice/:id', (req, res) => {
  const doc = new «PDFDocument»();
  doc.pipe(res);
  doc.end();
});
app.post('/signup', async (req, res) => {
  await «transporter.sendMail»({ to: req.body.email, subject: 'Welcome' });
  res.sendStatus(201);
});
app.post('/convert', (req, res) => {
  «execSync»(\`convert \${req.file.path} out.png\`);
  res.end();
});
`,
      messages: [
        '`sharp` processes an image inside the request handler `POST /photos`: the caller waits for all of it, and the work holds a worker (or the event loop) while it runs. Queue it (SQS, Celery, BullMQ), answer 202 at once, and let a worker do it with retries.',
        /`PDFDocument` renders a PDF inside the request handler `GET \/invoice\/:id`/,
        /`transporter.sendMail` sends e-mail over SMTP/,
        /`execSync` runs a program and waits for it/,
      ],
    },
    {
      name: 'Flask and Django: Pillow, subprocess and send_mail',
      path: 'app.py',
      text: `import subprocess
from PIL import Image
from django.core.mail import send_mail
from flask import Flask, request

app = Flask(__name__)

@app.post("/avatar")
def avatar():
    image = «Image.open»(request.files["avatar"])
    image.thumbnail((128, 128))
    «subprocess.run»(["optipng", "avatar.png"], check=True)
    return {}

@app.post("/contact")
def contact():
    «send_mail»("Hello", request.form["message"], "noreply@example.com", ["team@example.com"])
    return {}
`,
    },
    {
      name: 'API Gateway Lambda handler rendering a PDF',
      path: 'handler.py',
      text: `from weasyprint import HTML

def lambda_handler(event, context):
    pdf = «HTML»(string=event["body"]).write_pdf()
    return {"statusCode": 200, "body": pdf}
`,
    },
  ],
  clean: [
    {
      name: 'an S3 Object Lambda must answer with the transformed object: nothing to queue',
      path: 'resize/index.mjs',
      text: `import sharp from 'sharp';
import { S3Client, WriteGetObjectResponseCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});
export const handler = async (event) => {
  const { outputRoute, outputToken, inputS3Url } = event.getObjectContext;
  const original = await fetch(inputS3Url, { signal: AbortSignal.timeout(5000) });
  const body = await sharp(Buffer.from(await original.arrayBuffer())).resize(640).toBuffer();
  await s3.send(new WriteGetObjectResponseCommand({ RequestRoute: outputRoute, RequestToken: outputToken, Body: body }));
  return { statusCode: 200 };
};
`,
    },
    {
      name: 'a Python S3 Object Lambda redacting a document',
      path: 'redact/app.py',
      text: `import subprocess
import boto3

s3 = boto3.client("s3")

def lambda_handler(event, context):
    ctx = event["getObjectContext"]
    cleaned = subprocess.run(["redact", ctx["inputS3Url"]], capture_output=True).stdout
    s3.write_get_object_response(Body=cleaned, RequestRoute=ctx["outputRoute"], RequestToken=ctx["outputToken"])
    return {"statusCode": 200}
`,
    },
    {
      name: 'an S3-triggered Lambda is the worker',
      path: 'thumbnail.js',
      text: `const sharp = require('sharp');
exports.handler = async (event) => {
  for (const record of event.Records) {
    const image = await getObject(record.s3.object.key);
    await putObject(await sharp(image).resize(320).toBuffer());
  }
};
`,
    },
    {
      name: 'work handed to a queue, and start-up work outside handlers',
      path: 'app.py',
      text: `import subprocess
from flask import Flask
from tasks import make_thumbnail

subprocess.run(["git", "rev-parse", "HEAD"], check=True)
app = Flask(__name__)

@app.post("/avatar")
def avatar():
    make_thumbnail.delay("key")
    return {}, 202
`,
    },
    {
      name: 'a FastAPI background task is not called inline',
      path: 'main.py',
      text: `import smtplib
from fastapi import BackgroundTasks, FastAPI
app = FastAPI()

def send_welcome(address):
    with smtplib.SMTP("smtp") as smtp:
        smtp.sendmail("a", address, "hi")

@app.post("/signup")
async def signup(email: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_welcome, email)
    return {}
`,
    },
  ],
});
