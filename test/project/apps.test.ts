import assert from 'node:assert/strict';
import { join } from 'node:path';
import { boundedWorkspace, inMemoryWorkspace } from '../../server/src/engine/workspace';
import { ApplicationModel } from '../../server/src/project/apps/model';

const root = '/repo';

/** The application model over files in memory; `open` stands for the editor's unsaved texts. */
function model(files: Record<string, string>, open: Record<string, string> = {}) {
  const view = boundedWorkspace(
    inMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([p, t]) => [join(root, p), t]))),
    root,
  );
  return new ApplicationModel(
    () => view,
    (path) => open[path],
  );
}

/** What the model says of a file, in words: its root, its runtimes with their copies, its backing services. */
function summarise(files: Record<string, string>, path: string, open: Record<string, string> = {}) {
  const unit = model(files, open).of(join(root, path));
  if (!unit) return undefined;
  return {
    root: unit.root.slice(root.length) || '/',
    runtimes: unit.runtimes.map(
      (r) =>
        `${r.name}: ${r.copies.words}${r.loadBalanced ? ', load balanced' : ''} [${r.environment.join(' ')}]`,
    ),
    backing: unit.backing.map((b) => `${b.kind} ${b.name}`),
  };
}

const ecsTemplate = (
  container: string,
  service = 'DesiredCount: !Ref Count',
) => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Count:
    Type: Number
    Default: 3
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: team/orders-api
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - ${container}
          Environment:
            - Name: TABLE
              Value: !Ref Orders
          Secrets:
            - Name: DB_PASSWORD
              ValueFrom: arn:aws:secretsmanager:eu-west-1:111122223333:secret:db
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      ${service}
      LoadBalancers:
        - ContainerName: web
          ContainerPort: 8080
  Orders:
    Type: AWS::DynamoDB::Table
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      NumNodeGroups: 3
`;

describe('the application model', () => {
  it('links code to the compose service whose build context holds it, with its replicas and the services beside it', () => {
    const files = {
      'docker-compose.yml':
        'services:\n  api:\n    build:\n      context: ./services/api\n    deploy:\n      mode: global\n    environment:\n      REDIS_URL: redis://kv:6379\n  kv:\n    image: valkey/valkey:8\n  db:\n    image: postgres:16\n',
      'services/api/src/index.js': '',
    };
    assert.deepEqual(summarise(files, 'services/api/src/index.js'), {
      root: '/services/api',
      runtimes: ['compose service api: one replica on every node (global mode) [REDIS_URL]'],
      backing: ['redis compose service kv (valkey)', 'database compose service db (postgres)'],
    });
    assert.equal(summarise(files, 'tools/seed.js'), undefined, 'code outside every build context');
  });

  it('links an image to an ECS container by the repository of its image, with DesiredCount from the parameter default', () => {
    const files = {
      'orders-api/Dockerfile': 'FROM node:22\n',
      'orders-api/server.js': '',
      'infra/stack.yaml': ecsTemplate(
        `Name: web\n          Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/\${Repo}:1'`,
      ),
    };
    assert.deepEqual(summarise(files, 'orders-api/server.js'), {
      root: '/orders-api',
      runtimes: ['ECS service Service: 3 tasks, load balanced [TABLE DB_PASSWORD]'],
      backing: ['dynamodb DynamoDB table Orders', 'redis ElastiCache Redis Cache'],
    });
    // A cache in cluster mode is declared, but no one endpoint reaches all of it.
    const unit = model(files).of(join(root, 'orders-api/server.js'))!;
    assert.equal(unit.wiring(unit.backing[1]), undefined);
  });

  it('does not link by generic names, and counts auto scaling', () => {
    const generic = {
      'api/Dockerfile': 'FROM node:22\n',
      'api/server.js': '',
      'infra/stack.yaml': ecsTemplate('Name: api\n          Image: example/api:1'),
    };
    assert.equal(summarise(generic, 'api/server.js'), undefined);
    const named = {
      ...generic,
      'api/package.json': '{ "name": "@shop/orders-api" }',
      'infra/stack.yaml':
        ecsTemplate('Name: orders-api\n          Image: example/orders-api:1', 'DesiredCount: 1') +
        '  Scaling:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ResourceId: !Sub service/main/${Service.Name}\n      MaxCapacity: 8\n      MinCapacity: 1\n',
    };
    assert.deepEqual(summarise(named, 'api/server.js')?.runtimes, [
      'ECS service Service: up to 8 tasks (auto scaling), load balanced [TABLE DB_PASSWORD]',
    ]);
  });

  it('counts a single task behind a load balancer as two while a deployment replaces it', () => {
    const files = (service: string) => ({
      'orders-api/Dockerfile': 'FROM node:22\n',
      'orders-api/server.js': '',
      'infra/stack.yaml': ecsTemplate('Name: orders-api\n          Image: example/orders-api:1', service),
    });
    assert.deepEqual(summarise(files('DesiredCount: 1'), 'orders-api/server.js')?.runtimes, [
      'ECS service Service: 1 task behind a load balancer, and 2 while each deployment replaces it, load balanced [TABLE DB_PASSWORD]',
    ]);
    const stopFirst = 'DesiredCount: 1\n      DeploymentConfiguration:\n        MaximumPercent: 100';
    assert.deepEqual(summarise(files(stopFirst), 'orders-api/server.js')?.runtimes, [
      'ECS service Service: 1 task, load balanced [TABLE DB_PASSWORD]',
    ]);
  });

  it('links Lambda code by CodeUri, with Globals and reserved concurrency', () => {
    const template = (extra: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: functions/
    Environment:
      Variables:
        STAGE: prod
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.handler${extra}
`;
    const files = { 'template.yaml': template(''), 'functions/orders.py': '' };
    assert.deepEqual(summarise(files, 'functions/orders.py'), {
      root: '/functions',
      runtimes: ['Lambda function Orders: one execution environment per concurrent request [STAGE]'],
      backing: [],
    });
    const one = {
      'template.yaml': template('\n      ReservedConcurrentExecutions: 1'),
      'functions/orders.py': '',
    };
    assert.deepEqual(summarise(one, 'functions/orders.py')?.runtimes, [
      'Lambda function Orders: one execution environment at a time [STAGE]',
    ]);
  });

  it('follows the unsaved text of an open compose file', () => {
    const compose = 'services:\n  web:\n    build: .\n';
    const files = { 'docker-compose.yml': compose, 'app.py': '' };
    assert.deepEqual(summarise(files, 'app.py')?.runtimes, ['compose service web: 1 container []']);
    assert.deepEqual(
      summarise(files, 'app.py', { [join(root, 'docker-compose.yml')]: `${compose}    scale: 4\n` })
        ?.runtimes,
      ['compose service web: 4 replicas []'],
    );
  });
});
