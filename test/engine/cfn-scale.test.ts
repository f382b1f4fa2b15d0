import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fix-all';
import { fixKinds } from '../../server/src/engine/rule';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

// Templates as large or as hostile as CloudFormation accepts are analysed in bounded time, with
// every rule and every fix: each walk visits a node once, each lookup is indexed once per template.

const templateRules = allRules.filter((rule) => rule.checks.cfn || rule.checks.any);
const analyzer = new Analyzer({
  rules: templateRules,
  workspace: inMemoryWorkspace(),
  // No budget: the point is that no rule comes near one.
  limits: { ruleMs: Infinity, fileMs: Infinity },
  log: (message) => {
    throw new Error(message);
  },
});

/** CPU milliseconds spent by `work` (less sensitive than the clock to a busy machine). */
async function cpuTime(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Analyse with every rule and compute every fix, as the CLI does. */
async function analyseWithFixes(text: string) {
  const result = await analyzer.analyze({ path: '/work/template.yaml', text });
  assert.deepEqual(result.failures, []);
  return result;
}

/**
 * A template of about `count` resources, in groups that point at each other the way real stacks
 * do: a function with its role, queue, table and log group, a bucket with its policy, an
 * instance in a security group with a volume, an alarm on the function.
 */
function stack(count: number): string {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i * 11 < count; i++) {
    lines.push(
      `  Orders${i}:`,
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      `      Role: !GetAtt Role${i}.Arn`,
      '      Runtime: nodejs20.x',
      '      Handler: index.handler',
      '      Code: {ZipFile: "exports.handler = async () => 1"}',
      `      Environment: {Variables: {TABLE: !Ref Table${i}, QUEUE: !Ref Queue${i}}}`,
      `  Role${i}:`,
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}',
      `      Policies: [{PolicyName: data, PolicyDocument: {Statement: [{Effect: Allow, Action: "dynamodb:*", Resource: !GetAtt Table${i}.Arn}]}}]`,
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      `  Table${i}:`,
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      BillingMode: PAY_PER_REQUEST',
      '      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
      '      KeySchema: [{AttributeName: id, KeyType: HASH}]',
      `  Logs${i}:`,
      '    Type: AWS::Logs::LogGroup',
      `    Properties: {LogGroupName: !Sub "/aws/lambda/\${Orders${i}}"}`,
      `  Uploads${i}:`,
      '    Type: AWS::S3::Bucket',
      `  UploadsPolicy${i}:`,
      '    Type: AWS::S3::BucketPolicy',
      `    Properties: {Bucket: !Ref Uploads${i}, PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: cloudfront.amazonaws.com}, Action: "s3:GetObject", Resource: !Sub "\${Uploads${i}.Arn}/*"}]}}`,
      `  Web${i}:`,
      '    Type: AWS::EC2::SecurityGroup',
      `    Properties: {GroupDescription: web, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/0}]}`,
      `  Host${i}:`,
      '    Type: AWS::EC2::Instance',
      `    Properties: {ImageId: ami-0abcdef1234567890, InstanceType: t3.micro, SecurityGroupIds: [!Ref Web${i}]}`,
      `  Disk${i}:`,
      '    Type: AWS::EC2::Volume',
      `    Properties: {Size: 10, AvailabilityZone: !GetAtt Host${i}.AvailabilityZone}`,
      `  Errors${i}:`,
      '    Type: AWS::CloudWatch::Alarm',
      `    Properties: {AlarmName: orders-errors-${i}, Namespace: AWS/Lambda, MetricName: Errors, Dimensions: [{Name: FunctionName, Value: !Ref Orders${i}}], Statistic: Sum, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanThreshold}`,
    );
  }
  return lines.join('\n') + '\n';
}

describe('template analysis at scale', function () {
  this.timeout(120_000);

  it('analyses 8,000 resources (1.4 MB, past CloudFormation’s 1 MB limit) with every rule and fix within seconds, growing linearly', async () => {
    const small = stack(2_000);
    const large = stack(8_000);
    assert.ok(large.length > 900_000 && large.length < 1_500_000, `size ${large.length}`);
    await analyseWithFixes(stack(200)); // warm-up: compile the rules' code paths
    const smallMs = await cpuTime(() => analyseWithFixes(small));
    let findings = 0;
    const largeMs = await cpuTime(async () => {
      findings = (await analyseWithFixes(large)).findings.length;
    });
    assert.ok(findings > 8_000, `findings ${findings}`);
    assert.ok(largeMs < 6_000, `8,000 resources took ${largeMs.toFixed(0)} ms of CPU`);
    // Four times the resources: linear work takes about four times as long, quadratic sixteen.
    assert.ok(largeMs / smallMs < 8, `grew ${(largeMs / smallMs).toFixed(1)}× for 4× the resources`);
  });

  it('reads a YAML alias bomb that resource properties refer to once per node', async () => {
    // Nine levels of nine: 9^9 leaves if every alias were expanded, 1.5 KB of text.
    const levels = [
      '    l0: &l0 {Password: hunter2hunter2, Token: abcdefabcdef, Name: DB_PASSWORD, Value: x}',
    ];
    for (let i = 1; i <= 8; i++)
      levels.push(`    l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
    const text = [
      'Mappings:',
      '  Bomb:',
      ...levels,
      'Resources:',
      '  Orders:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      Environment: {Variables: {SECRETS: *l8}}',
      '      Tags: *l8',
      '      Layers: *l8',
      '      UserData: *l8',
      '  Host:',
      '    Type: AWS::EC2::Instance',
      '    Properties: *l8',
      '  Db:',
      '    Type: AWS::RDS::DBInstance',
      '    Properties: {Engine: postgres, MasterUserPassword: *l8, Tags: *l8}',
      '',
    ].join('\n');
    assert.ok(text.length < 2_000);
    const ms = await cpuTime(() => analyseWithFixes(text));
    assert.ok(ms < 5_000, `the alias bomb took ${ms.toFixed(0)} ms of CPU`);
  });

  it('never writes into Properties chosen by Fn::If: every fix leaves a template that parses', async () => {
    const text = `Conditions:
  Public: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: !If
      - Public
      - Scheme: internet-facing
        Subnets: [subnet-1, subnet-2]
      - Scheme: internal
        Subnets: [subnet-3, subnet-4]
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Fn::If:
        - Public
        - {Engine: postgres, DBInstanceClass: db.t4g.small, MultiAZ: true}
        - {Engine: postgres, DBInstanceClass: db.t4g.micro, MultiAZ: true}
`;
    const fixed = await fixAll(analyzer, { path: '/work/template.yaml', text }, { kinds: fixKinds });
    const after = await analyzer.analyze({ path: '/work/template.yaml', text: fixed.text });
    assert.deepEqual(
      after.problems.filter((p) => p.fatal || /syntax/i.test(p.message)).map((p) => p.message),
      [],
    );
    const resources = after.findings.filter((f) => f.resource === 'Balancer' || f.resource === 'Db');
    assert.deepEqual(
      resources.map((f) => f.ruleId),
      [],
      'the resources themselves are not judged',
    );
    for (const branch of [
      'Scheme: internet-facing\n        Subnets: [subnet-1, subnet-2]\n',
      'MultiAZ: true}',
    ])
      assert.ok(fixed.text.includes(branch), 'the branches are as written');
  });
});
