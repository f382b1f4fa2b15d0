import assert from 'node:assert/strict';
import { join } from 'node:path';
import { boundedWorkspace, inMemoryWorkspace } from '../../server/src/engine/workspace';
import { ApplicationModel } from '../../server/src/project/apps/model';
import { yamlDocuments } from '../../server/src/project/apps/kubernetes';

const root = '/repo';

function summarise(files: Record<string, string>, path: string) {
  const view = boundedWorkspace(
    inMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([p, t]) => [join(root, p), t]))),
    root,
  );
  const unit = new ApplicationModel(() => view).of(join(root, path));
  if (!unit) return undefined;
  return {
    root: unit.root.slice(root.length) || '/',
    runtimes: unit.runtimes.map(
      (r) =>
        `${r.name}: ${r.copies.words}${r.loadBalanced ? ', load balanced' : ''} [${r.environment.join(' ')}]${r.environmentKnown ? '' : ' +unknown'}` +
        `${r.mounts.map((m) => ` ${m.what}@${m.path}`).join('')}${r.mountsKnown ? '' : ' mounts?'} @${r.at.path.slice(root.length)}:${r.at.range.start.line + 1}:${r.at.range.start.character + 1}`,
    ),
    backing: unit.backing.map((b) => `${b.kind} ${b.name}`),
  };
}

const app = {
  'orders/server.js': 'require("express")().listen(3000);\n',
  'orders/Dockerfile': 'FROM node:20\n',
};

const deployment = (extra = '', container = '', kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: orders
  namespace: shop
spec:${extra}
  selector:
    matchLabels:
      app: orders
  template:
    metadata:
      labels:
        app: orders
    spec:
      containers:
        - name: api
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/orders:1.0${container}
`;

describe('application model: Kubernetes manifests', () => {
  it('splits a YAML stream at --- and ... lines only', () => {
    const text = 'a: 1\n---\nb: 2\n--- # two\nc: |\n  ---\n...\n';
    assert.deepEqual(
      yamlDocuments(text).map((d) => text.slice(d.start, d.end).trim()),
      ['a: 1', 'b: 2', '# two\nc: |\n  ---'],
    );
  });

  it('links a Deployment by its image name: replicas, env, envFrom, mounts, with exact places', () => {
    const manifest = `# the API\n---\n${deployment(
      '\n  replicas: 4',
      `
          env:
            - name: DB_HOST
              value: db
          envFrom:
            - secretRef:
                name: orders
          volumeMounts:
            - name: cache
              mountPath: /cache
            - name: uploads
              mountPath: /srv/uploads/
            - name: settings
              mountPath: /etc/orders
              readOnly: true
      volumes:
        - name: cache
          emptyDir: {}
        - name: uploads
          persistentVolumeClaim:
            claimName: orders-uploads
        - name: settings
          configMap:
            name: orders`,
    )}`;
    assert.deepEqual(summarise({ ...app, 'k8s/orders.yaml': manifest }, 'orders/server.js'), {
      root: '/orders',
      runtimes: [
        'Kubernetes Deployment orders: 4 replicas [DB_HOST] +unknown persistent volume claim orders-uploads@/srv/uploads @/k8s/orders.yaml:6:9',
      ],
      backing: [],
    });
  });

  it('counts a HorizontalPodAutoscaler of the same namespace, a DaemonSet as many, and a StatefulSet claim as lasting', () => {
    const hpa = (namespace: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: orders-hpa
  namespace: ${namespace}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: orders
  minReplicas: 2
  maxReplicas: 12
`;
    const files = { ...app, 'deploy/orders.yaml': deployment(), 'deploy/hpa.yaml': hpa('shop') };
    assert.deepEqual(summarise(files, 'orders/server.js')?.runtimes, [
      'Kubernetes Deployment orders: up to 12 replicas (HorizontalPodAutoscaler orders-hpa) [] @/deploy/orders.yaml:4:9',
    ]);
    assert.deepEqual(summarise({ ...files, 'deploy/hpa.yaml': hpa('other') }, 'orders/server.js')?.runtimes, [
      'Kubernetes Deployment orders: 1 replica [] @/deploy/orders.yaml:4:9',
    ]);
    assert.deepEqual(
      summarise({ ...app, 'k8s/ds.yaml': deployment('', '', 'DaemonSet') }, 'orders/server.js')?.runtimes,
      ['Kubernetes DaemonSet orders: one pod on every node (DaemonSet) [] @/k8s/ds.yaml:4:9'],
    );
    const stateful = deployment(
      '\n  replicas: 2\n  volumeClaimTemplates:\n    - metadata:\n        name: data',
      '\n          volumeMounts:\n            - name: data\n              mountPath: /data',
      'StatefulSet',
    );
    assert.deepEqual(summarise({ ...app, 'k8s/sts.yaml': stateful }, 'orders/server.js')?.runtimes, [
      'Kubernetes StatefulSet orders: 2 replicas [] persistent volume claim template data@/data @/k8s/sts.yaml:4:9',
    ]);
  });

  it('names a Redis Deployment beside the code as backing, and skips Helm templates and other images', () => {
    const redis = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  template:
    spec:
      containers:
        - name: redis
          image: bitnami/redis:7.2
`;
    assert.deepEqual(
      summarise({ ...app, 'k8s/orders.yaml': deployment(), 'k8s/cache.yaml': redis }, 'orders/server.js')
        ?.backing,
      ['redis Kubernetes Deployment cache (redis)'],
    );
    const helm = deployment().replace(
      'image: 123456789012',
      'image: {{ .Values.registry }}/shop/orders:{{ .Values.tag }}\n          x: 123456789012',
    );
    assert.equal(summarise({ ...app, 'templates/orders.yaml': helm }, 'orders/server.js'), undefined);
    assert.equal(
      summarise(
        { ...app, 'k8s/orders.yaml': deployment().replace('shop/orders:1.0', 'shop/billing:1.0') },
        'orders/server.js',
      ),
      undefined,
    );
  });
});

describe('application model: CDK apps', () => {
  const handler = 'exports.handler = async () => ({ statusCode: 200 });\n';

  it('resolves asset paths against the cdk.json folder and __dirname, with environment and concurrency', () => {
    const stack = `import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
export class Api extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const list = new lambda.Function(this, 'ListOrders', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('functions/list'),
      environment: { TABLE: table.tableName, STAGE: 'prod' },
      reservedConcurrentExecutions: 5,
    });
    list.addEnvironment('REGION_NAME', 'eu-west-1');
    new lambda.Function(this, 'GetOrder', {
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../functions/get')),
      environment: { ...common },
    });
  }
}
`;
    const files = {
      'cdk/cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
      'cdk/bin/app.ts': "import { Api } from '../lib/api';\nnew Api(app, 'Api');\n",
      'cdk/lib/api.ts': stack,
      'cdk/functions/list/index.js': handler,
      'cdk/functions/get/index.js': handler,
    };
    assert.deepEqual(summarise(files, 'cdk/functions/list/index.js'), {
      root: '/cdk/functions/list',
      runtimes: [
        'CDK Function ListOrders: up to 5 concurrent execution environments [TABLE STAGE REGION_NAME] @/cdk/lib/api.ts:6:44',
      ],
      backing: [],
    });
    assert.deepEqual(summarise(files, 'cdk/functions/get/index.js')?.runtimes, [
      'CDK Function GetOrder: one execution environment per concurrent request [] +unknown @/cdk/lib/api.ts:14:31',
    ]);
  });

  it('reads Python apps: os.path.join(os.path.dirname(__file__)), a FargateService with addContainer and auto scaling', () => {
    const stack = `import os
from aws_cdk import aws_ecs as ecs, aws_lambda as _lambda

class Workers(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        task = ecs.FargateTaskDefinition(self, "Task")
        task.add_container(
            "worker",
            image=ecs.ContainerImage.from_asset(os.path.join(os.path.dirname(__file__), "..", "worker")),
            environment={"QUEUE_URL": queue.queue_url},
            secrets={"DB_PASSWORD": secret},
        )
        service = ecs.FargateService(self, "WorkerService", cluster=cluster, task_definition=task, desired_count=2)
        scaling = service.auto_scale_task_count(max_capacity=8)
        _lambda.Function(self, "Resize", code=_lambda.Code.from_asset("resize"), handler="app.handler")
`;
    const files = {
      'cdk.json': JSON.stringify({ app: 'python3 app.py' }),
      'app.py': 'from infra.workers import Workers\n',
      'infra/workers.py': stack,
      'worker/main.py': 'print(1)\n',
      'resize/app.py': 'def handler(event, context):\n    return 1\n',
    };
    assert.deepEqual(summarise(files, 'worker/main.py'), {
      root: '/worker',
      runtimes: [
        'CDK FargateService WorkerService: up to 8 tasks (auto scaling) [QUEUE_URL DB_PASSWORD] @/infra/workers.py:14:44',
      ],
      backing: [],
    });
    assert.deepEqual(summarise(files, 'resize/app.py')?.runtimes, [
      'CDK Function Resize: one execution environment per concurrent request [] @/infra/workers.py:16:32',
    ]);
  });

  it('links a NodejsFunction to its entry before the other files of its folder', () => {
    const stack = `const a = new NodejsFunction(this, 'CreateOne', { entry: join(__dirname, 'lambdas', 'create.ts') });
const b = new NodejsFunction(this, 'GetAll', { entry: \`\${__dirname}/lambdas/get-all.ts\` });
`;
    const files = {
      'cdk.json': '{"app": "npx ts-node index.ts"}',
      'index.ts': stack,
      'lambdas/create.ts': handler,
      'lambdas/get-all.ts': handler,
      'lambdas/db.ts': handler,
    };
    assert.deepEqual(
      summarise(files, 'lambdas/create.ts')?.runtimes.map((r) => r.split(':')[0]),
      ['CDK NodejsFunction CreateOne'],
    );
    assert.deepEqual(
      summarise(files, 'lambdas/get-all.ts')?.runtimes.map((r) => r.split(':')[0]),
      ['CDK NodejsFunction GetAll'],
    );
    assert.deepEqual(
      summarise(files, 'lambdas/db.ts')?.runtimes.map((r) => r.split(':')[0]),
      ['CDK NodejsFunction CreateOne', 'CDK NodejsFunction GetAll'],
    );
  });
});
