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
      name: 'a Classic Load Balancer listener on HTTP, and one on HTTPS with the default TLS policy (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '80', InstancePort: '80', Protocol: «HTTP»}
        - {LoadBalancerPort: '443', InstancePort: '80', Protocol: «HTTPS»}
`,
      messages: [
        /cannot redirect to HTTPS/,
        'Classic Load Balancer Elb accepts TLS 1.0 and 1.1 on its HTTPS listener: it names no SSL negotiation policy, so ELBSecurityPolicy-2016-08 applies. Attach one that references ELBSecurityPolicy-TLS-1-2-2017-01.',
      ],
      messageIds: ['classicHttp', 'classicDefaultTls'],
    },
    {
      name: 'a Classic Load Balancer policy that references an outdated predefined policy is brought up to date',
      path: 'template.yaml',
      text: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '443', InstancePort: '8080', Protocol: HTTPS, SSLCertificateId: !Ref Certificate, PolicyNames: [TlsPolicy]}
      Policies:
        - PolicyName: TlsPolicy
          PolicyType: SSLNegotiationPolicyType
          Attributes:
            - {Name: Reference-Security-Policy, Value: «ELBSecurityPolicy-2016-08»}
`,
      messageIds: ['classicOutdatedTls'],
      fixed: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '443', InstancePort: '8080', Protocol: HTTPS, SSLCertificateId: !Ref Certificate, PolicyNames: [TlsPolicy]}
      Policies:
        - PolicyName: TlsPolicy
          PolicyType: SSLNegotiationPolicyType
          Attributes:
            - {Name: Reference-Security-Policy, Value: ELBSecurityPolicy-TLS-1-2-2017-01}
`,
    },
    {
      name: 'a custom SSL negotiation policy that enables TLS 1.0 (no fix: the protocols are listed by hand)',
      path: 'template.yaml',
      text: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '443', InstancePort: '8080', Protocol: «SSL», PolicyNames: [Handmade]}
      Policies:
        - PolicyName: Handmade
          PolicyType: SSLNegotiationPolicyType
          Attributes:
            - {Name: Protocol-TLSv1, Value: 'true'}
            - {Name: Protocol-TLSv1.2, Value: 'true'}
`,
      messages: [
        /on its SSL listener \(its SSL negotiation policy enables them\): use ELBSecurityPolicy-TLS-1-2-2017-01/,
      ],
    },
    {
      name: 'an ALB listener without Protocol or certificates serves HTTP',
      path: 'template.yaml',
      text: `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]}
  «Web»:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Targets}]
`,
      messages: [
        'Listener Web serves plain HTTP (no Protocol: HTTP is the default) on its load balancer without redirecting to HTTPS: what users send crosses the network in clear text.',
      ],
    },
  ],
  clean: [
    {
      name: 'plain HTTP on internal load balancers: left to plain-http-internal-listener (strict only)',
      path: 'template.yaml',
      text: `Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Alb, Protocol: HTTP, DefaultActions: [{Type: forward}]}
  InventoryElb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Scheme: internal
      Listeners:
        - {LoadBalancerPort: '80', InstancePort: '8080', Protocol: HTTP}
`,
    },
    {
      name: 'Classic Load Balancers on TLS 1.2 policies; a network load balancer listener without Protocol',
      path: 'template.yaml',
      text: `Resources:
  Elb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: '443', InstancePort: '8080', Protocol: HTTPS, PolicyNames: [Modern]}
        - {LoadBalancerPort: '8443', InstancePort: '8080', Protocol: SSL, PolicyNames: [Handmade]}
        - {LoadBalancerPort: '22', InstancePort: '22', Protocol: TCP}
      Policies:
        - {PolicyName: Modern, PolicyType: SSLNegotiationPolicyType, Attributes: [{Name: Reference-Security-Policy, Value: ELBSecurityPolicy-TLS-1-2-2017-01}]}
        - {PolicyName: Handmade, PolicyType: SSLNegotiationPolicyType, Attributes: [{Name: Protocol-TLSv1.2, Value: 'true'}, {Name: ECDHE-RSA-AES128-GCM-SHA256, Value: 'true'}]}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Tcp:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Nlb, Port: 5432, DefaultActions: [{Type: forward, TargetGroupArn: !Ref Db}]}
`,
    },
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
