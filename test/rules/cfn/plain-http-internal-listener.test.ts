import rule from '../../../server/src/rules/cfn/plain-http-internal-listener';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'an internal ALB with an HTTPS listener beside the plain one: redirected',
      path: 'template.yaml',
      text: `Resources:
  Backend:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: [!Ref PrivateA, !Ref PrivateB]}
  Secure:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Backend, Protocol: HTTPS, Port: 8443}
  Clear:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Backend, Protocol: «HTTP», Port: 80, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Pool}]}
`,
      messages: [
        'Listener Clear serves plain HTTP on its internal load balancer without redirecting to HTTPS: anyone who can reach the VPC, or a compromised host in it, can read and change the traffic.',
      ],
      messageIds: ['plainHttpInternal'],
      fixed: `Resources:
  Backend:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: [!Ref PrivateA, !Ref PrivateB]}
  Secure:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Backend, Protocol: HTTPS, Port: 8443}
  Clear:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Backend, Protocol: HTTP, Port: 80, DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '8443', StatusCode: HTTP_301}}]}
`,
    },
    {
      name: 'an internal Classic Load Balancer on HTTP (no fix: it cannot redirect)',
      path: 'template.yaml',
      text: `Resources:
  LedgerElb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Scheme: internal
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '9000'
          Protocol: «HTTP»
`,
      messages: [
        'Classic Load Balancer LedgerElb serves plain HTTP inside the network: anyone who can reach the VPC can read the traffic, and a Classic Load Balancer cannot redirect, so serve HTTPS only or move to an Application Load Balancer.',
      ],
      messageIds: ['classicHttpInternal'],
    },
  ],
  clean: [
    {
      name: 'internet-facing listeners and outdated TLS belong to plain-http-listener',
      path: 'template.yaml',
      text: `Resources:
  Edge:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  EdgeHttp:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Edge, Protocol: HTTP, DefaultActions: [{Type: forward}]}
  Inner:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  InnerTls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Inner, Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-2016-08}
  PublicElb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{LoadBalancerPort: '80', InstancePort: '80', Protocol: HTTP}]
`,
    },
    {
      name: 'an internal listener that already redirects to HTTPS',
      path: 'template.yaml',
      text: `Resources:
  Inner:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Inner, Protocol: HTTP, DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS}}]}
`,
    },
  ],
});
