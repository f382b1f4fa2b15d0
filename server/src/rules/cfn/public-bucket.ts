import { bucketPolicies } from '../../engine/cfn/buckets';
import { isEveryone, listItems, statementGroups } from '../../engine/cfn/iam';
import { asBoolean, replaceValues, valuesAlways } from '../../engine/cfn/values';
import { property, provenance, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, get, getPair, scalarText, type DataNode, type MapNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** Canned ACLs that let anyone (or any AWS account) read or write. */
const publicAcls: Record<string, { who: string; write: boolean }> = {
  publicread: { who: 'anyone on the internet can list and read its objects', write: false },
  publicreadwrite: { who: 'anyone on the internet can read, overwrite and delete its objects', write: true },
  authenticatedread: { who: 'any AWS account in the world can read its objects', write: false },
};

/** The four switches of S3 Block Public Access. */
const blockSwitches = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** Actions that change or delete objects, or change who may. */
const writes = /^s3:(\*|Put|Delete|Abort|Restore|Replicate|Create|Bypass)/i;

/** A statement of the bucket's policy that lets everybody in, with no condition to narrow who. */
function publicStatement(
  template: Template,
  bucket: Resource,
): { at: DataNode; write: boolean; policy: string } | undefined {
  for (const policy of bucketPolicies(template, bucket)) {
    const document = asMap(get(policy.properties, 'PolicyDocument'));
    if (!document) continue;
    for (const group of statementGroups(policy, document)) {
      // A statement that one branch of an Fn::If leaves private is not public for sure.
      const open = group.every(
        (s) =>
          scalarText(get(s.node, 'Effect')) === 'Allow' &&
          isEveryone(get(s.node, 'Principal')) &&
          !get(s.node, 'Condition'),
      );
      if (!open) continue;
      const statement: MapNode = group[0].node;
      const actions = listItems(get(statement, 'Action')).map((a) => String(a.value).trim());
      const at = getPair(statement, 'Principal')?.value ?? statement;
      return { at, write: actions.some((a) => a === '*' || writes.test(a)), policy: policy.logicalId };
    }
  }
  return undefined;
}

export default defineRule({
  id: 'private-network/public-bucket',
  lesson: 'private-network',
  title: 'S3 bucket open to the internet',
  severity: 'warning',
  equivalents: ['CKV_AWS_19', 'CKV_AWS_20', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'W51'],
  fix: 'scaffold',
  resourceTypes: ['AWS::S3::Bucket'],
  messages: {
    publicAcl: 'S3 bucket {{id}} has the canned ACL {{acl}}{{provenance}}: {{who}}.',
    publicPolicy:
      'S3 bucket {{id}} has a bucket policy ({{policy}}) that lets everybody {{access}} its objects, with no condition on who: anyone who learns an object’s name can {{verb}} it.',
    website:
      'S3 bucket {{id}} serves a website straight from S3, open to everybody ({{how}}): put CloudFront in front with origin access control and keep the bucket private.',
    blockOff:
      'S3 bucket {{id}} turns off {{switches}} of Block Public Access{{provenance}}: a public ACL or policy written later, inside or outside the template, takes effect.',
  },
  docs: {
    what:
      'An S3 bucket with a public canned ACL (`PublicRead`, `PublicReadWrite`, `AuthenticatedRead`), a bucket policy of the template that allows `Principal: "*"` without a `Condition`, ' +
      'or a `PublicAccessBlockConfiguration` with one of its switches off. Buckets that host a website (`WebsiteConfiguration`) and are public on purpose are information. ' +
      'A bucket without `PublicAccessBlockConfiguration` is not reported: since April 2023 S3 blocks public access on every new bucket unless told otherwise.',
    why:
      'A public bucket is read by crawlers within hours: every object in it is published, whatever its name, and a bucket that anyone can write to is used to host malware at your expense. ' +
      'Most leaks of customer data from the cloud were buckets made public for a quick test or a single file. ' +
      'Keep Block Public Access on, grant access to named roles and services, and serve public content through CloudFront with origin access control, so that the bucket itself never answers the internet.',
    example: {
      language: 'yaml',
      code: `Reports:
  Type: AWS::S3::Bucket
  Properties:
    AccessControl: PublicRead
    PublicAccessBlockConfiguration:
      BlockPublicAcls: false
      IgnorePublicAcls: false`,
    },
    useInstead: {
      language: 'yaml',
      code: `Reports:
  Type: AWS::S3::Bucket
  Properties:
    OwnershipControls:
      Rules: [{ObjectOwnership: BucketOwnerEnforced}]   # ACLs off
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true`,
    },
    fix:
      'Replaces a public canned ACL with `Private`, and turns the switches of Block Public Access back on. ' +
      'A scaffold: whoever reads the objects without signing in (a website, links sent to customers) loses access, so move them to CloudFront or presigned URLs first. A bucket policy open to everybody gets no fix: narrow its principal.',
    references: [
      {
        title: 'Amazon S3: blocking public access to your storage',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
      },
      {
        title: 'Amazon CloudFront: restricting access to an Amazon S3 origin',
        url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const bucket of resources) {
        const id = bucket.logicalId;
        const website = !!property(bucket, 'WebsiteConfiguration');
        const needs = [
          `Move whoever reads ${id} without signing in (a website, shared links) to CloudFront with origin access control or to presigned URLs first`,
        ];
        const acl = property(bucket, 'AccessControl');
        const aclValues = valuesAlways(template, acl?.value, (v) => String(v).toLowerCase() in publicAcls);
        const statement = publicStatement(template, bucket);
        if (website && (aclValues || statement)) {
          report({
            at: aclValues ? acl!.value : statement!.at,
            resource: bucket,
            messageId: 'website',
            data: {
              id,
              how: aclValues ? `AccessControl ${String(aclValues[0].value)}` : 'its bucket policy',
            },
            severity: statement?.write ? 'error' : 'info',
          });
          continue;
        }
        if (acl && aclValues) {
          const kind = publicAcls[String(aclValues[0].value).toLowerCase()];
          report({
            at: acl.value,
            resource: bucket,
            messageId: 'publicAcl',
            data: { id, acl: String(aclValues[0].value), provenance: provenance(aclValues), who: kind.who },
            severity: kind.write ? 'error' : undefined,
            fix: () => {
              const edits = replaceValues(target, template, aclValues, 'Private');
              return edits && { title: 'Make the bucket private (AccessControl: Private)', edits, needs };
            },
          });
        }
        if (statement) {
          report({
            at: statement.at,
            resource: bucket,
            messageId: 'publicPolicy',
            data: {
              id,
              policy: statement.policy,
              access: statement.write ? 'read and change' : 'read',
              verb: statement.write ? 'change or delete' : 'download',
            },
            severity: statement.write ? 'error' : undefined,
          });
        }
        if (aclValues || statement) continue;
        const block = asMap(property(bucket, 'PublicAccessBlockConfiguration')?.value);
        if (!block) continue;
        const off = blockSwitches
          .map((name) => ({ name, pair: getPair(block, name) }))
          .map(({ name, pair }) => ({
            name,
            pair,
            values: pair ? valuesAlways(template, pair.value, (v) => asBoolean(v) === false) : undefined,
          }))
          .filter((s) => s.pair && s.values);
        if (off.length === 0) continue;
        const known = off.flatMap((s) => s.values ?? []);
        report({
          at: off[0].pair!.value,
          resource: bucket,
          messageId: 'blockOff',
          data: {
            id,
            switches:
              off.length === 1
                ? off[0].name
                : `${off.length} switches (${off.map((s) => s.name).join(', ')})`,
            provenance: provenance(known),
          },
          severity: website ? 'info' : undefined,
          fix: () => {
            // Switches fed by one parameter share its default: each literal is changed once.
            const edits = new Map<number, TextEdit>();
            for (const s of off) {
              const replaced = replaceValues(target, template, s.values!, true);
              if (!replaced) return undefined;
              for (const edit of replaced) edits.set(edit.start, edit);
            }
            return { title: 'Turn Block Public Access back on', edits: [...edits.values()], needs };
          },
        });
      }
    },
  },
});
