import rule from '../../../server/src/rules/cfn/sticky-sessions';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'target group stickiness in block YAML keeps quotes and comments',
      path: 'template.yaml',
      text: `Resources:
  WebTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: «'true'» # the app keeps carts in memory
        - Key: stickiness.type
          Value: lb_cookie
`,
      messages: [
        'Target group WebTargets pins each user to one target: stickiness.enabled is true, so whatever the app keeps on that instance is lost when it is replaced or scaled in.',
      ],
      messageIds: ['targetGroup'],
      fixed: `Resources:
  WebTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 8080
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: 'false' # the app keeps carts in memory
        - Key: stickiness.type
          Value: lb_cookie
`,
    },
    {
      name: 'flow style attributes with a boolean',
      path: 'template.yaml',
      text: `Resources:
  WebTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetGroupAttributes: [{Key: stickiness.enabled, Value: «true»}]}
`,
      fixed: `Resources:
  WebTargets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetGroupAttributes: [{Key: stickiness.enabled, Value: false}]}
`,
    },
    {
      name: 'JSON target group',
      path: 'template.json',
      text: `{
  "Resources": {
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "TargetGroupAttributes": [
          { "Key": "stickiness.enabled", "Value": «"true"» }
        ]
      }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "TargetGroupAttributes": [
          { "Key": "stickiness.enabled", "Value": "false" }
        ]
      }
    }
  }
}
`,
    },
    {
      name: 'through a parameter default and an Fn::If that uses it on both branches',
      path: 'template.yaml',
      text: `Parameters:
  Sticky:
    Type: String
    Default: 'true'
Resources:
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: «!If [IsProd, !Ref Sticky, 'true']»
`,
      messages: [
        /stickiness\.enabled is true \(the default of parameter Sticky; whichever way condition IsProd goes\)/,
      ],
      fixed: `Parameters:
  Sticky:
    Type: String
    Default: 'false'
Resources:
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: !If [IsProd, !Ref Sticky, 'false']
`,
    },
    {
      name: 'classic load balancer applying a cookie policy: policy and listener reference go',
      path: 'template.yaml',
      text: `Resources:
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      «LBCookieStickinessPolicy»:
        - PolicyName: Sticky
          CookieExpirationPeriod: '300'
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '8080'
          Protocol: HTTP
          PolicyNames: [Sticky]
`,
      messages: [/pins each user to one instance: its listeners apply LBCookieStickinessPolicy Sticky, so/],
      messageIds: ['classic'],
      fixed: `Resources:
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '8080'
          Protocol: HTTP
`,
    },
    {
      name: 'classic listener that also applies other policies: flagged, no fix',
      path: 'template.yaml',
      text: `Resources:
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      «AppCookieStickinessPolicy»: [{PolicyName: AppSticky, CookieName: SESSIONID}]
      Listeners:
        - {LoadBalancerPort: '443', InstancePort: '80', Protocol: HTTPS, PolicyNames: [AppSticky, TlsPolicy]}
`,
    },
    {
      name: 'long-form Fn::If in JSON with true on both branches',
      path: 'template.json',
      text: `{
  "Resources": {
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "TargetGroupAttributes": [
          { "Key": "stickiness.enabled", "Value": «{ "Fn::If": ["Legacy", "true", "true"] }» }
        ]
      }
    }
  }
}
`,
      messages: [/whichever way condition Legacy goes/],
      fixed: `{
  "Resources": {
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": {
        "TargetGroupAttributes": [
          { "Key": "stickiness.enabled", "Value": { "Fn::If": ["Legacy", "false", "false"] } }
        ]
      }
    }
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'stickiness off, or on only in one branch',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - {Key: stickiness.enabled, Value: 'false'}
        - {Key: deregistration_delay.timeout_seconds, Value: '30'}
  B:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - {Key: stickiness.enabled, Value: !If [Legacy, 'true', 'false']}
`,
    },
    {
      name: 'a classic policy that no listener applies',
      path: 'template.yaml',
      text: `Resources:
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      LBCookieStickinessPolicy: [{PolicyName: Unused}]
      Listeners: [{LoadBalancerPort: '80', InstancePort: '80', Protocol: HTTP}]
`,
    },
    {
      name: 'a parameter without a default',
      path: 'template.yaml',
      text: `Parameters:
  Sticky: {Type: String}
Resources:
  A:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes: [{Key: stickiness.enabled, Value: !Ref Sticky}]
`,
    },
    {
      name: 'values from an import or a custom resource are unknowable',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - {Key: stickiness.enabled, Value: !ImportValue shared-stickiness}
        - {Key: stickiness.type, Value: lb_cookie}
  B:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetGroupAttributes:
        - Key: stickiness.enabled
          Value: !GetAtt Settings.Sticky
  Settings:
    Type: Custom::Settings
`,
    },
  ],
});
