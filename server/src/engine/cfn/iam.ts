import type { PlainValue } from '../edit';
import { intrinsic, type Resource, type Template } from '../parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  scalarText,
  type DataNode,
  type MapNode,
  type ScalarNode,
} from '../parse/tree';
import { branches } from './branches';
import { effectiveProperty } from './resources';

/**
 * IAM policies as templates write them: identity policies (what a role, user, group or SAM
 * function may do) and the statements inside a policy document.
 */

export interface PolicyDocument {
  /** The resource that carries the policy. */
  resource: Resource;
  document: MapNode;
}

export interface Statement {
  resource: Resource;
  node: MapNode;
  /** `Fn::If` conditions on the way to the statement; a statement one branch removes is left out. */
  conditions: string[];
}

const documentTypes = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
]);
const principalTypes = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);
const samTypes = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/** The types whose policies grant permissions to an identity. */
export const identityPolicyTypes = [...documentTypes, ...principalTypes, ...samTypes];

/** Every identity policy document in the template (inline policies of roles, users and groups included). */
export function identityPolicies(template: Template): PolicyDocument[] {
  const found: PolicyDocument[] = [];
  for (const resource of template.resourcesOfType(identityPolicyTypes)) {
    const type = resource.type ?? '';
    if (documentTypes.has(type)) {
      const document = asMap(get(resource.properties, 'PolicyDocument'));
      if (document) found.push({ resource, document });
    } else if (principalTypes.has(type)) {
      for (const item of asSeq(get(resource.properties, 'Policies'))?.items ?? []) {
        for (const branch of branches(item)) {
          const document = asMap(get(branch.node, 'PolicyDocument'));
          if (document) found.push({ resource, document });
        }
      }
    } else if (samTypes.has(type)) {
      const policies = effectiveProperty(template, resource, 'Policies')?.pair.value;
      const items = asSeq(policies)?.items ?? (asMap(policies) ? [policies!] : []);
      for (const item of items) {
        for (const branch of branches(item)) {
          const document = asMap(branch.node);
          if (document && get(document, 'Statement')) found.push({ resource, document });
        }
      }
    }
  }
  return found;
}

/**
 * The statements of a document, one group per list entry: a plain statement is a group of one,
 * an `Fn::If` entry a group of its branches. An entry that some branch removes is left out, so a
 * check that finds every statement of a group at fault may report it.
 */
export function statementGroups(resource: Resource, document: MapNode): Statement[][] {
  const node = get(document, 'Statement');
  const items = asSeq(node)?.items ?? (node ? [node] : []);
  const groups: Statement[][] = [];
  for (const item of items) {
    const alternatives = branches(item);
    if (alternatives.some((b) => !asMap(b.node))) continue;
    groups.push(alternatives.map((b) => ({ resource, node: asMap(b.node)!, conditions: b.conditions })));
  }
  return groups;
}

/** `Principal: "*"`, `{AWS: "*"}` or `{AWS: ["*"]}`: everybody, signed in or not. */
export function isEveryone(principal: DataNode | undefined): boolean {
  if (asScalar(principal)) return scalarText(principal)?.trim() === '*';
  return listItems(get(asMap(principal), 'AWS')).some((p) => String(p.value).trim() === '*');
}

/** The scalar items of a field that may be one value or a list (`Action`, `Resource`, `Principal.AWS`). */
export function listItems(node: DataNode | undefined): ScalarNode[] {
  const single = asScalar(node);
  if (single) return [single];
  return (asSeq(node)?.items ?? []).map((item) => asScalar(item)).filter((s): s is ScalarNode => !!s);
}

const managedPolicyHolders = [...principalTypes, ...samTypes];

/** AWS-managed policies attached by ARN (literal or `Fn::Sub`) or, in SAM, by name: `{ node, name }` for each. */
export function managedPolicies(template: Template): { resource: Resource; node: DataNode; name: string }[] {
  const found: { resource: Resource; node: DataNode; name: string }[] = [];
  for (const resource of template.resourcesOfType(managedPolicyHolders)) {
    const type = resource.type ?? '';
    let list: DataNode | undefined;
    if (principalTypes.has(type)) list = get(resource.properties, 'ManagedPolicyArns');
    else if (samTypes.has(type)) list = effectiveProperty(template, resource, 'Policies')?.pair.value;
    const items = asSeq(list)?.items ?? (list ? [list] : []);
    for (const node of items) {
      const fn = intrinsic(node);
      const text =
        fn?.name === 'Fn::Sub' ? scalarText(fn.argument) : asScalar(node) ? scalarText(node) : undefined;
      if (!text) continue;
      const name = text.replace(/^arn:(\$\{AWS::Partition\}|[\w-]+):iam::aws:policy\/(.*\/)?/, '');
      // Only AWS-managed ARNs and SAM's bare names; customer-managed ARNs name other things.
      if (text.startsWith('arn:') && name === text) continue;
      found.push({ resource, node, name });
    }
  }
  return found;
}

/** The trust policy of a role that an AWS service assumes (`backup.amazonaws.com`), for new roles a fix writes. */
export function serviceTrustPolicy(service: string): PlainValue {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}
