import { secretSites } from '../../engine/cfn/secrets';
import { nameWords } from '../../engine/names';
import { isSecretName } from '../../engine/secret-names';
import { asBoolean } from '../../engine/cfn/values';
import { insertPair, removePair, type EditTarget } from '../../engine/edit';
import { intrinsic, type Parameter, type Template } from '../../engine/parse/cloudformation';
import { asScalar, getPair, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';
import { branches } from '../../engine/cfn/branches';

/** Parameter types whose value is a name or a pointer, not a secret, whatever the parameter is called. */
const pointerTypes = /^(AWS::SSM::Parameter::|AWS::EC2::KeyPair::KeyName|List<|CommaDelimitedList|Number$)/;

/**
 * Parameters that a secret property or variable takes as its whole value (`Password: !Ref X`, or
 * a branch of `Fn::If`). A parameter that is only a piece of a larger value (the user name in a
 * JSON secret string) is not a secret for that.
 */
function parametersFeedingSecrets(template: Template): Map<string, string> {
  const fed = new Map<string, string>();
  for (const site of secretSites(template)) {
    for (const branch of branches(site.value)) {
      const fn = intrinsic(branch.node);
      const name = fn?.name === 'Ref' ? scalarText(fn.argument) : undefined;
      if (name && template.parameters.has(name) && !fed.has(name)) fed.set(name, site.name);
    }
  }
  return fed;
}

/** Names that point at a secret rather than hold one (`MqSecretArn`, `PasswordParameterName`). */
function isPointerName(name: string): boolean {
  return ['arn', 'name', 'id', 'path', 'parameter', 'param', 'ref'].includes(nameWords(name).at(-1) ?? '');
}

function noEchoOn(parameter: Parameter): boolean {
  const value = asScalar(getPair(parameter.node, 'NoEcho')?.value)?.value;
  return asBoolean(value) === true;
}

/** A default that holds a value (an empty string is no secret). */
function defaultValue(parameter: Parameter): DataNode | undefined {
  const node = parameter.default;
  if (!node) return undefined;
  const text = scalarText(node);
  return text !== undefined && text.trim() === '' ? undefined : node;
}

function echoFix(target: EditTarget, parameter: Parameter, removeDefault: boolean): TextEdit[] {
  const edits: TextEdit[] = [];
  const noEcho = getPair(parameter.node, 'NoEcho');
  if (noEcho) edits.push({ start: noEcho.value.span.start, end: noEcho.value.span.end, text: 'true' });
  const defaultPair = removeDefault ? getPair(parameter.node, 'Default') : undefined;
  if (defaultPair) edits.push(removePair(target, parameter.node, defaultPair));
  if (!noEcho) {
    // Inserting after a pair that is being removed would overlap it: insert after another one.
    const keep = parameter.node.pairs.filter((p) => p !== defaultPair);
    const anchor = { ...parameter.node, pairs: keep };
    edits.push(insertPair(target, anchor, 'NoEcho', true));
  }
  return edits;
}

export default defineRule({
  id: 'secrets-management/secret-parameter-echo',
  lesson: 'secrets-management',
  title: 'Secret parameter shown or given a default',
  severity: 'warning',
  equivalents: ['W2501'],
  fix: 'safe',
  messages: {
    hasDefault:
      'Secret parameter {{name}}{{feeds}} has a default, so its value is written in the template: remove the default.',
    hasDefaultAndShown:
      'Secret parameter {{name}}{{feeds}} has a default, so its value is written in the template, and without NoEcho the stack shows it to anyone who can describe it: remove the default.',
    shown:
      'Secret parameter {{name}}{{feeds}} is shown to anyone who can describe the stack: set NoEcho: true.',
  },
  docs: {
    what:
      'Template parameters that hold a secret, because their name says so (`DbPassword`, `ApiToken`, `GitHubOAuthToken`) or because a secret property or variable reads them, ' +
      'and either lack `NoEcho: true` (a warning) or carry a `Default` (an error: the secret is then written in the template). ' +
      'Parameters whose type makes them a pointer (SSM parameter names, key pair names, lists, numbers) are left alone. Messages never repeat a default.',
    why:
      'Without `NoEcho`, CloudFormation shows the value to anyone who can describe the stack, in the console, the CLI and every tool that lists stack parameters. ' +
      'A default is worse: the secret is then part of the template itself, in version control and in every copy. ' +
      'Mark secret parameters `NoEcho: true` and give them no default; better still, keep the value in Secrets Manager and resolve it with a dynamic reference, so that it never passes through parameters at all.',
    example: {
      language: 'yaml',
      code: `Parameters:
  DbPassword:
    Type: String
    Default: changeme`,
    },
    useInstead: {
      language: 'yaml',
      code: `Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    MinLength: 16`,
    },
    references: [
      {
        title: 'CloudFormation: Parameters section (NoEcho)',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html',
      },
      {
        title: 'CloudFormation best practices: do not embed credentials in your templates',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html',
      },
    ],
    fix: 'Sets `NoEcho: true` on the parameter. Where it has a `Default`, the fix also removes it and is then a scaffold: every deployment must pass the value, so the pipelines and scripts that relied on the default must be given it first.',
  },
  checks: {
    cfn({ model: template, target, report }) {
      if (template.parameters.size === 0) return;
      const fed = parametersFeedingSecrets(template);
      for (const parameter of template.parameters.values()) {
        if (pointerTypes.test(parameter.type ?? '') || isPointerName(parameter.name)) continue;
        const named = isSecretName(parameter.name);
        const feeds = fed.get(parameter.name);
        if (!named && !feeds) continue;
        const data = { name: parameter.name, feeds: named ? '' : ` (it feeds ${feeds})` };
        const echoed = !noEchoOn(parameter);
        const fallback = defaultValue(parameter);
        if (fallback) {
          report({
            at: fallback,
            messageId: echoed ? 'hasDefaultAndShown' : 'hasDefault',
            data,
            severity: 'error',
            fix: () => ({
              title: `Remove the default of ${parameter.name}${echoed ? ' and hide it with NoEcho' : ''}`,
              kind: 'scaffold',
              edits: echoFix(target, parameter, true),
              needs: [
                `Pass ${parameter.name} in every deployment (pipelines, scripts, samconfig): it has no default now`,
                'Rotate the value that was the default: it stays in the repository’s history',
              ],
            }),
          });
        } else if (echoed) {
          report({
            at: getPair(parameter.node, 'NoEcho')?.value ?? parameter.idNode,
            messageId: 'shown',
            data,
            fix: () => ({
              title: `Hide ${parameter.name} with NoEcho`,
              edits: echoFix(target, parameter, false),
            }),
          });
        }
      }
    },
  },
});
