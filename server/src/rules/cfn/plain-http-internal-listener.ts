import { defineRule } from '../../engine/rule';
import { checkListeners } from './plain-http-listener';

export default defineRule({
  id: 'encrypt-everything/plain-http-internal-listener',
  lesson: 'encrypt-everything',
  title: 'Internal load balancer serves plain HTTP',
  severity: 'info',
  equivalents: ['CKV_AWS_2', 'CKV_AWS_103', 'CKV2_AWS_20'],
  fix: 'safe',
  strictOnly: true,
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  messages: {
    plainHttpInternal:
      'Listener {{id}} serves plain HTTP{{provenance}} on its internal load balancer without redirecting to HTTPS: anyone who can reach the VPC, or a compromised host in it, can read and change the traffic.',
    classicHttpInternal:
      'Classic Load Balancer {{id}} serves plain HTTP{{provenance}} inside the network: anyone who can reach the VPC can read the traffic, and a Classic Load Balancer cannot redirect, so serve HTTPS only or move to an Application Load Balancer.',
  },
  docs: {
    what:
      'A listener of an internal load balancer (`Scheme: internal`) on plain `HTTP`: an Application Load Balancer listener whose default action does not redirect to HTTPS, or a Classic Load Balancer listener. ' +
      'In the `strict` preset only: an internal load balancer answers only inside its VPC and the networks joined to it, TLS there needs a private certificate authority or a domain of one’s own, and read on real templates most teams accept HTTP behind a private network. ' +
      'The same listener on an internet-facing load balancer, and outdated TLS policies on any, are `encrypt-everything/plain-http-listener`, in every preset.',
    why:
      'A private network is not a trusted one: a compromised instance, a peered VPC, a VPN user or a misrouted mirror session can read plain HTTP between services, session tokens and personal data included. ' +
      'Zero-trust designs and standards such as PCI DSS ask for encryption on internal hops too. ' +
      'An ACM certificate for an internal name (from ACM Private CA, or a public one for a private hosted zone) lets the load balancer serve HTTPS inside the VPC as well.',
    example: {
      language: 'yaml',
      code: `InternalListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref InternalAlb   # Scheme: internal
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref Orders`,
    },
    useInstead: {
      language: 'yaml',
      code: `InternalListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref InternalAlb
    Port: 443
    Protocol: HTTPS
    SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
    Certificates: [{CertificateArn: !Ref InternalCertificate}]   # e.g. from ACM Private CA
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref Orders`,
    },
    fix: 'Turns the default action of the plain HTTP listener into a redirect to HTTPS, when the same load balancer has an HTTPS listener in the template. Without one there is no fix: add an HTTPS listener with a certificate first.',
    references: [
      {
        title: 'Elastic Load Balancing: HTTPS listeners for your Application Load Balancer',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html',
      },
      {
        title: 'AWS Private Certificate Authority',
        url: 'https://docs.aws.amazon.com/privateca/latest/userguide/PcaWelcome.html',
      },
    ],
  },
  checks: { cfn: (context) => checkListeners(context, 'internal') },
});
