import type { Node } from '../../engine/parse/syntax-tree';
import { describeScope, requestHandlers } from '../../engine/code/handlers';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import {
  calleeName,
  dottedName,
  nodesOfType,
  sourceOf,
  spanOfNode,
  unwrapExpression,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/** Slow work, by qualified callee name (a prefix ending in `.` matches the whole module). */
const slowWork: [RegExp, string][] = [
  [/^(node:)?child_process\.(execSync|execFileSync|spawnSync)$/, 'runs a program and waits for it'],
  [/^(sharp|jimp|gm|imagemagick|@napi-rs\/image)(\.|$)/, 'processes an image'],
  [/^fluent-ffmpeg(\.|$)|^ffmpeg-static|^@ffmpeg\//, 'processes video or audio'],
  [/^(pdfkit|html-pdf|html-pdf-node|pdf-puppeteer|wkhtmltopdf)(\.|$)/, 'renders a PDF'],
  [
    /^(puppeteer|puppeteer-core|playwright|playwright-core)\.(launch|chromium\.launch|firefox\.launch|webkit\.launch)$/,
    'starts a headless browser',
  ],
  [/^archiver(\.|$)|^adm-zip(\.|$)/, 'builds an archive'],
  [
    /^subprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)$|^os\.(system|popen)$/,
    'runs a program and waits for it',
  ],
  [/^(PIL\.Image\.open|cv2\.|skimage\.|imageio\.|wand\.image\.Image)/, 'processes an image'],
  [/^(ffmpeg\.|moviepy\.)/, 'processes video or audio'],
  [
    /^(weasyprint\.HTML|pdfkit\.from_|xhtml2pdf\.pisa\.CreatePDF|reportlab\.|fpdf\.FPDF|pdf2image\.convert_from)/,
    'renders a PDF',
  ],
  [
    /^smtplib\.(SMTP|SMTP_SSL)$|^django\.core\.mail\.(send_mail|send_mass_mail|mail_admins|mail_managers)$/,
    'sends e-mail over SMTP',
  ],
];

/**
 * Lambda functions whose answer is the work itself, so that there is nothing to queue: an S3
 * Object Lambda returns the transformed object (`WriteGetObjectResponse`), a Lambda@Edge
 * function the transformed request or response (`Records[0].cf`).
 */
const transformsResponse =
  /getObjectContext|WriteGetObjectResponse|write_get_object_response|writeGetObjectResponse|Records\s*\[\s*0\s*\]\s*(\.|\[\s*['"])cf\b/;

/** Objects whose method sends e-mail: the constructor's qualified name → the sending methods. */
const mailers: [RegExp, RegExp][] = [
  [/^nodemailer\.createTransport$/, /^sendMail$/],
  [/^flask_mail\.Mail$/, /^(send|send_message)$/],
  [/^django\.core\.mail\.(EmailMessage|EmailMultiAlternatives)$/, /^send$/],
];

export default defineRule({
  id: 'async-event-driven/blocking-work-in-handler',
  lesson: 'async-event-driven',
  title: 'Slow work done inside a request handler',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    slowWork:
      '`{{callee}}` {{work}} inside {{scope}}: the caller waits for all of it, and the work holds a worker (or the event loop) while it runs. Queue it (SQS, Celery, BullMQ), answer 202 at once, and let a worker do it with retries.',
  },
  docs: {
    what:
      'Request handlers (and the same-file functions they call, and the handlers of controller modules whose routes are registered elsewhere) that process images, video or PDFs (sharp, jimp, ffmpeg, pdfkit, Puppeteer, Pillow, OpenCV, WeasyPrint, ReportLab, …), run programs and wait for them (`child_process.*Sync`, `subprocess.run`, `os.system`), or send e-mail over SMTP (nodemailer, smtplib, Django `send_mail`, Flask-Mail). ' +
      'Lambda functions fed by queues, S3 or schedules are the workers this work belongs in, and are not flagged; neither are functions whose answer is the work itself and cannot be queued: S3 Object Lambda (it returns the transformed object through `WriteGetObjectResponse`) and Lambda@Edge.',
    why:
      "The caller waits for all of it: seconds of CPU or of a mail server's round-trips turn into slow pages, load-balancer and API Gateway timeouts (29 s), and retries that start the same work again. " +
      'While it runs the work holds a worker, a thread or the Node.js event loop, so a few uploads at once stall every other request on the instance. ' +
      "Put a message on a queue (SQS, or a task queue such as Celery or BullMQ) and answer at once (`202 Accepted`); a worker that scales on the queue's depth does the work, retries it, and sends what fails to a dead-letter queue.",
    example: {
      language: 'javascript',
      code: `app.post('/photos', upload.single('photo'), async (req, res) => {
  const thumbnail = await sharp(req.file.buffer).resize(320).toBuffer();
  await s3.send(new PutObjectCommand({ Bucket, Key: \`thumbs/\${id}.jpg\`, Body: thumbnail }));
  res.json({ id });
});`,
    },
    useInstead: {
      language: 'javascript',
      code: `app.post('/photos', upload.single('photo'), async (req, res) => {
  await s3.send(new PutObjectCommand({ Bucket, Key: \`originals/\${id}.jpg\`, Body: req.file.buffer }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.THUMBNAIL_QUEUE_URL, MessageBody: JSON.stringify({ id }) }));
  res.status(202).json({ id }); // a worker makes the thumbnail
});`,
    },
    references: [
      {
        title: 'AWS: asynchronous processing with Amazon SQS',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html',
      },
      {
        title: "Node.js: don't block the event loop",
        url: 'https://nodejs.org/en/learn/asynchronous-work/dont-block-the-event-loop',
      },
      {
        title: 'Celery: first steps',
        url: 'https://docs.celeryq.dev/en/stable/getting-started/first-steps-with-celery.html',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>): void {
  const index = requestHandlers(model, document.path, workspace);
  if (!index.handlers.some((h) => h.role === 'request')) return;
  const bindings = bindingsOf(model);
  const python = model.grammar === 'python';
  const senders = mailerVariables(model);
  const reported = new Set<string>();
  const answersWithWork = new Map<number, boolean>();

  for (const call of nodesOfType(model, python ? 'call' : ['call_expression', 'new_expression'])) {
    if (!call) continue;
    const scope = index.at(call);
    if (!scope || scope.handler.role !== 'request') continue;
    const handler = scope.handler.function;
    if (!answersWithWork.has(handler.id))
      answersWithWork.set(
        handler.id,
        scope.handler.framework === 'lambda' && transformsResponse.test(handler.text),
      );
    if (answersWithWork.get(handler.id)) continue;
    const qualified = calleeQualifiedName(call, bindings) ?? '';
    let what = qualified ? slowWork.find(([pattern]) => pattern.test(qualified))?.[1] : undefined;
    if (!what && call.type !== 'new_expression') {
      const receiver = call.childForFieldName('function')?.childForFieldName('object');
      const sends = receiver && senders.get(dottedName(receiver) ?? '');
      if (sends && sends.test(calleeName(call) ?? '')) what = 'sends e-mail over SMTP';
    }
    if (!what) continue;
    const key = `${scope.handler.function.id}\u0000${what}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const callee =
      call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function') ?? call;
    report({
      at: spanOfNode(callee),
      messageId: 'slowWork',
      data: { callee: callee.text, work: what, scope: describeScope(scope) },
    });
  }
}

/** Variables holding a mail transport (`const transporter = nodemailer.createTransport(…)`), with their send methods. */
function mailerVariables(model: CodeModel): Map<string, RegExp> {
  const bindings = bindingsOf(model);
  const found = new Map<string, RegExp>();
  if (!/nodemailer|flask_mail|EmailMessage|EmailMultiAlternatives/.test(sourceOf(model))) return found;
  for (const node of nodesOfType(model, ['variable_declarator', 'assignment'])) {
    if (!node) continue;
    const target = node.childForFieldName(node.type === 'assignment' ? 'left' : 'name');
    const value = unwrapExpression(node.childForFieldName(node.type === 'assignment' ? 'right' : 'value'));
    if (!target || !value || !/call|new_expression/.test(value.type)) continue;
    const qualified = calleeQualifiedName(value as Node, bindings) ?? '';
    const mailer = mailers.find(([pattern]) => pattern.test(qualified));
    const name = dottedName(target);
    if (mailer && name) found.set(name, mailer[1]);
  }
  return found;
}
