import rule from '../../../server/src/rules/cfn/asg-no-update-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'group without an update policy (YAML): one at a time, keeping the minimum',
      path: 'template.yaml',
      text: `Resources:
  «WebServers»:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2' # one per zone
      MaxSize: '4'
`,
      messages: [
        'Auto Scaling group WebServers has no UpdatePolicy: a new launch template or configuration reaches running instances only when they happen to be replaced.',
      ],
      messageIds: ['noPolicy'],
      fixed: `Resources:
  WebServers:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingRollingUpdate:
        MinInstancesInService: 2
        MaxBatchSize: 1
    Properties:
      MinSize: '2' # one per zone
      MaxSize: '4'
`,
    },
    {
      name: 'a group created with signals waits for them on update (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Workers"»: {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "CreationPolicy": { "ResourceSignal": { "Count": "1", "Timeout": "PT10M" } },
      "Properties": { "MinSize": "1", "MaxSize": "1" }
    }
  }
}
`,
      messageIds: ['noPolicy'],
      fixed: `{
  "Resources": {
    "Workers": {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "UpdatePolicy": {
        "AutoScalingRollingUpdate": {
          "MaxBatchSize": 1,
          "WaitOnResourceSignals": true,
          "PauseTime": "PT10M"
        }
      },
      "CreationPolicy": { "ResourceSignal": { "Count": "1", "Timeout": "PT10M" } },
      "Properties": { "MinSize": "1", "MaxSize": "1" }
    }
  }
}
`,
    },
    {
      name: 'only a scheduled-action policy, in flow style',
      path: 'template.yaml',
      text: `Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    «UpdatePolicy»: {AutoScalingScheduledAction: {IgnoreUnmodifiedGroupSizeProperties: true}}
    Properties: {MinSize: !Ref Min, MaxSize: '6'}
`,
      messages: [/has an UpdatePolicy that never replaces instances/],
      messageIds: ['neverReplaces'],
      fixed: `Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy: {AutoScalingScheduledAction: {IgnoreUnmodifiedGroupSizeProperties: true}, AutoScalingRollingUpdate: {MaxBatchSize: 1}}
    Properties: {MinSize: !Ref Min, MaxSize: '6'}
`,
    },
    {
      name: 'a replacing update switched off through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  Replace: {Type: String, Default: 'false'}
Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    «UpdatePolicy»:
      AutoScalingReplacingUpdate:
        WillReplace: !Ref Replace
`,
      messageIds: ['neverReplaces'],
      fixed: `Parameters:
  Replace: {Type: String, Default: 'false'}
Resources:
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate:
        WillReplace: !Ref Replace
      AutoScalingRollingUpdate:
        MaxBatchSize: 1
`,
    },
  ],
  clean: [
    {
      name: 'rolling and replacing updates',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingRollingUpdate: {MaxBatchSize: 2}
  B:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate: {WillReplace: true}
`,
    },
    {
      name: 'a rolling update on one branch of Fn::If, and a replacing switch without a default',
      path: 'template.yaml',
      text: `Parameters:
  Replace: {Type: String}
Resources:
  A:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy: !If [IsProd, {AutoScalingRollingUpdate: {MaxBatchSize: 1}}, !Ref AWS::NoValue]
  B:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate: {WillReplace: !Ref Replace}
`,
    },
    {
      name: 'suppressed by a next-line comment',
      path: 'template.yaml',
      text: `Resources:
  # cloud-lessons-disable-next-line immutable-infrastructure/asg-no-update-policy -- instances are refreshed by the pipeline
  Web:
    Type: AWS::AutoScaling::AutoScalingGroup
`,
    },
  ],
});
