import { bucketPolicies, bucketRole, bucketUses } from '../../engine/cfn/buckets';
import { addResources, companionBody, standsAlone } from '../../engine/cfn/companions';
import { statementGroups } from '../../engine/cfn/iam';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean, asNumber } from '../../engine/cfn/values';
import { appendItem, type PlainValue } from '../../engine/edit';
import type { Resource, Template } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, scalarText, type DataNode, type MapNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** A condition block's value for `key`, whatever the case of the key (IAM keys are case-insensitive). */
function conditionValue(condition: DataNode | undefined, operator: RegExp, key: string): DataNode[] {
  const found: DataNode[] = [];
  for (const op of asMap(condition)?.pairs ?? []) {
    if (!operator.test(String(op.key.value))) continue;
    for (const entry of asMap(op.value)?.pairs ?? []) {
      if (String(entry.key.value).toLowerCase() === key) found.push(entry.value);
    }
  }
  return found;
}

/** A statement that denies requests made without TLS (or with TLS older than 1.2). */
function deniesPlainTransport(statement: MapNode): boolean {
  if (scalarText(get(statement, 'Effect')) !== 'Deny') return false;
  const condition = get(statement, 'Condition');
  const insecure = conditionValue(condition, /^Bool(IfExists)?$/, 'aws:securetransport');
  if (
    insecure.some(
      (v) => asBoolean(scalarText(v) ?? (asSeq(v) ? scalarText(asSeq(v)!.items[0]) : undefined)) === false,
    )
  ) {
    return true;
  }
  const tls = conditionValue(condition, /^NumericLessThan$/, 's3:tlsversion');
  return tls.some((v) => (asNumber(scalarText(v)) ?? 0) >= 1.2);
}

interface PolicyState {
  /** The bucket policies of the template that apply to the bucket. */
  policies: Resource[];
  /** Whether one of them denies plain HTTP; undefined when a policy cannot be read statically. */
  deniesHttp: boolean | undefined;
}

function policyState(template: Template, bucket: Resource): PolicyState {
  const policies = bucketPolicies(template, bucket);
  let unknown = false;
  for (const policy of policies) {
    const document = asMap(get(policy.properties, 'PolicyDocument'));
    if (!document || !get(document, 'Statement')) {
      unknown = true;
      continue;
    }
    const groups = statementGroups(policy, document);
    if (groups.some((group) => group.every((s) => deniesPlainTransport(s.node))))
      return { policies, deniesHttp: true };
  }
  return { policies, deniesHttp: unknown ? undefined : false };
}

function denyStatement(bucket: string): PlainValue {
  return {
    Sid: 'DenyRequestsWithoutTls',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Sub': `\${${bucket}.Arn}/*` }],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export default defineRule({
  id: 'encrypt-everything/s3-no-tls-policy',
  lesson: 'encrypt-everything',
  title: 'S3 bucket accepts requests without TLS',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::S3::Bucket'],
  messages: {
    policyAllowsHttp:
      'S3 bucket {{id}} accepts requests without TLS: its policy {{policy}} has no statement denying aws:SecureTransport false.',
    noPolicy:
      'S3 bucket {{id}} accepts requests without TLS: no bucket policy denies aws:SecureTransport false.',
  },
  docs: {
    what:
      'An S3 bucket with no bucket policy in the template that denies requests made without TLS (`aws:SecureTransport` false, or `s3:TlsVersion` below 1.2). ' +
      'Static website buckets are left alone: their website endpoint only speaks HTTP. A bucket policy that cannot be read statically counts as compliant.',
    why:
      'S3 answers plain HTTP as readily as HTTPS, so a client configured with an `http://` endpoint, an old tool or a hand-written script sends objects and credentials-derived signatures in clear text without anyone noticing. ' +
      'A deny statement on insecure transport makes the bucket refuse those requests outright, whoever makes them. It is information rather than a warning because the AWS SDKs and CLI already use HTTPS by default; the policy turns that habit into a guarantee.',
    example: {
      language: 'yaml',
      code: `Documents:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Documents:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}
DocumentsPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref Documents
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Sid: DenyRequestsWithoutTls
          Effect: Deny
          Principal: '*'
          Action: 's3:*'
          Resource: [!GetAtt Documents.Arn, !Sub '\${Documents.Arn}/*']
          Condition: {Bool: {'aws:SecureTransport': 'false'}}`,
    },
    fix:
      'Adds a statement that denies requests without TLS to the bucket’s policy, or a new bucket policy with that statement. ' +
      'A scaffold: clients that still call the bucket over plain HTTP (old tools, hand-written `http://` URLs) start to fail.',
    references: [
      {
        title: 'Amazon S3: security best practices (enforce encryption of data in transit)',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources: buckets, target, report }) {
      if (buckets.length === 0) return;
      const uses = bucketUses(template);
      for (const bucket of buckets) {
        if (bucketRole(template, bucket, uses) === 'website') continue;
        const state = policyState(template, bucket);
        if (state.deniesHttp !== false) continue;
        const existing = state.policies[0];
        report({
          at: bucket.idNode,
          resource: bucket,
          messageId: existing ? 'policyAllowsHttp' : 'noPolicy',
          data: { id: bucket.logicalId, policy: existing?.logicalId ?? '' },
          fix: () => {
            const statements = asSeq(get(get(existing?.properties, 'PolicyDocument'), 'Statement'));
            if (existing) {
              // A statement naming a bucket of Fn::ForEach is only right inside its loop.
              if (!statements || !standsAlone(bucket)) return undefined;
              return {
                title: `Add a statement to ${existing.logicalId} that denies requests without TLS`,
                edits: [appendItem(target, statements, denyStatement(bucket.logicalId))],
                needs: [
                  'Check that every client of the bucket uses HTTPS (SDKs and the console do; plain http:// URLs and old tools stop working)',
                ],
              };
            }
            const id = uniqueLogicalId(template, `${bucket.logicalId}Policy`);
            const policy = companionBody(
              'AWS::S3::BucketPolicy',
              {
                Bucket: { Ref: bucket.logicalId },
                PolicyDocument: { Version: '2012-10-17', Statement: [denyStatement(bucket.logicalId)] },
              },
              bucket,
            );
            return {
              title: `Add ${id}, a bucket policy that denies requests without TLS`,
              edits: [addResources(target, template, [{ id, body: policy }])],
              needs: [
                'Check that every client of the bucket uses HTTPS (SDKs and the console do; plain http:// URLs and old tools stop working)',
                `Merge ${id} into any bucket policy set outside this template: a bucket has only one`,
              ],
            };
          },
        });
      }
    },
  },
});
