import { dataStoreNoun, holdsTransientState, isClusterMember, isReplica } from '../../engine/cfn/databases';
import { statefulTypes } from '../../engine/cfn/resources';
import { addResourceAttributes } from '../../engine/cfn/template-additions';
import type { EditTarget } from '../../engine/edit';
import { replaceValues } from '../../engine/cfn/values';
import {
  possibleValues,
  property,
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { getPair, scalarText, type Pair } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

/** Types that CloudFormation can snapshot before deleting them. */
const snapshotTypes = new Set([
  'AWS::EC2::Volume',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::Neptune::DBCluster',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::Redshift::Cluster',
  'AWS::DocDB::DBCluster',
]);

/** Caches can be refilled; a lost cache costs time, not data. */
const cacheTypes = new Set([
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
]);

const tableTypes = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Serverless::SimpleTable',
]);

const keeping = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

type Policy = 'DeletionPolicy' | 'UpdateReplacePolicy';

/** What a resource's policy says; shared with `plan-for-the-worst/bucket-deleted-with-stack`. */
export interface PolicyState {
  policy: Policy;
  pair: Pair | undefined;
  /** The literal values the policy can take (through parameters and `Fn::If`), when written. */
  values: PossibleValue[];
  /** True when every possible value deletes the resource (missing, `Delete`, or every branch of an `Fn::If`). */
  deletes: boolean;
}

/** CloudFormation snapshots RDS clusters and stand-alone instances by default when the stack is deleted. */
function defaultPolicy(resource: Resource, policy: Policy): string {
  const rds = resource.type === 'AWS::RDS::DBCluster' || resource.type === 'AWS::RDS::DBInstance';
  return policy === 'DeletionPolicy' && rds ? 'Snapshot' : 'Delete';
}

export function policyState(template: Template, resource: Resource, policy: Policy): PolicyState {
  const pair = getPair(resource.node, policy);
  if (!pair) return { policy, pair, values: [], deletes: !keeping.has(defaultPolicy(resource, policy)) };
  const values = possibleValues(template, pair.value);
  if (!values) return { policy, pair, values: [], deletes: false };
  return { policy, pair, values, deletes: values.every((v) => v.absent || !keeping.has(String(v.value))) };
}

/** What the resource should keep when it goes: a snapshot where CloudFormation can take one. */
function keepValue(resource: Resource): string {
  return resource.type && snapshotTypes.has(resource.type) ? 'Snapshot' : 'Retain';
}

function judged(resource: Resource): boolean {
  if (isClusterMember(resource) || isReplica(resource)) return false;
  if (tableTypes.has(resource.type ?? '') && holdsTransientState(resource)) return false;
  // Memcached keeps nothing on disk: there is nothing to snapshot or retain.
  if (resource.type === 'AWS::ElastiCache::CacheCluster') {
    return !/^memcached$/i.test(scalarText(property(resource, 'Engine')?.value) ?? '');
  }
  return true;
}

export default defineRule({
  id: 'plan-for-the-worst/no-deletion-policy',
  lesson: 'plan-for-the-worst',
  title: 'Data store deleted with the stack',
  severity: 'warning',
  equivalents: ['I3011'],
  fix: 'safe',
  // S3 buckets are `plan-for-the-worst/bucket-deleted-with-stack`'s, in `strict`.
  resourceTypes: [...statefulTypes].filter(
    (t) => t !== 'AWS::DocDB::DBInstance' && t !== 'AWS::Neptune::DBInstance' && t !== 'AWS::S3::Bucket',
  ),
  messages: {
    neitherSet:
      '{{noun}} {{id}}: deleting the stack, removing it from the template or an update that replaces it deletes it with its data (neither DeletionPolicy nor UpdateReplacePolicy is set).',
    deletionNotSetReplacementDelete:
      '{{noun}} {{id}}: deleting the stack, removing it from the template or an update that replaces it deletes it with its data (DeletionPolicy is not set, and UpdateReplacePolicy is Delete{{provenance}}).',
    bothDelete:
      '{{noun}} {{id}}: deleting the stack, removing it from the template or an update that replaces it deletes it with its data (DeletionPolicy is Delete{{provenance}}).',
    deletionNotSet:
      '{{noun}} {{id}}: deleting the stack or removing it from the template deletes it with its data (DeletionPolicy is not set).',
    deletionDelete:
      '{{noun}} {{id}}: deleting the stack or removing it from the template deletes it with its data (DeletionPolicy is Delete{{provenance}}).',
    replacementNotSet:
      '{{noun}} {{id}} {{onDelete}}, but an update that replaces it (a new name or engine) deletes the old one with its data (UpdateReplacePolicy is not set).',
    replacementDelete:
      '{{noun}} {{id}} {{onDelete}}, but an update that replaces it (a new name or engine) deletes the old one with its data (UpdateReplacePolicy is Delete{{provenance}}).',
  },
  docs: {
    what:
      'A database, table, volume, file system or cache whose `DeletionPolicy` or `UpdateReplacePolicy` lets CloudFormation delete it: ' +
      'left out (the default is Delete, except that RDS clusters and stand-alone RDS instances get a final snapshot on stack deletion) or set to `Delete` on every branch. ' +
      'Aurora, DocumentDB and Neptune member instances and read replicas are not judged: their cluster or source holds the data. ' +
      'Nor are tables whose name says they hold short-lived state (connections, sessions, locks, caches, idempotency keys), or memcached clusters.',
    why:
      'Deleting a stack, removing a resource from the template, or changing a property that forces a replacement (a table or database name, an engine, a key schema) ' +
      "makes CloudFormation delete the old resource, and with it every row and file it held. The service's own backups mostly go with it: " +
      'RDS removes automated backups with the instance, and a DynamoDB table leaves a system backup behind only when point-in-time recovery was on (kept 35 days). `Retain` (or `Snapshot` where the service can take one) turns a typo in a template into an inconvenience instead of an incident. ' +
      'Set both policies: `DeletionPolicy` covers deletion, `UpdateReplacePolicy` covers replacement. ' +
      'S3 buckets are left to `plan-for-the-worst/bucket-deleted-with-stack`, in `strict` only: CloudFormation refuses to delete a bucket that still holds objects (the stack deletion fails instead), so a bucket with data in it is rarely lost this way, and most buckets in templates (artifacts, logs, website assets) are meant to go with their stack.',
    example: {
      language: 'yaml',
      code: `OrdersTable:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersTable:
  Type: AWS::DynamoDB::Table
  DeletionPolicy: Retain        # kept when the stack or the resource is deleted
  UpdateReplacePolicy: Retain   # kept when a change replaces the table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]`,
    },
    fix: 'Sets `DeletionPolicy` and `UpdateReplacePolicy` to `Snapshot` where CloudFormation can snapshot the resource, else to `Retain`: added after `Type` when missing (a safe fix), changed where they are written or in the parameter default they come from (a scaffold: a written `Delete` may be a choice).',
    references: [
      {
        title: 'CloudFormation DeletionPolicy attribute',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
      },
      {
        title: 'CloudFormation UpdateReplacePolicy attribute',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        if (!judged(resource)) continue;
        const deletion = policyState(template, resource, 'DeletionPolicy');
        const replacement = policyState(template, resource, 'UpdateReplacePolicy');
        const light = cacheTypes.has(resource.type ?? '');
        const keep = keepValue(resource);
        const fixFor = (states: PolicyState[]) => keepFix(target, template, resource, states, keep);
        const data = { noun: dataStoreNoun(resource), id: resource.logicalId };

        if (deletion.deletes) {
          const messageId = deletionMessage(replacement.deletes, deletion, replacement);
          // When only UpdateReplacePolicy is written, the message says where its Delete comes from.
          const written = messageId === 'deletionNotSetReplacementDelete' ? replacement : deletion;
          report({
            at: deletion.pair ? deletion.pair.value : resource.idNode,
            resource,
            messageId,
            data: { ...data, provenance: provenance(written.values) },
            severity: light ? 'info' : undefined,
            fix: fixFor(replacement.deletes ? [deletion, replacement] : [deletion]),
          });
        } else if (replacement.deletes) {
          report({
            at: replacement.pair ? replacement.pair.value : resource.idNode,
            resource,
            messageId: replacement.pair ? 'replacementDelete' : 'replacementNotSet',
            data: {
              ...data,
              onDelete: onStackDeletion(deletion),
              provenance: provenance(replacement.values),
            },
            severity: 'info',
            // Writing DeletionPolicy down too: CloudFormation's linter wants both, and the default is easy to forget.
            fix: fixFor(deletion.pair ? [replacement] : [deletion, replacement]),
          });
        }
      }
    },
  },
});

/** What a stack deletion does to a resource it does not delete, as its DeletionPolicy says. */
function onStackDeletion(deletion: PolicyState): string {
  if (!deletion.pair) return 'gets a final snapshot on stack deletion (by default)';
  const values = new Set(deletion.values.filter((v) => !v.absent).map((v) => String(v.value)));
  if (values.size === 1 && values.has('Snapshot')) return 'gets a final snapshot on stack deletion';
  if (values.size > 0 && [...values].every((v) => v !== 'Snapshot' && keeping.has(v)))
    return 'is kept when the stack is deleted';
  return 'outlives a stack deletion (kept or snapshotted, as its DeletionPolicy says)';
}

/** Which message a resource that stack deletion removes gets: what is written decides the words. */
function deletionMessage(
  replacedToo: boolean,
  deletion: PolicyState,
  replacement: PolicyState,
): 'deletionDelete' | 'deletionNotSet' | 'bothDelete' | 'deletionNotSetReplacementDelete' | 'neitherSet' {
  if (!replacedToo) return deletion.pair ? 'deletionDelete' : 'deletionNotSet';
  if (deletion.pair) return 'bothDelete';
  return replacement.pair ? 'deletionNotSetReplacementDelete' : 'neitherSet';
}

/** Set each policy to `keep`: missing ones are added after `Type`, written ones changed where their value is. */
export function keepFix(
  target: EditTarget,
  template: Template,
  resource: Resource,
  states: PolicyState[],
  keep: string,
): (() => Fix | undefined) | undefined {
  return () => {
    const edits: TextEdit[] = [];
    const missing: [string, string][] = [];
    for (const state of states) {
      if (!state.pair) {
        missing.push([state.policy, keep]);
        continue;
      }
      const changed = replaceValues(target, template, state.values, keep);
      if (!changed) return undefined;
      // Both policies may read the same parameter: change its default once.
      edits.push(...changed.filter((e) => !edits.some((d) => d.start === e.start)));
    }
    if (missing.length > 0) edits.push(addResourceAttributes(target, resource, missing));
    // A Delete the author wrote down may be a choice (a scratch table, data kept elsewhere):
    // changing it is for the author to decide, so it is a scaffold; a missing policy is not.
    const chosen = states.some((state) => state.pair);
    return {
      title: `Keep ${resource.logicalId} (${keep}) when it is deleted or replaced`,
      edits,
      ...(chosen
        ? {
            kind: 'scaffold' as const,
            needs: [
              `Make sure ${resource.logicalId} is not deleted on purpose (DeletionPolicy: Delete is written)`,
            ],
          }
        : {}),
    };
  };
}
