import { dirname, isAbsolute, join } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { dropsPrivilegesItself, runsUnprivilegedByDefault } from './images';
import type { DockerfileModel, Stage } from '../parse/dockerfile';
import { commandName } from '../parse/shell';
import { installedPackages, packageCommand } from './packages';
import { commentsStateHandOver } from './purpose';
import type { WorkspaceView } from '../workspace';

/** Who a stage's commands run as at some point of the Dockerfile. */
export type EffectiveUser =
  | { kind: 'non-root'; name: string }
  | { kind: 'unknown' }
  | { kind: 'root-explicit'; instruction: Instruction }
  | { kind: 'root-default' };

const rootNames = /^(root|0)(:(root|0))?$/;

export function isRootUser(value: string): boolean {
  return rootNames.test(value.trim());
}

/**
 * The user in effect just before `before` in `stage` (at the stage's end when omitted): the
 * last USER, else what the stage inherits from the stage or image it is built on.
 */
export function effectiveUser(model: DockerfileModel, stage: Stage, before?: Instruction): EffectiveUser {
  for (const s of model.chainOf(stage)) {
    const limit = s === stage && before ? model.positionOf(before) : s.instructions.length;
    for (let i = limit - 1; i >= 0; i--) {
      const instruction = s.instructions[i];
      if (instruction.getKeyword() !== 'USER') continue;
      const value = (instruction.getArgumentsContent() ?? '').trim();
      if (value.includes('$')) return { kind: 'unknown' };
      return isRootUser(value) ? { kind: 'root-explicit', instruction } : { kind: 'non-root', name: value };
    }
  }
  const root = model.rootImage(stage);
  if (!root) {
    // `FROM scratch` runs as root; a base named by an ARG without default is unknowable.
    const chain = model.chainOf(stage);
    return chain[chain.length - 1].from.getImage()?.toLowerCase() === 'scratch'
      ? { kind: 'root-default' }
      : { kind: 'unknown' };
  }
  if (root.resolved === undefined) return { kind: 'unknown' };
  if (root.resolved.toLowerCase() === 'scratch') return { kind: 'root-default' };
  if (runsUnprivilegedByDefault(root.resolved.toLowerCase(), root.reference)) {
    return { kind: 'non-root', name: '(the image’s own user)' };
  }
  // The image's entrypoint (or its worker processes) switch user, unless the Dockerfile replaces it.
  if (dropsPrivilegesItself(root.reference) && model.chainInstructions(stage, 'ENTRYPOINT').length === 0) {
    return { kind: 'unknown' };
  }
  return { kind: 'root-default' };
}

/** A user that a RUN of the stage's chain creates (`useradd … app`, `adduser -S app`). */
export function createdUser(model: DockerfileModel, stage: Stage): string | undefined {
  for (const s of model.chainOf(stage)) {
    for (const run of s.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      for (const { command } of model.commands(run)) {
        const name = commandName(command);
        if (name !== 'useradd' && name !== 'adduser') continue;
        const last = command.words[command.words.length - 1];
        const value = last?.value;
        // The login name is the last operand (`adduser -S -G app app`, `useradd -r -u 1001 svc`).
        if (command.words.length > 1 && value && /^[a-z_][a-z0-9_-]*$/.test(value)) return value;
      }
    }
  }
  return undefined;
}

/** A command that starts the rest of the command line as another user. */
const privilegeDrop =
  /(^|[\s;&|(])(exec\s+)?(gosu|su-exec|s6-setuidgid|setuidgid)\s+[^\s-]|\bsetpriv\b[^\n]*--reuid|\bchpst\b[^\n]*\s-u\s*\S|\brunuser\b[^\n]*\s-u\s*\S|(^|[\s;&|])su\b[^\n]*\s-c\b/m;

/**
 * `sudo -u app …` (not `-u root`), and daemons started with the flag that makes them switch to
 * their own user once they have bound their ports: `slapd -u openldap`, `named -u bind`,
 * `dnsmasq --user=dnsmasq`, `memcached -u memcache`, `openvpn --user nobody`.
 */
const userFlagHandOver =
  /\bsudo\b[^\n]*\s(-u|--user)[ =]?(?!root\b|0\b)[\w$]|\b(slapd|named|dnsmasq|memcached|chronyd|ntpd|openvpn|privoxy|pdns_server)\b[^\n]*\s(-u|--user|--setuid)[ =]?(?!root\b|0\b)[\w$]/m;

/**
 * Packages of those daemons that an image installs only to run them: when the start script
 * cannot be read, an image that installs one is taken to start it with its user, as the
 * packages' own service scripts do (Debian's slapd runs as `openldap`). Not dnsmasq or bind:
 * images install them as helpers of another program (libvirt starts its own dnsmasq).
 */
const handingOverDaemons = new Set(['slapd', 'openldap', 'openldap-servers', 'memcached']);

/**
 * Daemons that switch to their own user by themselves when started as root (distccd to
 * `distcc`), or a start script named after one (`distccd-init`).
 */
const selfDroppingDaemon = /(^|[\s/;&|])distccd([\s-]|$)/m;

function handsOver(text: string): boolean {
  return privilegeDrop.test(text) || userFlagHandOver.test(text) || selfDroppingDaemon.test(text);
}

/** The program a start instruction runs, as written (`/usr/local/bin/entrypoint.sh`), and its line. */
function startLine(model: DockerfileModel, instruction: Instruction): { program: string; line: string } {
  const exec = model.execForm(instruction);
  const words = exec
    ? exec.map((a) => a.value)
    : (instruction.getArgumentsContent() ?? '').trim().split(/\s+/);
  return { program: words[0] ?? '', line: words.join(' ') };
}

/**
 * The file of the build context that a COPY or ADD of the chain puts at `path` (a script the
 * image starts), relative to the context; undefined when none does (or it comes from a stage).
 */
function copiedFrom(model: DockerfileModel, stage: Stage, path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (const s of model.chainOf(stage)) {
    for (const instruction of s.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      if (/(^|\s)--from[= ]/.test(instruction.getArgumentsContent() ?? '')) continue;
      const words = instruction
        .getArguments()
        .map((a) => a.getValue().replace(/^\[?"?|"?,?\]?$/g, ''))
        .filter((w) => !w.startsWith('--'));
      const destination = words[words.length - 1] ?? '';
      for (const source of words.slice(0, -1)) {
        const sourceName = source.slice(source.lastIndexOf('/') + 1);
        const written = destination.endsWith('/') ? `${destination}${sourceName}` : destination;
        // A bare name is found on PATH: any destination with that name may be it.
        const same = path.includes('/')
          ? written === path
          : written.slice(written.lastIndexOf('/') + 1) === name;
        if (same) return source.replace(/^\.\//, '');
      }
    }
  }
  return undefined;
}

/**
 * Whether the image starts as root only to hand over to another user: its ENTRYPOINT or CMD runs
 * `gosu`, `su-exec`, `setpriv --reuid`, `chpst -u`, `runuser -u`, `s6-setuidgid`, `sudo -u` or a
 * daemon with its user flag (`slapd -u openldap`), or an entrypoint script of the build context
 * does. When that script cannot be read, an image that installs gosu or su-exec (they serve no
 * other purpose) or one of those daemons, that creates a user it never switches to with USER, or
 * whose comments say the start hands over ("start it as that user"), is taken to hand over in its
 * script, as the official database images do.
 */
export function dropsPrivilegesAtStart(
  model: DockerfileModel,
  stage: Stage,
  path: string,
  workspace: WorkspaceView,
): boolean {
  const starts = ['ENTRYPOINT', 'CMD']
    .map((keyword) => model.chainInstructions(stage, keyword).at(-1))
    .filter((i): i is Instruction => !!i)
    .map((i) => startLine(model, i));
  if (starts.some((s) => handsOver(s.line))) return true;
  const script = starts.find((s) => s.program && !/^(sh|bash|ash|dash)$/.test(s.program))?.program;
  if (!script) return false;
  const source = copiedFrom(model, stage, script);
  if (source === undefined) return false;
  const text = isAbsolute(path) ? workspace.read(join(dirname(path), source)) : undefined;
  if (text !== undefined) return handsOver(text);
  const runs = model
    .chainInstructions(stage, 'RUN')
    .map((i) => i.getTextContent())
    .join('\n');
  if (/(^|[^\w-])(gosu|su-exec)([^\w-]|$)/.test(runs)) return true;
  if (installsHandingOverDaemon(model, stage)) return true;
  // The Dockerfile's comments describe what the unread script does ("starts the editor as that user").
  if (commentsStateHandOver(model)) return true;
  return createdUser(model, stage) !== undefined && model.chainInstructions(stage, 'USER').length === 0;
}

/** Whether a RUN of the chain installs a daemon that its start script hands over with a user flag. */
function installsHandingOverDaemon(model: DockerfileModel, stage: Stage): boolean {
  return model.chainInstructions(stage, 'RUN').some((run) =>
    model.commands(run).some(({ command }) => {
      const packages = packageCommand(command);
      const installed = packages && installedPackages(packages);
      return !!installed?.some((word) => handingOverDaemons.has(word.value ?? ''));
    }),
  );
}
