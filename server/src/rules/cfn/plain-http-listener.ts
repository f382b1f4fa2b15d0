import { branches } from '../../engine/cfn/branches';
import { mentions, referenceTarget } from '../../engine/cfn/references';
import { replaceValues } from '../../engine/cfn/values';
import { replacePairValue, replaceValue, type PlainValue } from '../../engine/edit';
import {
  possibleValues,
  property,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asSeq, get, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type Severity } from '../../engine/rule';

/** Security policies that still accept TLS 1.0 or 1.1 (or older ciphers). */
const outdatedPolicy =
  /^ELBSecurityPolicy-(2015-05|2016-08|FS-2018-06|TLS-1-0-|TLS-1-1-|FS-1-1-|TLS13-1-0-|TLS13-1-1-)/;
const modernPolicy = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Every value of a field is `expected` (through parameters and Fn::If), or undefined when unknowable. */
function always(template: Template, node: DataNode | undefined, test: (value: string) => boolean) {
  const values = node ? possibleValues(template, node) : undefined;
  if (!values || !values.every((v) => !v.absent && test(String(v.value)))) return undefined;
  return values;
}

/** Whether a listener's default actions send every request to HTTPS, on every branch. */
function redirectsToHttps(actions: DataNode | undefined): boolean {
  return branches(actions).every((b) =>
    (asSeq(b.node)?.items ?? []).some(
      (action) =>
        /^redirect$/i.test(scalarText(get(action, 'Type')) ?? '') &&
        /^HTTPS$/i.test(scalarText(getPath(action, 'RedirectConfig', 'Protocol')) ?? ''),
    ),
  );
}

/** A listener whose only default answer is a fixed response and that no rule adds to serves nothing. */
function servesNothing(template: Template, listener: Resource, actions: DataNode | undefined): boolean {
  const items = asSeq(actions)?.items ?? [];
  if (items.length === 0 || !items.every((a) => scalarText(get(a, 'Type')) === 'fixed-response'))
    return false;
  return !template.resources.some(
    (r) =>
      r.type === 'AWS::ElasticLoadBalancingV2::ListenerRule' &&
      mentions(get(r.properties, 'ListenerArn'), listener.logicalId),
  );
}

/** The load balancer a listener belongs to, when it is in the template. */
function loadBalancerOf(template: Template, listener: Resource): Resource | undefined {
  return template.resourceById.get(referenceTarget(get(listener.properties, 'LoadBalancerArn')) ?? '');
}

function isInternal(loadBalancer: Resource | undefined): boolean {
  return scalarText(get(loadBalancer?.properties, 'Scheme')) === 'internal';
}

/** The port of an HTTPS listener on the same load balancer, if the template has one. */
function httpsPort(template: Template, listener: Resource): string | undefined {
  const balancer = referenceTarget(get(listener.properties, 'LoadBalancerArn'));
  if (!balancer) return undefined;
  for (const other of template.resources) {
    if (other === listener || other.type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    if (referenceTarget(get(other.properties, 'LoadBalancerArn')) !== balancer) continue;
    if (scalarText(get(other.properties, 'Protocol')) === 'HTTPS')
      return scalarText(get(other.properties, 'Port')) ?? '443';
  }
  return undefined;
}

export default defineRule({
  id: 'encrypt-everything/plain-http-listener',
  lesson: 'encrypt-everything',
  title: 'Load balancer serves plain HTTP, or accepts outdated TLS',
  severity: 'warning',
  equivalents: ['CKV_AWS_2', 'CKV_AWS_103', 'CKV2_AWS_20'],
  fix: 'yes',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  docs: {
    what:
      'An Application Load Balancer listener on `HTTP` whose default action does not redirect to HTTPS, a Classic Load Balancer listener on `HTTP`, ' +
      'and HTTPS or TLS listeners whose `SslPolicy` still accepts TLS 1.0 or 1.1. Listeners of internal load balancers are reported as information. ' +
      'A listener that only answers with a fixed response and has no listener rules is left alone.',
    why:
      'On plain HTTP, session cookies, passwords and API tokens cross every network between the user and the load balancer in clear text, and anyone on the path can read or change the page. ' +
      'Browsers mark such sites as not secure, and HTTP/2 is not offered at all. Keep port 80 only to redirect to HTTPS, terminate TLS with an ACM certificate, ' +
      'and choose a current security policy: TLS 1.0 and 1.1 have known weaknesses and no supported browser needs them. ' +
      'The fix turns the default action into a redirect when the same load balancer already has an HTTPS listener; otherwise add one first.',
    example: {
      language: 'yaml',
      code: `HttpListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref LoadBalancer
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref WebTargets`,
    },
    useInstead: {
      language: 'yaml',
      code: `HttpsListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref LoadBalancer
    Port: 443
    Protocol: HTTPS
    SslPolicy: ${modernPolicy}
    Certificates: [{CertificateArn: !Ref Certificate}]
    DefaultActions:
      - Type: forward
        TargetGroupArn: !Ref WebTargets
HttpListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref LoadBalancer
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: redirect
        RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}`,
    },
    references: [
      {
        title: 'Elastic Load Balancing: HTTPS listeners for your Application Load Balancer',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html',
      },
      {
        title: 'Elastic Load Balancing: security policies',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        if (resource.type === 'AWS::ElasticLoadBalancingV2::Listener') {
          const internal = isInternal(loadBalancerOf(template, resource));
          const severity: Severity | undefined = internal ? 'info' : undefined;
          const where = internal ? 'internal load balancer' : 'load balancer';
          const protocol = property(resource, 'Protocol');
          const plain = always(template, protocol?.value, (v) => /^HTTP$/i.test(v));
          const actions = property(resource, 'DefaultActions');
          if (
            protocol &&
            plain &&
            !redirectsToHttps(actions?.value) &&
            !servesNothing(template, resource, actions?.value)
          ) {
            const port = httpsPort(template, resource);
            report({
              at: protocol.value,
              message: `Listener ${resource.logicalId} serves plain HTTP${provenance(plain)} on its ${where} without redirecting to HTTPS: what users send crosses the network in clear text.`,
              severity,
              fix:
                port && actions
                  ? () => {
                      const redirect: PlainValue = [
                        {
                          Type: 'redirect',
                          RedirectConfig: { Protocol: 'HTTPS', Port: port, StatusCode: 'HTTP_301' },
                        },
                      ];
                      const flow = resource.properties?.flow ?? true;
                      return {
                        title: `Redirect ${resource.logicalId} to HTTPS on port ${port}`,
                        edits: [
                          flow
                            ? replaceValue(target, actions.value, redirect)
                            : replacePairValue(target, actions, redirect),
                        ],
                      };
                    }
                  : undefined,
            });
          }
          const policy = property(resource, 'SslPolicy');
          const outdated = always(template, policy?.value, (v) => outdatedPolicy.test(v));
          if (policy && outdated) {
            report({
              at: policy.value,
              message: `Listener ${resource.logicalId} accepts TLS 1.0 or 1.1 (SslPolicy is ${String(outdated[0].value)}${provenance(outdated)}): use ${modernPolicy}.`,
              severity,
              fix: () => {
                const edits = replaceValues(target, template, outdated, modernPolicy);
                return edits ? { title: `Use ${modernPolicy}`, edits } : undefined;
              },
            });
          }
        } else if (resource.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
          const internal = isInternal(resource);
          for (const listener of asSeq(get(resource.properties, 'Listeners'))?.items ?? []) {
            const protocol = get(listener, 'Protocol');
            const plain = always(template, protocol, (v) => /^HTTP$/i.test(v));
            if (!protocol || !plain) continue;
            report({
              at: protocol,
              message: `Classic Load Balancer ${resource.logicalId} serves plain HTTP${provenance(plain)}${internal ? ' inside the network' : ''}: a Classic Load Balancer cannot redirect to HTTPS, so move to an Application Load Balancer or serve HTTPS only.`,
              severity: internal ? 'info' : undefined,
            });
          }
        }
      }
    },
  },
});
