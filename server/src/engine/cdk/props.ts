import { nameWords } from '../names';
import type { FixKind } from '../rule';

/**
 * How a prop's value is corrected in the source, or added when missing. Values are written for
 * TypeScript/JavaScript; Python gets `True`/`False` and snake_case names.
 */
export interface PropFix {
  kind: FixKind;
  title: string;
  /** A written value that is wrong (the whole value as written, for booleans) and what replaces it. */
  wrong?: 'true' | 'false' | 'RemovalPolicy.DESTROY';
  right: string;
  /** Whether a missing prop is added (with `right` as its value). */
  add: boolean;
  /** For `removalPolicy`: the right value is `RemovalPolicy.<right>`, imported when it is not. */
  removalPolicy?: true;
}

/** One prop of an L2 construct and the CloudFormation it renders to. */
export interface L2Prop {
  /** The prop's names in TypeScript, preferred first (Python: the same in snake_case). */
  names: string[];
  /** Top-level properties or resource attributes of the L1 it sets. */
  cfn: string[];
  /** Rules (the part of the id after the lesson) whose findings are about this prop. */
  rules: string[];
  fix?: PropFix;
}

export interface L2 {
  /** The jsii name tree.json records (`aws-cdk-lib.aws_rds.DatabaseInstance`). */
  fqn: string;
  /** The CloudFormation type of its default child, `Resource` (or `Default`). */
  cfnType: string;
  props: L2Prop[];
}

const removalPolicy = (snapshot: boolean): L2Prop => ({
  names: ['removalPolicy'],
  cfn: ['DeletionPolicy', 'UpdateReplacePolicy'],
  rules: ['no-deletion-policy', 'bucket-deleted-with-stack'],
  fix: {
    kind: 'safe',
    title: `Set removalPolicy to RemovalPolicy.${snapshot ? 'SNAPSHOT' : 'RETAIN'}`,
    wrong: 'RemovalPolicy.DESTROY',
    right: snapshot ? 'SNAPSHOT' : 'RETAIN',
    add: true,
    removalPolicy: true,
  },
});

const turnOn = (title: string, kind: FixKind = 'safe'): PropFix => ({
  kind,
  title,
  wrong: 'false',
  right: 'true',
  add: true,
});

const databaseInstance: L2Prop[] = [
  {
    names: ['publiclyAccessible'],
    cfn: ['PubliclyAccessible'],
    rules: ['public-database'],
    fix: {
      kind: 'safe',
      title: 'Set publiclyAccessible to false',
      wrong: 'true',
      right: 'false',
      add: false,
    },
  },
  {
    names: ['multiAz'],
    cfn: ['MultiAZ'],
    rules: ['rds-single-az'],
    fix: turnOn('Set multiAz to true', 'scaffold'),
  },
  { names: ['backupRetention'], cfn: ['BackupRetentionPeriod'], rules: ['no-automated-backups'] },
  {
    names: ['deletionProtection'],
    cfn: ['DeletionProtection'],
    rules: ['no-deletion-protection'],
    fix: turnOn('Set deletionProtection to true'),
  },
  {
    names: ['storageEncrypted', 'storageEncryptionKey'],
    cfn: ['StorageEncrypted', 'KmsKeyId'],
    rules: ['unencrypted-storage'],
  },
  { names: ['monitoringInterval'], cfn: ['MonitoringInterval'], rules: ['no-enhanced-monitoring'] },
  { names: ['maxAllocatedStorage'], cfn: ['MaxAllocatedStorage'], rules: ['no-storage-autoscaling'] },
  { names: ['readReplica'], cfn: [], rules: ['no-read-replica'] },
  removalPolicy(true),
];

const tableProps = (global: boolean): L2Prop[] => [
  {
    names: ['pointInTimeRecoverySpecification', 'pointInTimeRecovery'],
    cfn: global ? ['Replicas'] : ['PointInTimeRecoverySpecification'],
    rules: ['dynamodb-no-pitr'],
    fix: { kind: 'safe', title: 'Turn on point-in-time recovery', wrong: 'false', right: 'true', add: true },
  },
  {
    names: ['encryption', 'encryptionKey'],
    cfn: ['SSESpecification'],
    rules: ['unencrypted-storage'],
  },
  {
    names: ['deletionProtection'],
    cfn: global ? [] : ['DeletionProtectionEnabled'],
    rules: ['no-deletion-protection'],
    fix: global ? undefined : turnOn('Set deletionProtection to true'),
  },
  { names: ['timeToLiveAttribute'], cfn: ['TimeToLiveSpecification'], rules: ['dynamodb-no-ttl'] },
  removalPolicy(false),
];

const functionProps: L2Prop[] = [
  { names: ['tracing'], cfn: ['TracingConfig'], rules: ['no-tracing'] },
  { names: ['deadLetterQueue', 'deadLetterQueueEnabled'], cfn: ['DeadLetterConfig'], rules: [] },
  { names: ['onFailure'], cfn: [], rules: ['lambda-no-failure-destination'] },
  { names: ['logRetention', 'logGroup'], cfn: [], rules: ['log-retention'] },
];

/** The L2 constructs whose props the rules' findings can be narrowed to. */
export const l2Constructs: readonly L2[] = [
  { fqn: 'aws-cdk-lib.aws_rds.DatabaseInstance', cfnType: 'AWS::RDS::DBInstance', props: databaseInstance },
  {
    fqn: 'aws-cdk-lib.aws_rds.DatabaseInstanceFromSnapshot',
    cfnType: 'AWS::RDS::DBInstance',
    props: databaseInstance,
  },
  {
    fqn: 'aws-cdk-lib.aws_rds.DatabaseCluster',
    cfnType: 'AWS::RDS::DBCluster',
    props: [
      {
        names: ['deletionProtection'],
        cfn: ['DeletionProtection'],
        rules: ['no-deletion-protection'],
        fix: turnOn('Set deletionProtection to true'),
      },
      { names: ['backup'], cfn: ['BackupRetentionPeriod'], rules: ['no-automated-backups'] },
      {
        names: ['storageEncrypted', 'storageEncryptionKey'],
        cfn: ['StorageEncrypted', 'KmsKeyId'],
        rules: ['unencrypted-storage'],
      },
      removalPolicy(true),
    ],
  },
  { fqn: 'aws-cdk-lib.aws_dynamodb.Table', cfnType: 'AWS::DynamoDB::Table', props: tableProps(false) },
  { fqn: 'aws-cdk-lib.aws_dynamodb.TableV2', cfnType: 'AWS::DynamoDB::GlobalTable', props: tableProps(true) },
  {
    fqn: 'aws-cdk-lib.aws_sqs.Queue',
    cfnType: 'AWS::SQS::Queue',
    props: [
      { names: ['deadLetterQueue'], cfn: ['RedrivePolicy'], rules: ['queue-no-dlq'] },
      {
        names: ['encryption', 'encryptionMasterKey'],
        cfn: ['KmsMasterKeyId', 'SqsManagedSseEnabled'],
        rules: ['unencrypted-storage'],
      },
      { names: ['visibilityTimeout'], cfn: ['VisibilityTimeout'], rules: ['visibility-timeout'] },
      { names: ['retentionPeriod'], cfn: ['MessageRetentionPeriod'], rules: [] },
      removalPolicy(false),
    ],
  },
  {
    fqn: 'aws-cdk-lib.aws_s3.Bucket',
    cfnType: 'AWS::S3::Bucket',
    props: [
      {
        names: ['versioned'],
        cfn: ['VersioningConfiguration'],
        rules: ['s3-no-versioning'],
        fix: turnOn('Set versioned to true'),
      },
      { names: ['encryption', 'encryptionKey'], cfn: ['BucketEncryption'], rules: ['unencrypted-storage'] },
      {
        names: ['serverAccessLogsBucket', 'serverAccessLogsPrefix'],
        cfn: ['LoggingConfiguration'],
        rules: ['no-access-logs'],
      },
      { names: ['enforceSSL'], cfn: [], rules: ['s3-no-tls-policy'] },
      { names: ['blockPublicAccess'], cfn: ['PublicAccessBlockConfiguration'], rules: [] },
      removalPolicy(false),
    ],
  },
  { fqn: 'aws-cdk-lib.aws_lambda.Function', cfnType: 'AWS::Lambda::Function', props: functionProps },
  {
    fqn: 'aws-cdk-lib.aws_lambda_nodejs.NodejsFunction',
    cfnType: 'AWS::Lambda::Function',
    props: functionProps,
  },
  {
    fqn: 'aws-cdk-lib.aws_logs.LogGroup',
    cfnType: 'AWS::Logs::LogGroup',
    props: [
      { names: ['retention'], cfn: ['RetentionInDays'], rules: ['log-retention'] },
      removalPolicy(false),
    ],
  },
  {
    fqn: 'aws-cdk-lib.aws_efs.FileSystem',
    cfnType: 'AWS::EFS::FileSystem',
    props: [
      { names: ['encrypted', 'kmsKey'], cfn: ['Encrypted', 'KmsKeyId'], rules: ['unencrypted-storage'] },
      removalPolicy(false),
    ],
  },
  {
    fqn: 'aws-cdk-lib.aws_sns.Topic',
    cfnType: 'AWS::SNS::Topic',
    props: [{ names: ['masterKey'], cfn: ['KmsMasterKeyId'], rules: ['unencrypted-storage'] }],
  },
  {
    fqn: 'aws-cdk-lib.aws_stepfunctions.StateMachine',
    cfnType: 'AWS::StepFunctions::StateMachine',
    props: [{ names: ['tracingEnabled'], cfn: ['TracingConfiguration'], rules: ['no-tracing'] }],
  },
  {
    fqn: 'aws-cdk-lib.aws_kinesis.Stream',
    cfnType: 'AWS::Kinesis::Stream',
    props: [
      { names: ['encryption', 'encryptionKey'], cfn: ['StreamEncryption'], rules: ['unencrypted-storage'] },
      removalPolicy(false),
    ],
  },
];

const byFqn = new Map(l2Constructs.map((c) => [c.fqn, c]));

/** The L2 of a jsii name (from tree.json), or of a class name when the tree is missing. */
export function l2Of(
  fqn: string | undefined,
  className: string | undefined,
  cfnType: string | undefined,
): L2 | undefined {
  const known = fqn ? byFqn.get(fqn) : undefined;
  if (known) return known.cfnType === cfnType || cfnType === undefined ? known : undefined;
  if (fqn || !className) return undefined;
  // Without a tree, a class of the same name that renders the same CloudFormation type.
  return l2Constructs.find((c) => c.fqn.endsWith(`.${className}`) && c.cfnType === cfnType);
}

/** `rds.DatabaseInstance` for `aws-cdk-lib.aws_rds.DatabaseInstance`. */
export function labelOf(fqn: string): string {
  const parts = fqn.split('.');
  const name = parts[parts.length - 1];
  const module = parts.length > 2 ? parts[parts.length - 2].replace(/^aws_/, '') : undefined;
  return module ? `${module}.${name}` : name;
}

/** The prop a finding is about: by its rule first, else by the CloudFormation property it points at. */
export function propOf(l2: L2, ruleId: string, cfnProperty: string | undefined): L2Prop | undefined {
  const name = ruleId.slice(ruleId.indexOf('/') + 1);
  return (
    l2.props.find((p) => p.rules.includes(name)) ??
    (cfnProperty ? l2.props.find((p) => p.cfn.includes(cfnProperty)) : undefined)
  );
}

/** The Python name of a prop: jsii turns camelCase into snake_case (`enforceSSL` → `enforce_ssl`). */
export function pythonName(name: string): string {
  return nameWords(name).join('_');
}
