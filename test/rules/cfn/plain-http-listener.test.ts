import rule from '../../../server/src/rules/cfn/plain-http-listener';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'HTTP listener forwarding beside an HTTPS listener: the fix redirects (block YAML)',
      path: 'template.yaml',
      text: `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 8443
      Protocol: HTTPS
      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: «HTTP»
      DefaultActions:
        - Type: forward # to the app
          TargetGroupArn: !Ref Web
      Certificates: []
`,
      messages: [
        'Listener Http serves plain HTTP on its load balancer without redirecting to HTTPS: what users send crosses the network in clear text.',
      ],
      messageIds: ['plainHttp'],
      fixed: `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 8443
      Protocol: HTTPS
      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig:
            Protocol: HTTPS
            Port: '8443'
            StatusCode: HTTP_301
      Certificates: []
`,
    },
    {
      name: 'flow style and JSON get the redirect in their own style',
      path: 'template.json',
      text: `{
  "Resources": {
    "Alb": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer" },
    "Https": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": { "LoadBalancerArn": { "Ref": "Alb" }, "Protocol": "HTTPS", "Port": 443 }
    },
    "Http": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": {
        "LoadBalancerArn": { "Ref": "Alb" },
        "Protocol": «"HTTP"»,
        "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "Web" } }]
      }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Alb": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer" },
    "Https": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": { "LoadBalancerArn": { "Ref": "Alb" }, "Protocol": "HTTPS", "Port": 443 }
    },
    "Http": {
      "Type": "AWS::ElasticLoadBalancingV2::Listener",
      "Properties": {
        "LoadBalancerArn": { "Ref": "Alb" },
        "Protocol": "HTTP",
        "DefaultActions": [
          {
            "Type": "redirect",
            "RedirectConfig": {
              "Protocol": "HTTPS",
              "Port": "443",
              "StatusCode": "HTTP_301"
            }
          }
        ]
      }
    }
  }
}
`,
    },
    {
      name: 'YAML flow map',
      path: 'template.yaml',
      text: `Resources:
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
  Https: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Alb, Protocol: HTTPS}}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Protocol: «HTTP», DefaultActions: [{Type: forward}]}
`,
      fixed: `Resources:
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
  Https: {Type: AWS::ElasticLoadBalancingV2::Listener, Properties: {LoadBalancerArn: !Ref Alb, Protocol: HTTPS}}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Protocol: HTTP, DefaultActions: [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]}
`,
    },
    {
      name: 'no HTTPS listener to redirect to: no fix; an internal load balancer is information',
      path: 'template.yaml',
      text: `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Protocol: «HTTP», DefaultActions: [{Type: forward}]}
`,
      messages: [/on its internal load balancer/],
      messageIds: ['plainHttpInternal'],
    },
    {
      name: 'a protocol from a parameter default (no HTTPS listener: no fix)',
      path: 'template.yaml',
      text: `Parameters:
  ListenerProtocol: {Type: String, Default: HTTP}
Resources:
  Plain:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: «!Ref ListenerProtocol», DefaultActions: [{Type: forward}]}
`,
      messages: [/serves plain HTTP \(the default of parameter ListenerProtocol\)/],
    },
    {
      name: 'an outdated TLS policy is replaced',
      path: 'template.yaml',
      text: `Resources:
  Tls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: HTTPS, SslPolicy: «ELBSecurityPolicy-2016-08»}
`,
      messages: [
        'Listener Tls accepts TLS 1.0 or 1.1 (SslPolicy is ELBSecurityPolicy-2016-08): use ELBSecurityPolicy-TLS13-1-2-2021-06.',
      ],
      messageIds: ['outdatedTls'],
      fixed: `Resources:
  Tls:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06}
`,
    },
    {
      name: 'a Classic Load Balancer listener on HTTP (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '80', InstancePort: '80', Protocol: «HTTP»}
        - {LoadBalancerPort: '443', InstancePort: '80', Protocol: HTTPS}
`,
      messages: [/cannot redirect to HTTPS/],
      messageIds: ['classicHttp'],
    },
    {
      name: 'an internal Classic Load Balancer on HTTP is information (no fix)',
      path: 'template.yaml',
      text: `Resources:
  InventoryElb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Scheme: internal
      Subnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      Listeners:
        - LoadBalancerPort: '80'
          InstancePort: '8080'
          Protocol: «HTTP»
`,
      messages: [
        'Classic Load Balancer InventoryElb serves plain HTTP inside the network: a Classic Load Balancer cannot redirect to HTTPS, so move to an Application Load Balancer or serve HTTPS only.',
      ],
      messageIds: ['classicHttpInternal'],
    },
  ],
  clean: [
    {
      name: 'a redirect on port 80, HTTPS with a current policy, TCP',
      path: 'template.yaml',
      text: `Resources:
  Redirect:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}
  Secure:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: HTTPS, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06}
  Tcp:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: TCP}
`,
    },
    {
      name: 'a fixed response with no rules, a protocol on one branch, an unknowable protocol',
      path: 'template.yaml',
      text: `Parameters:
  P: {Type: String}
Resources:
  Maintenance:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      Protocol: HTTP
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '503'}}]
  Either:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: !If [HasCert, HTTPS, HTTP], DefaultActions: [{Type: forward}]}
  Unknown:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {Protocol: !Ref P, DefaultActions: [{Type: forward}]}
`,
    },
  ],
});
