import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, ImageReference, Stage } from '../parse/dockerfile';
import { databaseOf, dropsPrivilegesItself } from './images';
import { trimTrailing } from '../text';

/** The final image: the stages it is built from, all their instructions, its last ENTRYPOINT and CMD. */
interface FinalImage {
  chain: Stage[];
  all: Instruction[];
  entrypoint?: Instruction;
  cmd?: Instruction;
}

/** The final image, or undefined when the file has no stage or builds on a fragment. */
function finalImage(model: DockerfileModel): FinalImage | undefined {
  const chain = model.finalChain;
  if (chain.length === 0 || chain.some((s) => s.fragment)) return undefined;
  const all = chain.flatMap((s) => s.instructions);
  const last = (keyword: string) => all.filter((i) => i.getKeyword() === keyword).at(-1);
  return { chain, all, entrypoint: last('ENTRYPOINT'), cmd: last('CMD') };
}

/** A port, a health check or build triggers for images built on it: what a service or a base image shows. */
function announcesService(all: readonly Instruction[]): boolean {
  return all.some((i) => ['EXPOSE', 'HEALTHCHECK', 'ONBUILD'].includes(i.getKeyword()));
}

/**
 * What a Dockerfile's final image is for, as far as its text tells. Image-level rules (root
 * user, heavy image, unpinned packages) judge images that run an application; an image built
 * for others to build on, or one that a platform runs in its own way, has other rules.
 */

/** Programs that a runtime image starts by default: a shell or a language's prompt. */
const interactiveDefaults = new Set([
  'sh',
  'bash',
  'ash',
  'zsh',
  'python',
  'python2',
  'python3',
  'node',
  'irb',
  'ruby',
  'php',
  'perl',
  'jshell',
  'ghci',
  'iex',
  'erl',
  'lua',
  'r',
  'julia',
  'clojure',
  'deno',
  'bun',
  'pwsh',
  'scala',
  'groovysh',
]);

/** Scripts and settings that a runtime image copies next to the runtime, rather than an application. */
const supportFile =
  /\.(sh|bash|conf|cfg|ini|repo|list|gpg|asc|pem|crt|key|pub)$|(^|\/)(docker-)?entrypoint[^/]*$/i;

/**
 * The program an exec-form or shell-form CMD/ENTRYPOINT starts, without its directory, and
 * whether it is given anything but options (`node server.js` runs an app, `python3 -q` a prompt).
 */
function startedProgram(
  model: DockerfileModel,
  instruction: Instruction,
): { path: string; program: string; operands: boolean; script: boolean } | undefined {
  const exec = model.execForm(instruction);
  const words = exec
    ? exec.map((a) => a.value)
    : (instruction.getArgumentsContent() ?? '').trim().split(/\s+/);
  const first = words[0];
  if (!first) return undefined;
  return {
    path: first,
    program: first.slice(first.lastIndexOf('/') + 1).toLowerCase(),
    operands: words.slice(1).some((w) => !w.startsWith('-')),
    script: words.slice(1).some((w) => /\.(js|mjs|cjs|py|rb|php|pl|jar|dll|war)$/.test(w)),
  };
}

/** Whether a start command is a shell or a language prompt, not an application. */
function startsPrompt(started: ReturnType<typeof startedProgram>): boolean {
  return !started || (interactiveDefaults.has(started.program) && !started.operands);
}

/** The sources of a COPY or ADD (every argument but the destination and the flags). */
function copySources(instruction: Instruction): string[] {
  const words = instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((w) => !w.startsWith('--'));
  return words.slice(0, -1).map((w) => w.replace(/^\[?"?|"?,?\]?$/g, ''));
}

/** Whether the chain copies something that is not a support file: the application, or a build result. */
function copiesApplication(chain: Stage[]): boolean {
  return chain.some((stage) =>
    stage.instructions.some((i) => {
      const keyword = i.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') return false;
      if (/(^|\s)--from[= ]/.test(i.getArgumentsContent() ?? '')) return true;
      return copySources(i).some((source) => !supportFile.test(source));
    }),
  );
}

/**
 * An image built to be the base of others: it has ONBUILD triggers, or it exposes no port,
 * copies no application and starts at most a shell or a language prompt (the official runtime
 * images: `CMD ["python3"]`, `ENTRYPOINT ["docker-entrypoint.sh"]` with `CMD ["node"]`).
 * Images that only install tools and set no command fall here too: they run what the
 * `docker run` line names.
 */
export function isBaseImage(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image) return false;
  const { chain, all, entrypoint, cmd } = image;
  if (all.some((i) => i.getKeyword() === 'ONBUILD')) return true;
  if (all.some((i) => i.getKeyword() === 'EXPOSE')) return false;
  if (copiesApplication(chain)) return false;
  const entry = entrypoint && startedProgram(model, entrypoint);
  if (entry && !/^(docker-)?entrypoint(\.sh)?$/.test(entry.program) && !startsPrompt(entry)) return false;
  return startsPrompt(cmd && startedProgram(model, cmd));
}

/** Programs that serve, or that run an application given to them: never a tool of their own. */
const runsSomethingElse = new Set([
  ...interactiveDefaults,
  'java',
  'dotnet',
  'gunicorn',
  'uvicorn',
  'uwsgi',
  'hypercorn',
  'daphne',
  'puma',
  'unicorn',
  'rails',
  'nginx',
  'httpd',
  'apache2-foreground',
  'php-fpm',
  'caddy',
  'supervisord',
  'tini',
  'dumb-init',
  'gosu',
  'su-exec',
  'npm',
  'yarn',
  'pnpm',
  'flask',
  'celery',
]);

/** Whether a COPY or ADD of the chain writes the program (by path or by name) or a build result. */
function copiesProgram(chain: Stage[], program: string, path = program): boolean {
  return chain.some((stage) =>
    stage.instructions.some((i) => {
      const keyword = i.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') return false;
      const words = i
        .getArguments()
        .map((a) => a.getValue().replace(/^\[?"?|"?,?\]?$/g, ''))
        .filter((w) => !w.startsWith('--'));
      const destination = words[words.length - 1] ?? '';
      const sources = words.slice(0, -1);
      const named = (path: string) => trimTrailing(path, '/').split('/').pop()?.toLowerCase() === program;
      const folder = trimTrailing(destination, '/');
      const under = path.startsWith('/') && folder.startsWith('/') && path.startsWith(`${folder}/`);
      // Files copied into a folder may include the program, unless the program is started by
      // its bare name (found on PATH) and the folder is an absolute one outside PATH: data for
      // it (`COPY game.dsk /usr/src/games/` for `ENTRYPOINT ["linapple"]`).
      const reachable = !/^[^/]+$/.test(path) || !folder.startsWith('/') || /(^|\/)s?bin$/.test(folder);
      return (
        under ||
        named(destination) ||
        sources.some(named) ||
        (/\/$/.test(destination) &&
          sources.length > 0 &&
          reachable &&
          !sources.every((s) => supportFile.test(s)))
      );
    }),
  );
}

/**
 * An image that packages a command-line or desktop tool: it exposes no port, has no health
 * check, and its entry point (or command) is a program of its own rather than a server, an
 * interpreter or a start script, such as `ENTRYPOINT ["aws"]` or `CMD ["htop"]`. Such images run once, as whoever starts them chooses
 * (`docker run --user`), not as a deployed service.
 */
export function isToolImage(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image || announcesService(image.all)) return false;
  const { chain, entrypoint, cmd } = image;
  let started = entrypoint && startedProgram(model, entrypoint);
  // An entrypoint script hands over to the command: `entrypoint.sh` then `CMD ["ykman", "--help"]`.
  if (!started || /^(docker-)?entrypoint(\.sh)?$/.test(started.program))
    started = cmd && startedProgram(model, cmd);
  if (
    !started ||
    started.program.startsWith('-') ||
    started.script ||
    /(server|daemon)$/.test(started.program)
  )
    return false;
  // A program the Dockerfile copies in is its application, unless all it does by default is
  // print its usage (`ENTRYPOINT ["packer"]` with `CMD ["--help"]`).
  const usageOnly =
    !!cmd && /^\[?\s*"?(--help|-h|help)"?\s*\]?$/.test((cmd.getArgumentsContent() ?? '').trim());
  if (!usageOnly && copiesProgram(chain, started.program)) return false;
  // Databases and servers started with their own program (`redis-server`, `mongod`) serve.
  const root = model.finalStage && model.rootImage(model.finalStage)?.reference;
  if (databaseOf(root) || dropsPrivilegesItself(root)) return false;
  return !runsSomethingElse.has(started.program) && !/\.(sh|py|rb|js|pl)$|^(start|run)/.test(started.program);
}

/** Servers that start as root on purpose and hand their work to an unprivileged user themselves. */
const dropsPrivileges = new Set([
  'nginx',
  'openresty',
  'httpd',
  'apache2',
  'apache2-foreground',
  'sshd',
  'postfix',
  'dovecot',
  'haproxy',
  'php-fpm',
  'unitd',
  'named',
  'dnsmasq',
]);

/**
 * Process supervisors (runit, s6, supervisord, and wrappers named after them): they must start as
 * root to run each service under its own user, which their service definitions choose.
 */
const processSupervisor = /^(runit|runsvdir|s6-svscan|supervisord)([_-]|$)/;

/** Interpreters and runners that start an application given as a file (`python app.py`, `java -jar app.jar`). */
const appRunners = new Set([
  'node',
  'python',
  'python2',
  'python3',
  'java',
  'dotnet',
  'ruby',
  'php',
  'perl',
  'deno',
  'bun',
]);

/**
 * Whether the final image shows that it runs a long-lived service or an application's code:
 * a port, a health check, a server program, or a runtime started on the application's files.
 * An image that shows none (a tool, a desktop program, a one-off job) has nobody to protect
 * from itself by default, and the user it runs as is chosen by whoever starts it.
 * `false` also for servers that drop privileges by themselves (nginx, sshd, postfix).
 */
export function runsAService(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image) return false;
  const { chain, all, entrypoint, cmd } = image;
  const programs = [entrypoint, cmd]
    .map((i) => i && startedProgram(model, i))
    .filter((p): p is NonNullable<typeof p> => !!p);
  if (programs.some((p) => dropsPrivileges.has(p.program) || processSupervisor.test(p.program))) return false;
  // By default it prints its usage (`ENTRYPOINT ["packer"]` with `CMD ["--help"]`): a tool.
  const usage = /^\[?\s*("?[\w./-]+"?\s*,\s*)?"?(--help|-h|help|--version)"?\s*\]?$/;
  if (cmd && usage.test((cmd.getArgumentsContent() ?? '').trim())) return false;
  if (all.some((i) => i.getKeyword() === 'EXPOSE' || i.getKeyword() === 'HEALTHCHECK')) return true;
  return programs.some((p) =>
    runsSomethingElse.has(p.program) && !interactiveDefaults.has(p.program)
      ? true
      : (appRunners.has(trimTrailing(p.program, '0123456789.')) && p.script) ||
        /server|daemon/i.test(p.program) ||
        // The application's own program, copied in or built in an earlier stage.
        (!interactiveDefaults.has(p.program) && copiesProgram(chain, p.program, p.path)),
  );
}

/** AWS Lambda's base images: Lambda runs the function as its own unprivileged user. */
export function isLambdaImage(model: DockerfileModel): boolean {
  const final = model.finalStage;
  if (!final) return false;
  const name = model.rootImage(final)?.reference?.name ?? '';
  if (/^(public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-|lambda\/)/.test(name)) return true;
  // Any base with the runtime interface client as its entry point is a Lambda image too.
  const entrypoint = model.chainInstructions(final, 'ENTRYPOINT').at(-1);
  return !!entrypoint && /awslambdaric|aws-lambda-ric/.test(entrypoint.getArgumentsContent() ?? '');
}

/** A WebAssembly image (`FROM --platform=wasi/wasm scratch`, or an entry point that is a .wasm module). */
export function isWasmImage(model: DockerfileModel): boolean {
  const final = model.finalStage;
  if (!final) return false;
  const root = model.chainOf(final).at(-1);
  const platform = root?.from.getPlatformFlag()?.getValue() ?? '';
  if (/wasm|wasi/i.test(platform)) return true;
  const entrypoint = model.chainInstructions(final, 'ENTRYPOINT').at(-1);
  return !!entrypoint && /\.wasm["'\s\]]*$/.test((entrypoint.getArgumentsContent() ?? '').trim());
}

/** The image's distribution family, from its base and the package manager its RUNs use. */
export type Distribution = 'debian' | 'alpine' | 'rhel' | 'rhel-minimal' | 'busybox' | 'unknown';

const debianImages = new Set([
  'debian',
  'ubuntu',
  'node',
  'python',
  'ruby',
  'perl',
  'php',
  'golang',
  'rust',
  'openjdk',
  'eclipse-temurin',
  'maven',
  'gradle',
  'buildpack-deps',
  'elixir',
  'erlang',
  'haskell',
  'julia',
  'r-base',
  'swift',
  'gcc',
  'nginx',
  'httpd',
  'mcr.microsoft.com/dotnet/sdk',
  'mcr.microsoft.com/dotnet/aspnet',
  'mcr.microsoft.com/dotnet/runtime',
  'mcr.microsoft.com/dotnet/runtime-deps',
]);

/**
 * Which distribution an image is built on: what decides how a user is created (`useradd` from
 * shadow-utils or passwd, BusyBox's `adduser`, or neither on minimal images).
 */
export function distributionOf(model: DockerfileModel, stage: Stage): Distribution {
  const reference: ImageReference | undefined = model.rootImage(stage)?.reference;
  const tag = reference?.tag ?? '';
  if (reference) {
    const { name, repository } = reference;
    if (/^(public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-)/.test(name)) return 'rhel-minimal';
    if (repository === 'busybox') return 'busybox';
    if (repository === 'alpine' || /alpine/.test(tag)) return 'alpine';
    if (/minimal|micro/.test(tag) || /ubi\d*-(minimal|micro)$/.test(name)) return 'rhel-minimal';
    if (['amazonlinux', 'fedora', 'centos', 'rockylinux', 'almalinux', 'oraclelinux'].includes(repository))
      return 'rhel';
    if (/^(registry\.access\.redhat\.com|registry\.redhat\.io)\/ubi\d*(\/ubi)?$/.test(name)) return 'rhel';
    if (debianImages.has(name) || debianImages.has(repository)) return 'debian';
  }
  // A base this project does not know: the package manager its RUNs call tells the family.
  for (const run of model.chainInstructions(stage, 'RUN')) {
    for (const { command } of model.commands(run)) {
      const program = command.words[0]?.value?.replace(/^.*\//, '');
      if (program === 'apt-get' || program === 'apt') return 'debian';
      if (program === 'apk') return 'alpine';
      if (program === 'microdnf') return 'rhel-minimal';
      if (program === 'yum' || program === 'dnf') return 'rhel';
    }
  }
  return 'unknown';
}

/**
 * An image built to run tests (in a `test/`, `tests/`, `e2e/` or `spec/` folder, or named
 * `Dockerfile.test`, `test.Dockerfile`, `Dockerfile.e2e`…): CI runs it once and throws it away.
 */
export function isTestImage(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1] ?? '';
  return (
    parts.slice(-3, -1).some((folder) => /^(tests?|e2e|spec|integration-tests?)$/i.test(folder)) ||
    /^Dockerfile[.-](tests?|e2e|ci|spec)$/i.test(name) ||
    /^(tests?|e2e|ci|spec)[.-]Dockerfile$/i.test(name)
  );
}

/**
 * An image built to debug or develop the app on a developer's machine (`Dockerfile.debug`,
 * `Dockerfile.dev`, `debug.Dockerfile`, a `debug/` folder): it is never what ships.
 */
export function isDebugImage(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1] ?? '';
  return (
    parts.slice(-3, -1).some((folder) => /^(debug|dev)$/i.test(folder)) ||
    /^Dockerfile[.-](debug|dev|devel|development|local)$/i.test(name) ||
    /^(debug|dev|devel|development|local)[.-]Dockerfile$/i.test(name)
  );
}

/** A test, debug or development image: run once or on a developer's machine, never shipped. */
export function isThrowawayImage(path: string): boolean {
  return isTestImage(path) || isDebugImage(path);
}

/**
 * Programs that take over a terminal (editors, monitors, mail and chat clients, console UIs):
 * an image that starts one is used with `docker run -it` by the person at the keyboard.
 */
const terminalPrograms = new Set([
  'vi',
  'vim',
  'nvim',
  'nano',
  'micro',
  'emacs',
  'hx',
  'kak',
  'htop',
  'btop',
  'top',
  'glances',
  'ncdu',
  'ctop',
  'ranger',
  'nnn',
  'mc',
  'tmux',
  'screen',
  'mutt',
  'neomutt',
  'aerc',
  'irssi',
  'weechat',
  'lynx',
  'w3m',
  'cmus',
  'newsboat',
  'tig',
  'lazygit',
  'lazydocker',
  'k9s',
  'mitmproxy',
]);

/**
 * More programs that take over the terminal (file managers, monitors, chat and mail clients,
 * players, games), counted only in images that expose no port and have no health check: a
 * name like `pop` or `lf` could also be a server's, and a server announces itself.
 */
const terminalOnlyPrograms = new Set([
  'pop',
  'glow',
  'gitui',
  'lf',
  'yazi',
  'broot',
  'gdu',
  'btm',
  'bpytop',
  'bashtop',
  'zellij',
  'gomuks',
  'senpai',
  'profanity',
  'finch',
  'calcurse',
  'ncmpc',
  'ncmpcpp',
  'cava',
  'nethack',
  'cmatrix',
  'alsamixer',
  'pulsemixer',
  'nmtui',
  'iftop',
  'nload',
  'bmon',
  'iotop',
  'atop',
  'nvtop',
  'visidata',
  'vd',
  'mop',
]);

/** The `docker run` command lines that the Dockerfile's comments show, continuation lines joined. */
export function documentedRunLines(model: DockerfileModel): string[] {
  const comments = model.dockerfile.getComments().map((c) => c.getContent() ?? '');
  const lines: string[] = [];
  let current: string | undefined;
  for (const comment of comments) {
    if (current !== undefined) current += ` ${comment}`;
    else if (/\bdocker\s+run\b/.test(comment)) current = comment.slice(comment.search(/\bdocker\s+run\b/));
    else continue;
    if (!/\\\s*$/.test(comment)) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) lines.push(current);
  return lines;
}

/** A `docker run` line with a terminal and standard input attached (`-it`), not detached (`-d`). */
function runsAttached(line: string): boolean {
  const long = (name: string) => new RegExp(`\\s--${name}(=true)?(?=\\s|$)`).test(line);
  // Short options only, in clusters (`-it`, `-dit`); long ones and their values are set aside.
  const clusters = line
    .replace(/\s--[\w-]+(=\S*)?/g, ' ')
    .split(/\s+/)
    .filter((w) => /^-[a-zA-Z]+$/.test(w));
  const has = (letter: string) => clusters.some((c) => c.includes(letter));
  return (has('i') || long('interactive')) && (has('t') || long('tty')) && !has('d') && !long('detach');
}

/**
 * An image of a tool that a person runs in their terminal: its comments document a `docker run`
 * with `-it` (`-ti`, `-i -t`, `--interactive --tty`) and not detached (`-d`), or it starts a
 * program that takes over the terminal (an editor, `htop`, `mutt`, the `mitmproxy` console).
 * It runs on that person's machine, as they choose, while they watch: not a deployed service.
 */
export function isInteractiveTool(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image) return false;
  const documented = documentedRunLines(model);
  if (documented.length > 0 && documented.every(runsAttached)) return true;
  const { entrypoint, cmd } = image;
  let started = entrypoint && startedProgram(model, entrypoint);
  if (!started || /^(docker-)?entrypoint(\.sh)?$/.test(started.program))
    started = cmd && startedProgram(model, cmd);
  if (!started) return false;
  if (terminalPrograms.has(started.program)) return true;
  // These also name nothing that serves: but an image of one that opens a port is taken to serve.
  return terminalOnlyPrograms.has(started.program) && !announcesService(image.all);
}

/** Verbs that name one task done and finished (`reset-cache.py`, `backup_db.sh`, `send-report`). */
const taskVerbs =
  /^(reset|clear|clean|cleanup|purge|flush|invalidate|backup|restore|migrate|seed|send|sync|import|export|dump|generate|convert|renew|rotate|prune)([-_.]|$)/i;

/**
 * A verb and its object written as one word (`sendemail`, `backupdb`, `cleancache`): one task too.
 * `mail` alone is not an object here: `sendmail` is a mail server.
 */
const taskCompounds =
  /^(send|backup|clean|purge|flush|sync|dump|export|import|migrate|rotate|renew|generate|prune)(emails?|reports?|db|database|data|cache|files|logs|backups|images|assets|index|certs|keys|users|schema|tables|notifications?|messages|sms)([-_.]|$)/i;

/**
 * An image that runs one task and exits: what it starts (or the script its interpreter is given)
 * is named for a single action, such as `CMD ["python", "/bin/reset-cache.py"]` or
 * `ENTRYPOINT ["sendemail"]`. Whoever runs it,
 * by hand or from a scheduler, chooses how.
 */
export function isOneOffTask(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image || announcesService(image.all)) return false;
  const { entrypoint, cmd } = image;
  const start = entrypoint ?? cmd;
  if (!start) return false;
  const exec = model.execForm(start);
  const words = exec ? exec.map((a) => a.value) : (start.getArgumentsContent() ?? '').trim().split(/\s+/);
  const named = (word: string | undefined) => {
    const name = word?.slice(word.lastIndexOf('/') + 1) ?? '';
    return taskVerbs.test(name) || taskCompounds.test(name);
  };
  const program = words[0]?.slice(words[0].lastIndexOf('/') + 1).toLowerCase() ?? '';
  if (appRunners.has(trimTrailing(program, '0123456789.')))
    return named(words.slice(1).find((w) => !w.startsWith('-')));
  return named(words[0]);
}

/** Options of curl and wget that name the file they write. */
const downloadOutput = new Set(['-o', '-O', '--output', '--output-document']);

/** Whether a RUN of the chain downloads a file to `path` with curl or wget (`curl -sSL … -o /opt/sim.jar`). */
function downloads(model: DockerfileModel, chain: Stage[], path: string): boolean {
  return chain.some((stage) =>
    stage.instructions.some((i) => {
      if (i.getKeyword() !== 'RUN') return false;
      const text = i.getTextContent();
      if (!/\b(curl|wget)\b/.test(text)) return false;
      const words = text.split(/\s+/).map((w) => w.replace(/^["']|["';]$/g, ''));
      return words.some(
        (word, at) =>
          (downloadOutput.has(word) && words[at + 1] === path) ||
          word === `--output=${path}` ||
          word === `--output-document=${path}`,
      );
    }),
  );
}

/**
 * An image that downloads a ready-made program and starts it, and does nothing else a service
 * would: `RUN curl -sSL … -o /opt/sim.jar` then `ENTRYPOINT ["java", "-jar", "/opt/sim.jar"]`. It
 * copies nothing of its own from the build context, exposes no port, has no health check, and
 * neither the program nor its arguments name a server, an agent, an exporter or a port. A
 * packaged third-party tool: whoever runs it chooses the user.
 */
export function runsDownloadedTool(model: DockerfileModel): boolean {
  const image = finalImage(model);
  if (!image || announcesService(image.all) || copiesApplication(image.chain)) return false;
  const start = image.entrypoint ?? image.cmd;
  if (!start) return false;
  const exec = model.execForm(start);
  const words = exec ? exec.map((a) => a.value) : (start.getArgumentsContent() ?? '').trim().split(/\s+/);
  const program = words[0]?.slice(words[0].lastIndexOf('/') + 1).toLowerCase() ?? '';
  const target = appRunners.has(trimTrailing(program, '0123456789.'))
    ? words.slice(1).find((w) => !w.startsWith('-'))
    : words[0];
  if (!target || !target.startsWith('/')) return false;
  const serving =
    /serve|daemon|proxy|gateway|listen|port|exporter|agent|operator|controller|worker|relay|bot|web|http|api/i;
  if (words.some((w) => serving.test(w) || /^\d{2,5}$|:\d{2,5}$/.test(w))) return false;
  return downloads(model, image.chain, target);
}

/** The Dockerfile's comments, one by one, with statements of intent set aside (`TODO`, `should`, `not`). */
function statedComments(model: DockerfileModel): string[] {
  return model.dockerfile
    .getComments()
    .map((c) => c.getContent() ?? '')
    .filter(
      (c) =>
        !/\b(todo|fixme|xxx|should|could|would|might|not|never|don't|doesn't|cannot|can't|instead)\b/i.test(
          c,
        ),
    );
}

/**
 * Whether the Dockerfile's comments say, as a fact, that the container's start hands over to
 * another user: "starts the editor as that user", "drops root privileges", "switches to an
 * unprivileged user". Only used when the start script they describe is not in the workspace.
 */
export function commentsStateHandOver(model: DockerfileModel): boolean {
  return statedComments(model).some(
    (comment) =>
      /\b(starts?|runs?|launch(es)?|execs?)\b[^.\n]{0,80}?\bas (that|this|the new|a new|the created|the unprivileged|an unprivileged|a non-root|the non-root) user\b/i.test(
        comment,
      ) ||
      /\bdrops? (its |the )?(root )?privileges\b/i.test(comment) ||
      /\b(switch(es)?|hands? over) to (an?|the) (unprivileged|non-root) user\b/i.test(comment),
  );
}

/**
 * Whether every `docker run` line the Dockerfile's comments show chooses the user itself
 * (`--user`, `-u`) or gives the container privileges that only root can use (`--privileged`,
 * `--cap-add`): a virtual machine host started with `--privileged` needs root inside; one
 * started with `--user 1000` does not run as root whatever the image says.
 */
export function documentedRunDecidesUser(model: DockerfileModel): boolean {
  const documented = documentedRunLines(model);
  return (
    documented.length > 0 &&
    documented.every((line) => /\s(--privileged|--cap-add|--user)(?=[\s=]|$)|\s-u[ =]?[\w$]/.test(line))
  );
}

/**
 * Whether the Dockerfile's comments say the container is given the host's `/etc/shadow` (a
 * screen locker or a login checking passwords: "started with bind-mounts: /etc/passwd,
 * /etc/shadow", `-v /etc/shadow:/etc/shadow:ro`). Only root can read that file, so the image
 * needs root.
 */
export function commentsStateRootNeeded(model: DockerfileModel): boolean {
  const text = statedComments(model).join('\n');
  for (let at = text.indexOf('/etc/shadow'); at !== -1; at = text.indexOf('/etc/shadow', at + 1)) {
    const before = text.slice(Math.max(0, at - 200), at);
    if (/\bmount/i.test(before) || /(^|\s)(-v|--volume)[ =]$/.test(before)) return true;
  }
  return false;
}
