import { runtimeWords } from './applications';
import {
  describeCounts,
  statusWords,
  type ApplicationScore,
  type FileScore,
  type FindingLink,
  type LessonReport,
  type LessonScore,
} from './lessons';
import { printable, safeHref } from './links';
import { relativeLink, type LinkTo } from './markdown';

/** Text in an element or an attribute. */
function escape(text: string): string {
  return printable(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** `<a href>` when the target is one a report may link to, else the text alone. */
function anchorTo(target: string, html: string): string {
  const href = safeHref(target);
  return href ? `<a href="${escape(href)}">${html}</a>` : html;
}

const percent = (score: number | null) => (score === null ? '—' : `${score}&nbsp;%`);
const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * Colours come from VS Code's theme variables when the page is shown in a webview, and fall back
 * to a light theme in a browser. No script: links are plain links, so the page works anywhere.
 */
const style = `
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 14px);
  color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #fff);
  max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
a { color: var(--vscode-textLink-foreground, #0969da); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid var(--vscode-panel-border, #d0d7de); padding-bottom: .2em; }
table { border-collapse: collapse; margin: .6em 0; width: 100%; }
th, td { text-align: left; padding: .25em .6em; border-bottom: 1px solid var(--vscode-panel-border, #d0d7de); vertical-align: top; }
th.n, td.n { text-align: right; white-space: nowrap; }
code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .92em; }
.summary { color: var(--vscode-descriptionForeground, #59636e); }
.bar { display: inline-block; width: 6em; height: .6em; background: var(--vscode-editorError-foreground, #cf222e);
  border-radius: 3px; overflow: hidden; vertical-align: middle; margin-right: .4em; }
.bar > span { display: block; height: 100%; background: var(--vscode-testing-iconPassed, #1a7f37); }
.status-met { color: var(--vscode-testing-iconPassed, #1a7f37); }
.status-broken { color: var(--vscode-editorError-foreground, #cf222e); font-weight: 600; }
.status-off, .status-not-applicable { color: var(--vscode-descriptionForeground, #59636e); }
.severity-error { color: var(--vscode-editorError-foreground, #cf222e); }
.severity-warning { color: var(--vscode-editorWarning-foreground, #9a6700); }
.severity-info, .severity-hint { color: var(--vscode-editorInfo-foreground, #0969da); }
ul.findings { padding-left: 1.2em; }
ul.findings li { margin: .2em 0; }
footer { margin-top: 3em; color: var(--vscode-descriptionForeground, #59636e); font-size: .9em; }
`;

function bar(score: number | null): string {
  if (score === null) return '';
  return `<span class="bar" role="img" aria-label="${score} percent met"><span style="width:${score}%"></span></span>`;
}

function fileItem(file: FileScore, linkTo: LinkTo): string {
  return `${anchorTo(linkTo(file.path), escape(file.path))}: ${describeCounts(file.counts)}`;
}

function lessonSection(lesson: LessonScore, linkTo: LinkTo): string {
  const out: string[] = [];
  const ran = lesson.met + lesson.broken;
  out.push(`<section id="${escape(lesson.id)}">`);
  out.push(`<h2>${escape(lesson.title)}</h2>`);
  out.push(
    `<p>${bar(lesson.score)}<strong>${percent(lesson.score)}</strong>: ${lesson.met} of ${plural(ran, 'rule')} met. ` +
      `<span class="summary">${escape(lesson.summary)}</span></p>`,
  );
  out.push('<table><thead><tr><th>rule</th><th>status</th><th class="n">findings</th></tr></thead><tbody>');
  for (const rule of lesson.rules)
    out.push(
      `<tr><td><code>${escape(rule.id)}</code> ${escape(rule.title)}</td>` +
        `<td class="status-${rule.status}">${statusWords[rule.status]}</td><td class="n">${rule.findings}</td></tr>`,
    );
  out.push('</tbody></table>');
  if (lesson.findings.length > 0) {
    out.push('<ul class="findings">');
    for (const f of lesson.findings) {
      const where = `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push(
        `<li>${anchorTo(linkTo(f.path, f.range), escape(where))} ` +
          `<span class="severity-${f.severity}">${f.severity}</span> <code>${escape(f.ruleId)}</code>: ${escape(f.message)}</li>`,
      );
    }
    out.push('</ul>');
  }
  if (lesson.worstFiles.length > 1) {
    out.push(
      `<p>Worst files for this lesson: ${lesson.worstFiles.map((f) => fileItem(f, linkTo)).join('; ')}.</p>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}

const where = (f: FindingLink) => `${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
const code = (name: string) => `<code>${escape(name)}</code>`;
/** How many findings links a lesson's row of an application lists before it counts the rest. */
const linksPerRow = 3;

/** The application view: each deployable unit, where it runs, and the lessons its files keep or break. */
function applicationsSection(applications: readonly ApplicationScore[], linkTo: LinkTo): string {
  if (applications.length === 0)
    return '<p class="summary">Applications: none linked. No code here is built or run by a compose service, ECS service or Lambda function in these files.</p>';
  const out: string[] = ['<section id="applications">', '<h2>Applications</h2>'];
  out.push(
    `<p>${plural(applications.length, 'application')}: code that the compose files and templates here build and run. ` +
      '<span class="summary">Its findings are those of its code and image, and of the compose services and template resources that run it.</span></p>',
  );
  for (const app of applications) {
    out.push(`<h3>${escape(app.root)}</h3>`);
    out.push(
      `<p>Code in ${code(app.root)}` +
        (app.dockerfile
          ? `, packaged by ${anchorTo(linkTo(app.dockerfile), escape(app.dockerfile))}` +
            (app.imageEnvironment.length > 0
              ? ` (which sets ${app.imageEnvironment.map(code).join(', ')})`
              : '')
          : '') +
        '.</p>',
    );
    out.push('<p>Runs as:</p><ul>');
    for (const runtime of app.runtimes)
      out.push(
        `<li>${anchorTo(linkTo(runtime.at.path, runtime.at.range), escape(runtime.name))}: ${runtimeWords(runtime, { text: escape, code })}</li>`,
      );
    out.push('</ul>');
    if (app.backing.length > 0)
      out.push(
        `<p>Declared beside it: ${app.backing.map((b) => anchorTo(linkTo(b.at.path, b.at.range), escape(b.name))).join(', ')}.</p>`,
      );
    const broken = app.lessons.filter((l) => l.status === 'broken');
    const kept = app.lessons.filter((l) => l.status === 'kept');
    out.push(`<p>Lessons: ${broken.length} broken, ${kept.length} kept.</p>`);
    if (broken.length > 0) {
      out.push('<table><thead><tr><th>lesson</th><th>its findings</th></tr></thead><tbody>');
      for (const lesson of broken) {
        const shown = lesson.findings
          .slice(0, linksPerRow)
          .map(
            (f) => `${anchorTo(linkTo(f.path, f.range), escape(where(f)))} <code>${escape(f.ruleId)}</code>`,
          );
        const more = lesson.findings.length - shown.length;
        out.push(
          `<tr><td class="status-broken"><a href="#${escape(lesson.id)}">${escape(lesson.title)}</a></td>` +
            `<td>${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}</td></tr>`,
        );
      }
      out.push('</tbody></table>');
    }
    if (kept.length > 0)
      out.push(
        `<p><span class="status-met">Kept</span>: ${kept.map((l) => escape(l.title)).join(', ')}.</p>`,
      );
    if (app.acrossFiles.length > 0) {
      out.push('<p>Across files:</p><ul class="findings">');
      for (const f of app.acrossFiles)
        out.push(
          `<li>${anchorTo(linkTo(f.path, f.range), escape(where(f)))} <span class="severity-${f.severity}">${f.severity}</span> ` +
            `<code>${escape(f.ruleId)}</code>: ${escape(f.message)}` +
            (f.related?.length
              ? ` (with ${f.related.map((p) => anchorTo(linkTo(p), escape(p))).join(', ')})`
              : '') +
            '</li>',
        );
      out.push('</ul>');
    }
  }
  out.push('</section>');
  return out.join('\n');
}

/** The lesson report as one self-contained HTML page (inline style, no script, no remote content). */
export function formatHtml(report: LessonReport, linkTo: LinkTo = relativeLink): string {
  const body: string[] = [];
  body.push(`<h1>Cloud Lessons report: ${escape(report.subject)}</h1>`);
  const findings =
    report.findings === 0
      ? 'no findings'
      : `${plural(report.findings, 'finding')} (${describeCounts(report.counts)}) in ${plural(report.filesWithFindings, 'file')}`;
  body.push(
    `<p>${plural(report.files, 'file')} analysed, ${findings}. ${bar(report.score)}` +
      `Rules met: <strong>${report.met} of ${report.met + report.broken}</strong> (${percent(report.score)}).</p>`,
  );
  if (report.errors.length > 0) {
    body.push(`<p>${plural(report.errors.length, 'file')} could not be analysed:</p><ul>`);
    for (const e of report.errors)
      body.push(`<li>${anchorTo(linkTo(e.path), escape(e.path))}: ${escape(e.message)}</li>`);
    body.push('</ul>');
  }
  if (report.lessons.length > 0) {
    body.push(
      '<table><thead><tr><th>lesson</th><th>score</th><th class="n">rules met</th><th class="n">rules broken</th><th class="n">findings</th></tr></thead><tbody>',
    );
    for (const lesson of report.lessons)
      body.push(
        `<tr><td><a href="#${escape(lesson.id)}">${escape(lesson.title)}</a></td><td>${bar(lesson.score)}${percent(lesson.score)}</td>` +
          `<td class="n">${lesson.met}</td><td class="n">${lesson.broken}</td><td class="n">${lesson.findings.length}</td></tr>`,
      );
    body.push('</tbody></table>');
  }
  if (report.worstFiles.length > 0) {
    body.push('<h2>Worst files</h2><ol>');
    for (const file of report.worstFiles) body.push(`<li>${fileItem(file, linkTo)}</li>`);
    body.push('</ol>');
  }
  if (report.applications) body.push(applicationsSection(report.applications, linkTo));
  for (const lesson of report.lessons) body.push(lessonSection(lesson, linkTo));
  if (report.notChecked.length > 0) {
    body.push('<h2>Not checked here</h2><ul>');
    for (const l of report.notChecked)
      body.push(
        `<li>${escape(l.title)}: ${l.reason === 'off' ? 'its rules are switched off' : 'no file of the kinds its rules check'}</li>`,
      );
    body.push('</ul>');
  }
  if (report.withoutRules.length > 0)
    body.push(
      `<p class="summary">Lessons with no rule yet: ${report.withoutRules.map((l) => escape(l.title)).join(', ')}.</p>`,
    );
  body.push(`<footer>Generated by ${escape(report.tool.name)} ${escape(report.tool.version)}.</footer>`);

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cloud Lessons report: ${escape(report.subject)}</title>
<style>${style}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
