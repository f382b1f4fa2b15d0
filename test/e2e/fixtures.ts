/**
 * The workspace the extension-host suite opens (written to a fresh temporary folder for each
 * run). The suite imports it too, to know the text it started from.
 */
export const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

export const pythonApp = `import requests


def prices():
    return requests.get("https://pricing.internal/prices").json()
`;

/** An app whose code keeps sessions in memory, and the template that runs it as two tasks beside a Redis. */
export const shopServer = `const express = require('express');
const session = require('express-session');

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET ?? 'dev', resave: false, saveUninitialized: false }));

app.get('/cart', (req, res) => res.json(req.session.cart ?? []));

app.listen(3000);
`;

export const shopTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ShopImages:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: shop-api
  ShopTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities:
        - FARGATE
      ContainerDefinitions:
        - Name: shop-api
          Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/\${ShopImages}:1.0.0'
          Environment:
            - Name: NODE_ENV
              Value: production
  ShopService:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      TaskDefinition: !Ref ShopTask
      DesiredCount: 2
  SessionCache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      Engine: redis
      CacheNodeType: cache.t4g.small
      NumCacheNodes: 1
`;

export const editorWorkspace: Record<string, string> = {
  'infra/template.yaml': template,
  'app.py': pythonApp,
  // Languages VS Code may lack: a Containerfile is a Dockerfile, a .template a CloudFormation template.
  'images/Containerfile': 'FROM node:22-slim\nWORKDIR /app\nCMD ["node", "server.js"]\n',
  'stacks/orders.template': template.replace('OrdersDb', 'LegacyDb'),
  // Left out of a workspace scan: by .gitignore, and by files.exclude.
  '.gitignore': 'generated/\n',
  'generated/template.yaml': template.replace('OrdersDb', 'GeneratedDb'),
  'vendor/template.yaml': template.replace('OrdersDb', 'VendorDb'),
  // One application across files: the code, its image and the template that runs it.
  'shop-api/server.js': shopServer,
  'shop-api/package.json': JSON.stringify({ name: 'shop-api', main: 'server.js' }, null, 2),
  'shop-api/Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n',
  'deploy/shop.yaml': shopTemplate,
  '.vscode/settings.json': JSON.stringify({ 'files.exclude': { '**/vendor': true } }, null, 2),
};

/**
 * Skip a suite whose editor is not installed, with the reason. CI sets
 * CLOUD_LESSONS_REQUIRE_EDITORS after installing them, so that a broken install fails the run
 * instead of hiding behind skipped tests.
 */
export function skipWithoutEditor(context: Mocha.Context, reason: string): void {
  if (process.env.CLOUD_LESSONS_REQUIRE_EDITORS) {
    throw new Error(`${reason} (CLOUD_LESSONS_REQUIRE_EDITORS is set, so this fails instead of skipping)`);
  }
  console.log(`    skipped: ${reason}`);
  context.skip();
}
