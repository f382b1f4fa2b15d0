import { property, type Resource } from '../../engine/parse/cloudformation';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand, type ShellWord } from '../../engine/parse/shell';
import { asMap, get, type DataNode, type ScalarNode } from '../../engine/parse/tree';
import { defineRule, type ReportedFinding } from '../../engine/rule';
import type { Span } from '../../engine/text';

/** sshd settings that let people log in with a password (as root, for the second). */
const sshdSettings = /\b(PasswordAuthentication|PermitRootLogin)[ \t]*[ \t=][ \t]*["']?yes\b/gi;

/**
 * Where `text` switches password logins on: `PasswordAuthentication yes` written to sshd's
 * configuration, but not as the text a `sed s/…/…/` replaces (that is switching it off).
 */
function sshdPasswordSettings(text: string): { span: Span; setting: string }[] {
  const patterns: Span[] = [];
  for (const m of text.matchAll(/(?:^|[\s'";])s([/|#,@:])((?:\\.|(?!\1)[^\n])*)\1/g)) {
    const start = (m.index ?? 0) + m[0].length - m[2].length - 1;
    patterns.push({ start, end: start + m[2].length });
  }
  const found: { span: Span; setting: string }[] = [];
  for (const m of text.matchAll(sshdSettings)) {
    const start = m.index ?? 0;
    if (patterns.some((p) => p.start <= start && start < p.end)) continue;
    found.push({ span: { start, end: start + m[0].length }, setting: m[1] });
  }
  return found;
}

/** The text of a word as written in the document, when its characters map one to one. */
function wordOffsets(word: ShellWord, text: string): string | undefined {
  const raw = text.slice(word.span.start, word.span.end);
  return raw === word.raw ? raw : undefined;
}

const messages = {
  chpasswd:
    'chpasswd gives an account a password in the image: anyone who reads the Dockerfile or the image has it.',
  passwordOption: '{{command}} {{option}} sets a password baked into the image.',
  sshdRootLogin:
    'sshd is configured to let root log in: use keys for an unprivileged user, or no SSH at all in a container.',
  sshdPasswords:
    'sshd is configured to accept passwords: passwords can be guessed and shared; use keys, or no SSH at all in a container.',
  consolePassword:
    'IAM user {{id}} gets a console password: sign people in through IAM Identity Center or a federated role instead.',
  userDataSshd:
    'The user data of {{id}} configures sshd with {{setting}} yes: use SSH keys or Session Manager instead of passwords.',
  userDataChpasswd:
    'The user data of {{id}} sets an account password with chpasswd: use SSH keys or Session Manager instead.',
};

/** A finding of this rule, with one of its message ids. */
type Finding = ReportedFinding<keyof typeof messages>;

function dockerFindings(model: DockerfileModel, text: string): Finding[] {
  const found: Finding[] = [];
  for (const stage of model.finalChain) {
    for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      for (const { command } of model.commands(run)) {
        const { words } = effectiveCommand(command);
        const name = commandName({ words });
        if (name === 'chpasswd' || name === 'chpass') {
          found.push({ at: words[0].span, messageId: 'chpasswd' });
          continue;
        }
        if (name === 'useradd' || name === 'usermod' || name === 'adduser') {
          const option = words.find((w) => /^(-p|--password)(=|$)/.test(w.value ?? ''));
          if (option) {
            found.push({
              at: option.span,
              messageId: 'passwordOption',
              data: { command: name, option: option.value ?? '' },
            });
            continue;
          }
        }
        // `echo "PasswordAuthentication yes" >> /etc/ssh/sshd_config`, `sed -i 's/…/PasswordAuthentication yes/'`.
        const candidates = [
          ...words.slice(1),
          ...command.redirects.map((r) => r.heredoc).filter((h): h is ShellWord => !!h),
        ];
        for (const word of candidates) {
          const raw = wordOffsets(word, text);
          if (!raw) continue;
          for (const { span, setting } of sshdPasswordSettings(raw)) {
            found.push({
              at: { start: word.span.start + span.start, end: word.span.start + span.end },
              messageId: setting.toLowerCase() === 'permitrootlogin' ? 'sshdRootLogin' : 'sshdPasswords',
            });
          }
        }
      }
    }
  }
  return found;
}

/** Every string scalar under a node (UserData is often a Join or Sub of many pieces). */
function scalarsUnder(node: DataNode | undefined, out: ScalarNode[] = [], depth = 0): ScalarNode[] {
  if (!node || depth > 20) return out;
  if (node.type === 'scalar') {
    if (typeof node.value === 'string') out.push(node);
  } else if (node.type === 'map') {
    for (const pair of node.pairs) scalarsUnder(pair.value, out, depth + 1);
  } else if (node.type === 'seq') {
    for (const item of node.items) scalarsUnder(item, out, depth + 1);
  }
  return out;
}

function userDataOf(resources: readonly Resource[]): { resource: Resource; node: DataNode }[] {
  const found: { resource: Resource; node: DataNode }[] = [];
  for (const resource of resources) {
    let node: DataNode | undefined;
    if (resource.type === 'AWS::EC2::Instance' || resource.type === 'AWS::AutoScaling::LaunchConfiguration') {
      node = property(resource, 'UserData')?.value;
    } else if (resource.type === 'AWS::EC2::LaunchTemplate') {
      node = get(get(resource.properties, 'LaunchTemplateData'), 'UserData');
    }
    if (node) found.push({ resource, node });
  }
  return found;
}

export default defineRule({
  id: 'least-privilege/password-login',
  lesson: 'least-privilege',
  title: 'Password logins instead of keys',
  severity: 'warning',
  equivalents: ['CKV2_DOCKER_17'],
  fix: 'no',
  resourceTypes: [
    'AWS::IAM::User',
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::AutoScaling::LaunchConfiguration',
  ],
  messages,
  docs: {
    what:
      'An IAM user with a `LoginProfile` (a console password); EC2 user data, or a `RUN` of the final image, that sets account passwords (`chpasswd`, `useradd -p`) ' +
      'or configures sshd with `PasswordAuthentication yes` or `PermitRootLogin yes` (a `sed` that switches them off is not flagged).',
    why:
      'A password can be guessed, phished, reused elsewhere and passed around a team, and it stays valid until someone remembers to change it. ' +
      'One written into user data or a Dockerfile is readable by everyone who can read the template or pull the image. ' +
      'Prefer identities that cannot be typed: people sign in through IAM Identity Center or a federated role with MFA, machines assume roles, and shell access goes through SSM Session Manager or SSH keys.',
    example: {
      language: 'yaml',
      code: `Deployer:
  Type: AWS::IAM::User
  Properties:
    LoginProfile:
      Password: !Ref DeployerPassword`,
    },
    useInstead: {
      language: 'yaml',
      code: `# people: IAM Identity Center permission sets; automation: a role it assumes
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: { Federated: !Sub "arn:aws:iam::\${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com" }
          Action: sts:AssumeRoleWithWebIdentity`,
    },
    references: [
      {
        title: 'IAM best practices: use federation and temporary credentials',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      },
      {
        title: 'AWS Systems Manager Session Manager',
        url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
      },
    ],
  },
  checks: {
    docker({ model, document, report }) {
      for (const finding of dockerFindings(model, document.text)) report(finding);
    },
    cfn({ resources, document, report }) {
      for (const resource of resources) {
        if (resource.type !== 'AWS::IAM::User') continue;
        const profile = property(resource, 'LoginProfile');
        if (!profile || !asMap(profile.value)) continue;
        report({ at: profile.key, resource, messageId: 'consolePassword', data: { id: resource.logicalId } });
      }
      for (const { resource, node } of userDataOf(resources)) {
        for (const scalar of scalarsUnder(node)) {
          const raw = document.text.slice(scalar.span.start, scalar.span.end);
          for (const { span, setting } of sshdPasswordSettings(raw)) {
            report({
              at: { start: scalar.span.start + span.start, end: scalar.span.start + span.end },
              resource,
              messageId: 'userDataSshd',
              data: { id: resource.logicalId, setting },
            });
          }
          for (const m of raw.matchAll(/\bchpasswd\b/g)) {
            const start = scalar.span.start + (m.index ?? 0);
            report({
              at: { start, end: start + m[0].length },
              resource,
              messageId: 'userDataChpasswd',
              data: { id: resource.logicalId },
            });
          }
        }
      }
    },
  },
});
