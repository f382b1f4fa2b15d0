import { relative } from 'node:path';
import type { DeployableUnit, FileEdits, RelatedLocation, Runtime } from '../../engine/applications';
import { drainBounds, drainFlags, serverDrains, type ServerDrain } from '../../engine/code/shutdown';
import { moduleConstant, literalNumber } from '../../engine/code/literals';
import { spanOfNode } from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { serviceKey } from '../../engine/parse/compose';
import { asSeq, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type CheckContext, type Fix, type ReportedFinding } from '../../engine/rule';
import type { Span } from '../../engine/text';
import type { WorkspaceView } from '../../engine/workspace';

type MessageId = 'forcedExit' | 'delay' | 'server';

/** The margin a raised stop timeout leaves after the drain, in seconds. */
const margin = 5;
/** The longest `StopTimeout` the fix writes for ECS (the Fargate limit). */
const ecsMost = 120;

export default defineRule({
  id: 'container-ready/drain-outlasts-stop-timeout',
  lesson: 'container-ready',
  title: 'Shutdown drain longer than the time the platform waits before SIGKILL',
  severity: 'warning',
  // No peer tool reads the shutdown code and the file that stops it together.
  equivalents: [],
  fix: 'scaffold',
  messages: {
    forcedExit:
      'This SIGTERM handler gives the drain {{drain}} s before it forces the exit (`{{call}}`), but {{runtime}} sends SIGKILL {{stop}} s after SIGTERM ({{stopWords}}; {{file}}): a drain that runs past {{stop}} s is killed mid-request, and the timer never fires. Keep the drain under {{stop}} s, or give the platform more time.',
    delay:
      'This SIGTERM handler is still waiting {{drain}} s after SIGTERM (`{{call}}`), but {{runtime}} sends SIGKILL {{stop}} s after SIGTERM ({{stopWords}}; {{file}}): the process is killed during the wait, and what the handler does after it (closing the server, finishing requests, flushing) never runs. Wait less, or give the platform more time.',
    server:
      '{{server}} is given {{drain}} s to finish the requests in flight on shutdown (`{{flag}}`), but {{runtime}} sends SIGKILL {{stop}} s after SIGTERM ({{stopWords}}; {{file}}): requests still running at {{stop}} s are cut off, not drained. Lower `{{flag}}` under {{stop}} s, or give the platform more time.',
  },
  docs: {
    what:
      'A literal bound on how long the code drains on SIGTERM that is longer than the time the platform that runs it waits before SIGKILL: ' +
      'a forced-exit timer in a SIGTERM handler (`setTimeout(() => process.exit(1), 60000)`), delays the handler waits through (`await sleep(45000)` before `server.close()`, Python `time.sleep(40)` or `await asyncio.sleep(40)` in a `signal.signal(SIGTERM, …)` handler), ' +
      'Gunicorn `--graceful-timeout` (or `graceful_timeout` in `gunicorn.conf.py`), Uvicorn `--timeout-graceful-shutdown` and Hypercorn `--graceful-timeout` in the Dockerfile `CMD`/`ENTRYPOINT` or a compose `command:`. ' +
      "The platform's wait is the ECS container's `StopTimeout` (30 s when it is not written, unless the EC2 agent's `ECS_CONTAINER_STOP_TIMEOUT` is set in the template) or the compose service's `stop_grace_period` (10 s when it is not written). " +
      'Only statements the handler always runs count (not those inside an `if` or a loop), only numbers written in the code, and only runtimes that the files show run the code; a `STOPSIGNAL` or `stop_signal` other than SIGTERM, a command the runtime replaces, or a stop timeout read from a parameter without a default is no finding. ' +
      'Code that handles no SIGTERM at all is `container-ready/no-graceful-shutdown`. Findings against compose alone are reported as information: there the kill mostly interrupts a laptop.',
    why:
      'On every deployment, scale-in and host replacement the platform sends SIGTERM, waits its stop timeout, then sends SIGKILL, which no handler can catch. ' +
      'A drain written for 60 s on a platform that waits 30 s was never tested as written: requests that take longer are cut off mid-response, the cleanup after the drain (closing pools, flushing logs and metrics, finishing a job) never runs, and the timeout in the code gives a false sense of safety. ' +
      'The two numbers live in different files, often written by different people: the code says how long a drain may take, the task definition or compose file how long the platform waits.',
    example: {
      language: 'javascript',
      code: `// server.js — infra/stack.yaml: the container has no StopTimeout (30 s on Fargate)
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 60000).unref();
});`,
    },
    useInstead: {
      language: 'yaml',
      code: `# infra/stack.yaml — give the drain the time it was written for
ContainerDefinitions:
  - Name: api
    Image: !Ref ApiImage
    StopTimeout: 65`,
    },
    fix:
      'Raises the stop timeout past the drain (by 5 s): the container definition’s `StopTimeout` (up to the Fargate limit of 120 s) or the compose service’s `stop_grace_period`. ' +
      'A scaffold: a longer stop timeout also makes each deployment wait that much longer for a task that hangs; shortening the drain in the code may be the better change.',
    references: [
      {
        title: 'Amazon ECS: container definition StopTimeout',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#ContainerDefinition-stopTimeout',
      },
      {
        title: 'Amazon ECS: graceful shutdowns with ECS',
        url: 'https://aws.amazon.com/blogs/containers/graceful-shutdowns-with-ecs/',
      },
      {
        title: 'Compose file reference: stop_grace_period',
        url: 'https://docs.docker.com/reference/compose-file/services/#stop_grace_period',
      },
      {
        title: 'Gunicorn settings: graceful_timeout',
        url: 'https://docs.gunicorn.org/en/stable/settings.html#graceful-timeout',
      },
    ],
  },
  checks: {
    js: (context) => checkCode(context),
    py: (context) => checkCode(context),
    docker({ model, document, applications, workspace, report }) {
      const final = model.finalStage;
      if (!final || final.fragment) return;
      const commands = ['ENTRYPOINT', 'CMD']
        .map((keyword) => model.chainInstructions(final, keyword).at(-1))
        .filter((i) => i !== undefined);
      const drains: ServerDrain[] = [];
      for (const instruction of commands) {
        const span = model.span(instruction.getRange());
        drains.push(...serverDrains(document.text.slice(span.start, span.end), span.start));
      }
      if (drains.length === 0) return;
      const signal = model.chainInstructions(final, 'STOPSIGNAL').at(-1);
      if (signal && !termSignal(document.text.slice(model.span(signal.getRange()).start).split('\n')[0]))
        return;
      const unit = applications.of(document.path);
      if (!unit || unit.dockerfile !== document.path) return;
      // A runtime that sets its own command does not run the image's.
      const runtimes = unit.runtimes.filter((r) => !r.ownCommand);
      for (const drain of drains)
        reportDrain(report, workspace, document.path, runtimes, serverFinding(drain));
    },
    compose({ model, document, applications, workspace, report }) {
      if (!applications.runBy || !/graceful/.test(document.text)) return;
      let units: DeployableUnit[] | undefined;
      for (const service of model.services) {
        const command = serviceKey(model, service, 'command').pair?.value;
        if (!command) continue;
        const drains = commandDrains(document.text, command);
        if (drains.length === 0) continue;
        units ??= applications.runBy(document.path);
        const runtime = units
          .flatMap((u) => u.runtimes)
          .find(
            (r) =>
              r.kind === 'compose' &&
              r.at.path === document.path &&
              r.at.span.start === service.nameNode.span.start,
          );
        if (!runtime) continue;
        for (const drain of drains)
          reportDrain(report, workspace, document.path, [runtime], serverFinding(drain));
      }
    },
  },
});

interface Drain {
  messageId: MessageId;
  seconds: number;
  at: Span;
  data: Record<string, string>;
}

const serverFinding = (drain: ServerDrain): Drain => ({
  messageId: 'server',
  seconds: drain.seconds,
  at: drain.span,
  data: { server: drain.server, flag: drain.flag },
});

/** Whether a `STOPSIGNAL` line sends SIGTERM. */
const termSignal = (line: string) =>
  /^[ \t]*STOPSIGNAL[ \t]+["']?(SIG)?TERM["']?[ \t]*$|^[ \t]*STOPSIGNAL[ \t]+15\b/i.test(line.trim());

function checkCode(context: CheckContext<CodeModel, MessageId>): void {
  const { model, document, workspace, applications, report } = context;
  const drains: Drain[] = drainBounds(model).map((bound) => ({
    messageId: bound.kind,
    seconds: bound.seconds,
    at: bound.span,
    data: { call: bound.call },
  }));
  // gunicorn.conf.py: `graceful_timeout = 60`.
  if (model.grammar === 'python' && /(^|[\\/])gunicorn\.conf\.py$/.test(document.path)) {
    const value = moduleConstant(model, 'graceful_timeout');
    const seconds = literalNumber(model, value);
    if (value && seconds !== undefined)
      drains.push({
        messageId: 'server',
        seconds,
        at: spanOfNode(value),
        data: { server: 'Gunicorn', flag: 'graceful_timeout' },
      });
  }
  if (drains.length === 0) return;
  const unit = applications.of(document.path);
  if (!unit) return;
  const dockerfile = unit.dockerfile ? workspace.read(unit.dockerfile) : undefined;
  // The image sends another signal than SIGTERM: the handler is not what runs on stop.
  const signal = dockerfile && /^[ \t]*STOPSIGNAL[ \t][^\n]*/im.exec(dockerfile)?.[0];
  if (signal && !termSignal(signal)) return;
  // Report the earliest bound that outlasts a runtime: later ones say the same.
  for (const drain of drains) if (reportDrain(report, workspace, document.path, unit.runtimes, drain)) return;
}

/** Reports the drain when it outlasts the stop timeout of a runtime; whether it did. */
function reportDrain(
  report: (finding: ReportedFinding<MessageId>) => void,
  workspace: WorkspaceView,
  path: string,
  runtimes: readonly Runtime[],
  drain: Drain,
): boolean {
  const outlasted = runtimes
    .filter((r) => r.stopTimeout && r.stopTimeout.seconds < drain.seconds)
    .sort((a, b) => a.stopTimeout!.seconds - b.stopTimeout!.seconds);
  const lead = outlasted[0];
  if (!lead) return false;
  const stop = lead.stopTimeout!;
  report({
    at: drain.at,
    messageId: drain.messageId,
    data: {
      ...drain.data,
      drain: seconds(drain.seconds),
      runtime: lead.name,
      stop: seconds(stop.seconds),
      stopWords: stop.words,
      file: shown(workspace, path, stop.at.path),
    },
    // Compose mostly stops containers on a laptop: worth knowing, seldom worth a warning.
    ...(lead.kind === 'compose' ? { severity: 'info' as const } : {}),
    related: outlasted.map((r): RelatedLocation => ({
      path: r.stopTimeout!.at.path,
      range: r.stopTimeout!.at.range,
      message: `${r.name} sends SIGKILL ${seconds(r.stopTimeout!.seconds)} s after SIGTERM (${r.stopTimeout!.words})`,
    })),
    fix: () => raiseFix(path, outlasted, drain.seconds),
  });
  return true;
}

/** Raises the stop timeout of each outlasted runtime past the drain; none when one of them cannot be raised. */
function raiseFix(path: string, runtimes: Runtime[], drain: number): Fix | undefined {
  const wanted = Math.ceil(drain) + margin;
  const byFile = new Map<string, FileEdits>();
  for (const runtime of runtimes) {
    const stop = runtime.stopTimeout!;
    const most = stop.most ?? (runtime.kind === 'ecs' ? ecsMost : Infinity);
    if (wanted > most || !stop.raise) return undefined;
    const edits = stop.raise(wanted);
    if (!edits) return undefined;
    const known = byFile.get(edits.path);
    if (!known) byFile.set(edits.path, { ...edits, edits: [...edits.edits] });
    else if (known.text !== edits.text) return undefined;
    // Two services running one task definition share its container: one edit.
    else
      for (const edit of edits.edits)
        if (!known.edits.some((e) => e.start === edit.start && e.end === edit.end)) known.edits.push(edit);
  }
  const own = byFile.get(path);
  byFile.delete(path);
  const files = [...byFile.values()].map((f) => ({ ...f, edits: f.edits.sort((a, b) => a.start - b.start) }));
  const ecs = runtimes.every((r) => r.kind === 'ecs');
  return {
    title: `${ecs ? 'Set StopTimeout' : runtimes.every((r) => r.kind === 'compose') ? 'Set stop_grace_period' : 'Raise the stop timeout'} to ${wanted} s, past the drain`,
    edits: own ? own.edits.sort((a, b) => a.start - b.start) : [],
    ...(files.length > 0 ? { otherFiles: files } : {}),
    needs: [
      'Check that a deployment may wait that long for each stopping task, or shorten the drain instead',
    ],
  };
}

/** The server flags of a compose `command:`, a string or a list, in offsets of the compose file. */
function commandDrains(text: string, command: DataNode): ServerDrain[] {
  const items = asSeq(command)?.items;
  if (!items) return serverDrains(text.slice(command.span.start, command.span.end), command.span.start);
  // A list: `- --graceful-timeout` then `- "60"`, or `- --graceful-timeout=60`.
  const drains: ServerDrain[] = [];
  const words = items.map((item) => scalarText(item) ?? '');
  for (const { server, word, flag } of drainFlags) {
    const first = words.findIndex((w) => word.test(w));
    if (first < 0) continue;
    for (let i = first; i < words.length; i++) {
      let value: string | undefined;
      let item = items[i];
      if (words[i].startsWith(`${flag}=`)) value = words[i].slice(flag.length + 1);
      else if (words[i] === flag && i + 1 < words.length) {
        item = items[i + 1];
        value = words[i + 1];
      }
      if (!value || !/^\d+(\.\d+)?$/.test(value)) continue;
      const written = text.slice(item.span.start, item.span.end);
      const at = item.span.start + written.lastIndexOf(value);
      drains.push({ server, flag, seconds: Number(value), span: { start: at, end: at + value.length } });
    }
  }
  return drains;
}

const seconds = (n: number) => String(Math.round(n * 10) / 10);

function shown(workspace: WorkspaceView, from: string, path: string): string {
  const base = workspace.root ?? from;
  return relative(base, path).split('\\').join('/') || path;
}
