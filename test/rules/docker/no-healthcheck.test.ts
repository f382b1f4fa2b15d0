import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import rule from '../../../server/src/rules/docker/no-healthcheck';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'compose: a Swarm service and a database it depends on',
      path: 'compose.yaml',
      text: `services:
  «api»:
    image: example/api:1.4.2
    ports:
      - "8080:8080"
    depends_on:
      - db
    deploy:
      replicas: 2
  «db»:
    image: postgres:16
`,
      messages: [
        'Service api has no healthcheck: Swarm cannot tell a hung task from a working one, so it never replaces it.',
        'Service db has no healthcheck: api cannot wait until it is ready, and a hung db looks like a working one.',
      ],
      messageIds: ['swarm', 'waitedFor'],
      fixed: `services:
  api:
    image: example/api:1.4.2
    ports:
      - "8080:8080"
    depends_on:
      - db
    deploy:
      replicas: 2
    healthcheck:
      test:
        - CMD-SHELL
        - 'curl -fsS http://127.0.0.1:8080/health || exit 1'
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
  db:
    image: postgres:16
    healthcheck:
      test:
        - CMD
        - pg_isready
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
`,
    },
    {
      name: 'compose: a built service whose Dockerfile has no HEALTHCHECK',
      path: 'app/compose.yaml',
      files: { '/work/app/web/Dockerfile': 'FROM nginx:1.27\n' },
      text: `services:
  «web»:
    build: ./web
    expose: ["80"]
    restart: unless-stopped
  proxy:
    image: traefik:v3.1
    depends_on: [web]
    healthcheck:
      test: ["CMD", "traefik", "healthcheck"]
`,
      fixed: `services:
  web:
    build: ./web
    expose: ["80"]
    restart: unless-stopped
    healthcheck:
      test:
        - CMD-SHELL
        - 'curl -fsS http://127.0.0.1:80/health || exit 1'
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
  proxy:
    image: traefik:v3.1
    depends_on: [web]
    healthcheck:
      test: ["CMD", "traefik", "healthcheck"]
`,
    },
    {
      name: 'ECS: an essential container without HealthCheck, YAML and JSON',
      path: 'ecs.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: «worker»
          Image: example/worker:2.1
          PortMappings:
            - ContainerPort: 9000
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:2.32.2
          Essential: false
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`,
      messages: [
        'Container worker of Task has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
      ],
      messageIds: ['container'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: worker
          Image: example/worker:2.1
          PortMappings:
            - ContainerPort: 9000
          HealthCheck:
            Command:
              - CMD-SHELL
              - 'curl -f http://localhost:9000/health || exit 1'
            Interval: 30
            Timeout: 5
            Retries: 3
            StartPeriod: 60
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:2.32.2
          Essential: false
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`,
    },
    {
      name: 'ECS: a private service container named by a parameter',
      path: 'private.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: «!Ref ServiceName»
          Image: !Ref ImageUrl
          PortMappings:
            - ContainerPort: !Ref ContainerPort
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
`,
      messages: [
        'Container (Ref ServiceName) of TaskDefinition has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
      ],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Ref ServiceName
          Image: !Ref ImageUrl
          PortMappings:
            - ContainerPort: !Ref ContainerPort
          HealthCheck:
            Command:
              - CMD-SHELL
              - 'curl -f http://localhost:8080/health || exit 1'
            Interval: 30
            Timeout: 5
            Retries: 3
            StartPeriod: 60
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
`,
    },
  ],
  clean: [
    {
      name: 'compose: a Redis the app depends on answers as soon as it starts, so nothing waits for it',
      path: 'compose.yaml',
      text: `services:
  web:
    image: example/web:1.4.2
    depends_on: [cache]
  cache:
    image: redis:7.4-alpine
`,
    },
    {
      name: 'a test stack, by its name or by its sut service, is run once and thrown away',
      path: 'docker-compose.test.yml',
      text: `services:
  tests:
    image: example/api-tests:1.4
    depends_on: [api]
  api:
    image: example/api:2.0
    depends_on: [db]
  db:
    image: postgres:16
`,
    },
    {
      name: "Docker Hub's automated tests: a sut service in a stack of any name",
      path: 'stack.yml',
      text: `services:
  sut:
    build: ./tests
    depends_on: [web]
  web:
    image: example/web:3.1
`,
    },
    {
      name: 'compose: checked, disabled, one-shot, published but not waited for, built with a HEALTHCHECK, image with its own, partial override',
      path: 'app/docker-compose.yml',
      files: {
        '/work/app/Dockerfile':
          'FROM node:22-slim\nHEALTHCHECK CMD node healthcheck.js\nCMD ["node", "server.js"]\n',
      },
      text: `services:
  api:
    build: .
    ports: ["3000:3000"]
    depends_on:
      migrate:
        condition: service_completed_successfully
      cache:
        condition: service_healthy
  migrate:
    image: example/migrate:1.0
    ports: ["9999:9999"]
  cache:
    image: redis:7.4
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  proxy:
    image: traefik:v3.1
    ports: ["80:80"]
    healthcheck:
      disable: true
  worker:
    image: example/worker:1.0
    ports: ["9000:9000"]
  gateway:
    image: example/gateway:1.0
    depends_on: [api]
    healthcheck:
      test: ["CMD", "true"]
  dns:
    image: pihole/pihole:2024.07.0
    ports: ["53:53/udp"]
  client:
    image: example/client:1.0
    depends_on: [dns]
    healthcheck:
      test: ["CMD", "true"]
  web:
    ports: ["8080:80"]
`,
    },
    {
      name: 'ECS: a task definition that no service runs is a one-off task',
      path: 'tasks.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ReportTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: report
          Image: example/report:1.0
`,
    },
    {
      name: 'ECS: a container named by a parameter behind a load balancer that names it the same way',
      path: 'service.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ServiceName:
    Type: String
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Ref ServiceName
          Image: example/web:1.0
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
      LoadBalancers:
        - ContainerName: !Ref ServiceName
          ContainerPort: 80
          TargetGroupArn: !Ref TargetGroup
`,
    },
    {
      name: 'ECS: a container behind a load balancer, and one with a HealthCheck',
      path: 'ecs.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: example/web:1.0
        - Name: api
          Image: example/api:1.0
          HealthCheck:
            Command: [CMD-SHELL, "curl -f http://localhost:8080/health || exit 1"]
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      LoadBalancers:
        - ContainerName: web
          ContainerPort: 80
          TargetGroupArn: !Ref TargetGroup
`,
    },
  ],
});

describe(`${rule.id} on a compose file, with the Dockerfile it builds`, () => {
  const compose = `services:
  api:
    build: .
  web:
    image: example/web:1.0
    depends_on: [api]
    healthcheck:
      test: ["CMD", "true"]
`;
  const findings = async (dockerfile: string) =>
    (
      await new Analyzer({
        rules: [rule],
        workspace: inMemoryWorkspace({ '/work/cached/Dockerfile': dockerfile }),
      }).analyze({ path: '/work/cached/compose.yaml', text: compose })
    ).findings.map((f) => f.message);

  it('follows the Dockerfile as it changes, though its verdict is kept between keystrokes', async () => {
    const without = 'FROM node:22-slim\nCMD ["node", "server.js"]\n';
    const withCheck = 'FROM node:22-slim\nHEALTHCHECK CMD node check.js\nCMD ["node", "server.js"]\n';
    assert.equal((await findings(without)).length, 1);
    assert.equal((await findings(without)).length, 1);
    assert.deepEqual(await findings(withCheck), []);
    assert.equal((await findings(without)).length, 1);
  });
});
