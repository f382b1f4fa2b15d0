import { removeInstructionEdit } from '../../engine/docker/edits';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { defineRule } from '../../engine/rule';

/**
 * Settings that confine SSH logins to one service, so that SSH is the protocol the image serves
 * rather than a shell into the container: a git server's `git-shell`, an SFTP server's
 * `internal-sftp` or `ChrootDirectory`, a `ForceCommand`.
 */
const confinedLogin = /\bgit-shell\b|\binternal-sftp\b|\bForceCommand\b|\bChrootDirectory\b/;

/** Whether the final image's RUNs confine SSH logins to a service (git over SSH, SFTP). */
function servesOverSsh(model: DockerfileModel): boolean {
  return model.finalChain.some((stage) =>
    stage.instructions.some(
      (i) => i.getKeyword() === 'RUN' && confinedLogin.test(i.getArgumentsContent() ?? ''),
    ),
  );
}

/** Packages that put an SSH daemon in the image, per package manager. */
const sshServers: Record<string, Set<string>> = {
  apt: new Set(['openssh-server', 'dropbear', 'dropbear-bin', 'ssh']),
  apk: new Set(['openssh', 'openssh-server', 'openssh-server-pam', 'dropbear']),
  yum: new Set(['openssh-server']),
  zypper: new Set(['openssh-server', 'openssh']),
  pacman: new Set(['openssh']),
};

export default defineRule({
  id: 'private-network/ssh-exposed',
  lesson: 'private-network',
  title: 'SSH in a container image',
  severity: 'warning',
  equivalents: ['CKV_DOCKER_1'],
  fix: 'safe',
  messages: {
    exposed:
      'The image exposes port 22: an SSH server in a container is a way in that bypasses your deployments.',
    server: '{{package}} puts an SSH server in the image: containers are replaced, not logged into.',
    metapackage:
      'ssh is a metapackage that also installs openssh-server, an SSH server in the image: install openssh-client if only the client is needed.',
  },
  docs: {
    what:
      "`EXPOSE 22` in the final image, and a `RUN` that installs an SSH server (`openssh-server`, Alpine's `openssh`, `dropbear`, Debian's `ssh` metapackage) in a stage the final image is built on. " +
      'Not flagged: images whose RUNs confine SSH logins to one service (a git server whose users have `git-shell`, an SFTP server with `internal-sftp` or `ChrootDirectory`, a `ForceCommand`): there SSH is the protocol the image serves, not a way into the container.',
    why:
      'An SSH daemon in a container is a second way in, with its own keys or passwords to leak and its own vulnerabilities to patch, and it invites fixing things by hand inside a running container, which the next deployment silently undoes. ' +
      'Containers are replaced, not logged into: use `docker exec` or `kubectl exec` (or ECS Exec) for the rare look inside, and ship changes as a new image.',
    example: {
      language: 'dockerfile',
      code: `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y openssh-server
EXPOSE 22 8080
CMD ["/usr/sbin/sshd", "-D"]`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM ubuntu:24.04
EXPOSE 8080
CMD ["/app/server"]
# to look inside a running container: docker exec -it <container> sh`,
    },
    references: [
      {
        title: 'Amazon ECS Exec: run commands in a container without SSH',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html',
      },
    ],
    fix: 'Removes port 22 from `EXPOSE` (the whole line when it is the only port). Removing the SSH server is left to you, because later lines usually configure and start it.',
  },
  checks: {
    docker({ model, target, report }) {
      if (servesOverSsh(model)) return;
      for (const stage of model.finalChain) {
        for (const instruction of stage.instructions) {
          const keyword = instruction.getKeyword();
          if (keyword === 'EXPOSE') {
            const ports = instruction.getArguments();
            for (const [index, port] of ports.entries()) {
              if (!/^22(\/tcp)?$/i.test(port.getValue())) continue;
              report({
                at: model.span(port.getRange()),
                messageId: 'exposed',
                fix: () => {
                  if (ports.length === 1) {
                    return {
                      title: 'Remove EXPOSE 22',
                      edits: [removeInstructionEdit(model, instruction, target.lines)],
                    };
                  }
                  // Take the port with the space before it (or after it, when it comes first).
                  const own = model.span(port.getRange());
                  const neighbour =
                    index > 0 ? model.span(ports[index - 1].getRange()) : model.span(ports[1].getRange());
                  const edit =
                    index > 0
                      ? { start: neighbour.end, end: own.end, text: '' }
                      : { start: own.start, end: neighbour.start, text: '' };
                  return { title: 'Remove port 22 from EXPOSE', edits: [edit] };
                },
              });
            }
          } else if (keyword === 'RUN') {
            for (const { command } of model.commands(instruction)) {
              const packages = packageCommand(command);
              const installed = packages && installedPackages(packages);
              const servers = packages && sshServers[packages.manager];
              if (!installed || !servers) continue;
              for (const word of installed) {
                const name = word.value?.replace(/[=~<>].*$/, '');
                if (!name || !servers.has(name)) continue;
                const messageId = name === 'ssh' && packages.manager === 'apt' ? 'metapackage' : 'server';
                report({ at: word.span, messageId, data: { package: name } });
              }
            }
          }
        }
      }
    },
  },
});
