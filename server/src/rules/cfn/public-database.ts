import { property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { replaceValues, valuesAlways } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { defineRule } from '../../engine/rule';

/**
 * Resource types with a PubliclyAccessible switch, what to call them, their default, and whether
 * changing it replaces the resource (a new broker starts without the old one's messages).
 */
const publicSwitch: Record<string, { noun: string; publicByDefault: boolean; replaces: boolean }> = {
  'AWS::RDS::DBInstance': { noun: 'RDS database instance', publicByDefault: false, replaces: false },
  'AWS::Redshift::Cluster': { noun: 'Redshift cluster', publicByDefault: false, replaces: false },
  'AWS::DMS::ReplicationInstance': {
    noun: 'DMS replication instance',
    publicByDefault: true,
    replaces: true,
  },
  'AWS::AmazonMQ::Broker': { noun: 'Amazon MQ broker', publicByDefault: false, replaces: true },
};

/**
 * An RDS instance placed nowhere in particular lands in the default VPC, whose subnets route to
 * an internet gateway; there a missing PubliclyAccessible means public. Aurora members take the
 * cluster's subnets and read replicas their source's, so neither is judged here.
 */
function inDefaultVpc(resource: Resource): boolean {
  return (
    resource.type === 'AWS::RDS::DBInstance' &&
    !!resource.properties &&
    ![
      'DBSubnetGroupName',
      'DBClusterIdentifier',
      'SourceDBInstanceIdentifier',
      'SourceDBClusterIdentifier',
      'DBSecurityGroups',
    ].some((name) => property(resource, name))
  );
}

export default defineRule({
  id: 'private-network/public-database',
  lesson: 'private-network',
  title: 'Database or broker reachable from the internet',
  severity: 'error',
  equivalents: ['CKV_AWS_17', 'CKV_AWS_87', 'CKV_AWS_89', 'CKV_AWS_69'],
  fix: 'safe',
  resourceTypes: Object.keys(publicSwitch),
  messages: {
    publicByDefault:
      '{{noun}} {{id}} is reachable from the internet: PubliclyAccessible is not set, and it defaults to true.',
    defaultVpc:
      "{{noun}} {{id}} gets a public address: with no DBSubnetGroupName it is created in the account's default VPC, where PubliclyAccessible defaults to true.",
    public: '{{noun}} {{id}} is reachable from the internet: PubliclyAccessible is true{{provenance}}.',
  },
  docs: {
    what:
      'An RDS instance, Redshift cluster, DMS replication instance or Amazon MQ broker with `PubliclyAccessible: true`, ' +
      'written directly, through a parameter default, or on every branch of an `Fn::If`. ' +
      'A DMS replication instance that leaves the property out is flagged too, because DMS makes it public by default, ' +
      'and so is an RDS instance with neither the property nor a DB subnet group: it is created in the default VPC, where the default is public.',
    why:
      'A publicly accessible database gets a public DNS name and address, so the only thing between it and every scanner on the internet is a security group rule and a password. ' +
      'Keeping it private means an attacker has to get into your network first. Applications reach it from inside the VPC, and people reach it through a bastion, Session Manager or a VPN.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    PubliclyAccessible: true`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    PubliclyAccessible: false
    DBSubnetGroupName: !Ref PrivateSubnetGroup   # subnets without a route to an internet gateway
    VPCSecurityGroups: [!Ref DatabaseSecurityGroup]   # ingress only from the app's security group`,
    },
    fix: "Sets `PubliclyAccessible: false`: added when missing, else changed where it is written or in the parameter default it comes from. Clients outside the VPC lose their direct way in. On a DMS replication instance or an Amazon MQ broker the change replaces the resource, so there the fix is a scaffold: plan the replacement (a new broker starts without the old one's messages).",
    references: [
      {
        title: 'Hiding a DB instance in a VPC from the internet',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
      },
      {
        title: 'AWS DMS: public and private replication instances',
        url: 'https://docs.aws.amazon.com/dms/latest/userguide/CHAP_ReplicationInstance.PublicPrivate.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const kind = publicSwitch[resource.type ?? ''];
        const data = { noun: kind.noun, id: resource.logicalId };
        const fixKind = kind.replaces ? ('scaffold' as const) : undefined;
        const needs = kind.replaces
          ? [
              `Check that nothing outside the VPC connects to ${resource.logicalId}, and plan the change: it replaces the ${kind.noun.toLowerCase()}`,
            ]
          : undefined;
        const pair = property(resource, 'PubliclyAccessible');
        const addPrivate = () => ({
          title: 'Add PubliclyAccessible: false',
          kind: fixKind,
          needs,
          edits: [setPath(target, resource.node, ['Properties', 'PubliclyAccessible'], false)],
        });
        if (!pair) {
          if (kind.publicByDefault) {
            report({
              at: resource.idNode,
              resource,
              messageId: 'publicByDefault',
              data,
              fix: addPrivate,
            });
          } else if (inDefaultVpc(resource)) {
            report({
              at: resource.idNode,
              resource,
              messageId: 'defaultVpc',
              data,
              severity: 'warning',
              fix: addPrivate,
            });
          }
          continue;
        }
        const values = valuesAlways(template, pair.value, (v) => String(v).toLowerCase() === 'true');
        if (!values) continue;
        report({
          at: pair.value,
          resource,
          messageId: 'public',
          data: { ...data, provenance: provenance(values) },
          fix: () => {
            const edits = replaceValues(target, template, values, false);
            return edits && { title: 'Set PubliclyAccessible to false', kind: fixKind, needs, edits };
          },
        });
      }
    },
  },
});
