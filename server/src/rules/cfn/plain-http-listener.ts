import { branches } from '../../engine/cfn/branches';
import { referencedNames, referenceTarget } from '../../engine/cfn/references';
import { asBoolean, replaceValues, valuesAlways } from '../../engine/cfn/values';
import { replacePairValue, replaceValue, type PlainValue } from '../../engine/edit';
import { property, provenance, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asSeq, get, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type Severity, type TemplateContext } from '../../engine/rule';

/** Security policies that still accept TLS 1.0 or 1.1 (or older ciphers). */
const outdatedPolicy =
  /^ELBSecurityPolicy-(2015-05|2016-08|FS-2018-06|TLS-1-0-|TLS-1-1-|FS-1-1-|TLS13-1-0-|TLS13-1-1-)/;
const modernPolicy = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** The newest predefined policy of Classic Load Balancers, and the ones before it that accept TLS 1.0 or 1.1. */
const classicModernPolicy = 'ELBSecurityPolicy-TLS-1-2-2017-01';
const classicOutdatedPolicy =
  /^ELBSecurityPolicy-(2011-08|2012-03|2014-01|2014-10|2015-02|2015-03|2015-05|2016-08|TLS-1-1-)/;

/**
 * The TLS policy a Classic Load Balancer listener negotiates with: the `Reference-Security-Policy`
 * of the SSL negotiation policy it names, `custom` for one that lists protocols itself, or
 * undefined when it names none (the load balancer then uses ELBSecurityPolicy-2016-08).
 */
function classicTlsPolicy(
  balancer: Resource,
  listener: DataNode,
): { reference?: DataNode; outdatedProtocols?: boolean } | undefined {
  const named = new Set(
    (asSeq(get(listener, 'PolicyNames'))?.items ?? []).map((n) => scalarText(n)).filter(Boolean),
  );
  for (const policy of asSeq(get(balancer.properties, 'Policies'))?.items ?? []) {
    if (scalarText(get(policy, 'PolicyType')) !== 'SSLNegotiationPolicyType') continue;
    if (!named.has(scalarText(get(policy, 'PolicyName')))) continue;
    const attributes = asSeq(get(policy, 'Attributes'))?.items ?? [];
    const value = (name: string) =>
      get(
        attributes.find((a) => scalarText(get(a, 'Name')) === name),
        'Value',
      );
    const reference = value('Reference-Security-Policy');
    if (reference) return { reference };
    const outdatedProtocols = ['Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1'].some(
      (name) => asBoolean(scalarText(value(name))) === true,
    );
    return { outdatedProtocols };
  }
  return undefined;
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

/** Which listeners the template's listener rules add to, and the HTTPS port of each load balancer. */
interface ListenerIndex {
  ruled: Set<string>;
  httpsPorts: Map<string, string>;
}

const indexes = new WeakMap<Template, ListenerIndex>();

function listenerIndex(template: Template): ListenerIndex {
  let index = indexes.get(template);
  if (index) return index;
  index = { ruled: new Set(), httpsPorts: new Map() };
  for (const rule of template.resourcesOfType(['AWS::ElasticLoadBalancingV2::ListenerRule'])) {
    for (const name of referencedNames(get(rule.properties, 'ListenerArn'))) index.ruled.add(name);
  }
  for (const listener of template.resourcesOfType(['AWS::ElasticLoadBalancingV2::Listener'])) {
    const balancer = referenceTarget(get(listener.properties, 'LoadBalancerArn'));
    if (!balancer || index.httpsPorts.has(balancer)) continue;
    if (scalarText(get(listener.properties, 'Protocol')) === 'HTTPS')
      index.httpsPorts.set(balancer, scalarText(get(listener.properties, 'Port')) ?? '443');
  }
  indexes.set(template, index);
  return index;
}

/** A listener whose only default answer is a fixed response and that no rule adds to serves nothing. */
function servesNothing(template: Template, listener: Resource, actions: DataNode | undefined): boolean {
  const items = asSeq(actions)?.items ?? [];
  if (items.length === 0 || !items.every((a) => scalarText(get(a, 'Type')) === 'fixed-response'))
    return false;
  return !listenerIndex(template).ruled.has(listener.logicalId);
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
  return balancer ? listenerIndex(template).httpsPorts.get(balancer) : undefined;
}

/**
 * Which findings a rule takes: `internet` every one but plain HTTP on internal load balancers,
 * `internal` only those (`encrypt-everything/plain-http-internal-listener`, strict only).
 */
export type ListenerScope = 'internet' | 'internal';

export function checkListeners(context: TemplateContext<string>, scope: ListenerScope): void {
  const { model: template, resources, target, report } = context;
  const internetOnly = scope === 'internet';
  for (const resource of resources) {
    const id = resource.logicalId;
    if (resource.type === 'AWS::ElasticLoadBalancingV2::Listener') {
      const balancer = loadBalancerOf(template, resource);
      const internal = isInternal(balancer);
      const severity: Severity | undefined = internal ? 'info' : undefined;
      const protocol = property(resource, 'Protocol');
      const plain = valuesAlways(template, protocol?.value, (v) => /^HTTP$/i.test(String(v)));
      // Without a Protocol or certificates, a listener of an Application Load Balancer serves HTTP.
      const plainByDefault =
        !protocol &&
        !property(resource, 'Certificates') &&
        !!balancer &&
        (scalarText(get(balancer.properties, 'Type')) ?? 'application') === 'application';
      const actions = property(resource, 'DefaultActions');
      if (
        (plainByDefault || (protocol && plain)) &&
        internal !== internetOnly &&
        !redirectsToHttps(actions?.value) &&
        !servesNothing(template, resource, actions?.value)
      ) {
        const port = httpsPort(template, resource);
        report({
          at: protocol ? protocol.value : resource.idNode,
          resource,
          messageId: internal ? 'plainHttpInternal' : 'plainHttp',
          data: { id, provenance: plain ? provenance(plain) : ' (no Protocol: HTTP is the default)' },
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
                    title: `Redirect ${id} to HTTPS on port ${port}`,
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
      const outdated = valuesAlways(template, policy?.value, (v) => outdatedPolicy.test(String(v)));
      if (policy && outdated && internetOnly) {
        report({
          at: policy.value,
          resource,
          messageId: 'outdatedTls',
          data: { id, policy: String(outdated[0].value), provenance: provenance(outdated) },
          severity,
          fix: () => {
            const edits = replaceValues(target, template, outdated, modernPolicy);
            return edits ? { title: `Use ${modernPolicy}`, edits } : undefined;
          },
        });
      }
    } else {
      const internal = isInternal(resource);
      for (const listener of asSeq(get(resource.properties, 'Listeners'))?.items ?? []) {
        const protocol = get(listener, 'Protocol');
        const secure = valuesAlways(template, protocol, (v) => /^(HTTPS|SSL)$/i.test(String(v)));
        if (protocol && secure) {
          if (!internetOnly) continue;
          const data = { id, protocol: String(secure[0].value).toUpperCase() };
          const policy = classicTlsPolicy(resource, listener);
          const reference = policy?.reference;
          const outdated = reference
            ? valuesAlways(template, reference, (v) => classicOutdatedPolicy.test(String(v)))
            : undefined;
          if (!policy) {
            report({
              at: protocol,
              resource,
              messageId: 'classicDefaultTls',
              data,
              severity: internal ? 'info' : undefined,
            });
          } else if (reference && outdated) {
            report({
              at: reference,
              resource,
              messageId: 'classicOutdatedTls',
              data: { ...data, policy: String(outdated[0].value), provenance: provenance(outdated) },
              severity: internal ? 'info' : undefined,
              fix: () => {
                const edits = replaceValues(target, template, outdated, classicModernPolicy);
                return edits ? { title: `Use ${classicModernPolicy}`, edits } : undefined;
              },
            });
          } else if (!reference && policy.outdatedProtocols) {
            report({
              at: protocol,
              resource,
              messageId: 'classicOutdatedTls',
              data: { ...data, policy: 'its SSL negotiation policy enables them', provenance: '' },
              severity: internal ? 'info' : undefined,
            });
          }
          continue;
        }
        const plain = valuesAlways(template, protocol, (v) => /^HTTP$/i.test(String(v)));
        if (!protocol || !plain || internal === internetOnly) continue;
        report({
          at: protocol,
          resource,
          messageId: internal ? 'classicHttpInternal' : 'classicHttp',
          data: { id, provenance: provenance(plain) },
        });
      }
    }
  }
}

export default defineRule({
  id: 'encrypt-everything/plain-http-listener',
  lesson: 'encrypt-everything',
  title: 'Load balancer serves plain HTTP, or accepts outdated TLS',
  severity: 'warning',
  equivalents: ['CKV_AWS_2', 'CKV_AWS_103', 'CKV2_AWS_20'],
  fix: 'safe',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  messages: {
    plainHttp:
      'Listener {{id}} serves plain HTTP{{provenance}} on its load balancer without redirecting to HTTPS: what users send crosses the network in clear text.',
    outdatedTls: `Listener {{id}} accepts TLS 1.0 or 1.1 (SslPolicy is {{policy}}{{provenance}}): use ${modernPolicy}.`,
    classicHttp:
      'Classic Load Balancer {{id}} serves plain HTTP{{provenance}}: a Classic Load Balancer cannot redirect to HTTPS, so move to an Application Load Balancer or serve HTTPS only.',
    classicDefaultTls: `Classic Load Balancer {{id}} accepts TLS 1.0 and 1.1 on its {{protocol}} listener: it names no SSL negotiation policy, so ELBSecurityPolicy-2016-08 applies. Attach one that references ${classicModernPolicy}.`,
    classicOutdatedTls: `Classic Load Balancer {{id}} accepts TLS 1.0 or 1.1 on its {{protocol}} listener ({{policy}}{{provenance}}): use ${classicModernPolicy}.`,
  },
  docs: {
    what:
      'An Application Load Balancer listener on `HTTP` (written, or left out without certificates) whose default action does not redirect to HTTPS, a Classic Load Balancer listener on `HTTP`, ' +
      'HTTPS or TLS listeners whose `SslPolicy` still accepts TLS 1.0 or 1.1, and HTTPS or SSL listeners of a Classic Load Balancer that name no SSL negotiation policy (the default one accepts TLS 1.0) or one that references an outdated policy or enables old protocols. ' +
      'Plain HTTP on an internal load balancer (`Scheme: internal`, reachable only from inside its VPC and the networks joined to it) is left to `encrypt-everything/plain-http-internal-listener`, in the `strict` preset only: TLS there needs a private certificate authority or a domain of one’s own, and on real templates teams were judged to accept HTTP behind a private network. ' +
      'Outdated TLS policies of internal load balancers are still reported here, as information. ' +
      'A listener that only answers with a fixed response and has no listener rules is left alone.',
    why:
      'On plain HTTP, session cookies, passwords and API tokens cross every network between the user and the load balancer in clear text, and anyone on the path can read or change the page. ' +
      'Browsers mark such sites as not secure, and HTTP/2 is not offered at all. Keep port 80 only to redirect to HTTPS, terminate TLS with an ACM certificate, ' +
      'and choose a current security policy: TLS 1.0 and 1.1 have known weaknesses and no supported browser needs them.',
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
    fix: `Turns the default action of a plain HTTP listener into a redirect to HTTPS, when the same load balancer has an HTTPS listener in the template, and replaces an outdated \`SslPolicy\` with ${modernPolicy} (an outdated \`Reference-Security-Policy\` of a Classic Load Balancer with ${classicModernPolicy}), where it is written or in the parameter default it comes from. Without an HTTPS listener there is no fix: add one with a certificate first; nor for a Classic Load Balancer without an SSL negotiation policy: attach one.`,
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
  checks: { cfn: (context) => checkListeners(context, 'internet') },
});
