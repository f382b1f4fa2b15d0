import rule from '../../../server/src/rules/cfn/ecs-no-rollback';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'service without a deployment configuration (YAML)',
      path: 'template.yaml',
      text: `Resources:
  «Orders»:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      DesiredCount: 3 # one per zone
`,
      messages: [/^ECS service Orders has no deployment circuit breaker: /],
      messageIds: ['noBreaker'],
      fixed: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      DesiredCount: 3 # one per zone
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
`,
    },
    {
      name: 'deployment configuration without a breaker (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Orders"»: {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "DeploymentConfiguration": {
          "MaximumPercent": 200,
          "MinimumHealthyPercent": 100
        }
      }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Orders": {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "DeploymentConfiguration": {
          "MaximumPercent": 200,
          "MinimumHealthyPercent": 100,
          "DeploymentCircuitBreaker": {
            "Enable": true,
            "Rollback": true
          }
        }
      }
    }
  }
}
`,
    },
    {
      name: 'breaker that stops but does not roll back (flow style)',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration: {DeploymentCircuitBreaker: {Enable: true, Rollback: «false»}}
`,
      messages: [/does not roll it back: Rollback is false, so/],
      messageIds: ['rollbackOff'],
      fixed: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration: {DeploymentCircuitBreaker: {Enable: true, Rollback: true}}
`,
    },
    {
      name: 'breaker on, rollback left out: the finding points at the breaker',
      path: 'template.yaml',
      text: `Resources:
  Payments:
    Type: AWS::ECS::Service
    Properties:
      DesiredCount: 2
      DeploymentConfiguration:
        MinimumHealthyPercent: 100
        «DeploymentCircuitBreaker»:
          Enable: true
`,
      messages: [
        'ECS service Payments stops a failing deployment but does not roll it back: Rollback is not set, so the service is left on the broken version.',
      ],
      messageIds: ['rollbackNotSet'],
      fixed: `Resources:
  Payments:
    Type: AWS::ECS::Service
    Properties:
      DesiredCount: 2
      DeploymentConfiguration:
        MinimumHealthyPercent: 100
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
`,
    },
    {
      name: 'breaker switched off through a parameter default, rollback left out',
      path: 'template.yaml',
      text: `Parameters:
  UseBreaker:
    Type: String
    Default: 'false'
Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: «!Ref UseBreaker»
`,
      messages: [/switched off \(the default of parameter UseBreaker\)/],
      messageIds: ['breakerOff'],
      fixed: `Parameters:
  UseBreaker:
    Type: String
    Default: 'true'
Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: !Ref UseBreaker
          Rollback: true
`,
    },
    {
      name: 'breaker off on both branches of Fn::If',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: «!If [IsProd, false, false]»
          Rollback: true
`,
      messages: [/switched off \(whichever way condition IsProd goes\)/],
      fixed: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker:
          Enable: !If [IsProd, true, true]
          Rollback: true
`,
    },
    {
      name: 'alarms that do not roll back do not count',
      path: 'template.yaml',
      text: `Resources:
  «Orders»:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        Alarms: {AlarmNames: [!Ref Errors], Enable: true, Rollback: false}
`,
      fixed: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        Alarms: {AlarmNames: [!Ref Errors], Enable: true, Rollback: false}
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
`,
    },
  ],
  clean: [
    {
      name: 'circuit breaker with rollback',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: 'true'}
`,
    },
    {
      name: 'rollback on CloudWatch alarms',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        Alarms: {AlarmNames: [!Ref Errors], Enable: true, Rollback: true}
`,
    },
    {
      name: 'CodeDeploy blue/green and external controllers',
      path: 'template.yaml',
      text: `Resources:
  Blue:
    Type: AWS::ECS::Service
    Properties:
      DeploymentController: {Type: CODE_DEPLOY}
  Other:
    Type: AWS::ECS::Service
    Properties:
      DeploymentController:
        Type: EXTERNAL
`,
    },
    {
      name: 'breaker on one branch, and unknowable values',
      path: 'template.yaml',
      text: `Parameters:
  Breaker: {Type: String}
Resources:
  A:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: !If [IsProd, true, false], Rollback: true}
  B:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: !Ref Breaker, Rollback: true}
  C:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration: !If [IsProd, {DeploymentCircuitBreaker: {Enable: true, Rollback: true}}, !Ref AWS::NoValue]
`,
    },
    {
      name: 'long-form values: an imported switch and a custom resource attribute',
      path: 'template.json',
      text: `{
  "Resources": {
    "A": {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "DeploymentConfiguration": {
          "DeploymentCircuitBreaker": { "Enable": { "Fn::ImportValue": "breaker" }, "Rollback": true }
        }
      }
    },
    "B": {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "DeploymentConfiguration": {
          "DeploymentCircuitBreaker": { "Enable": true, "Rollback": { "Fn::GetAtt": ["Policy", "Rollback"] } }
        }
      }
    },
    "Policy": { "Type": "Custom::Policy" }
  }
}
`,
    },
  ],
});
