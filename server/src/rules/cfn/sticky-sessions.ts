import { removePair, type EditTarget } from '../../engine/edit';
import { asBoolean, replaceValues, valuesAlways } from '../../engine/cfn/values';
import { property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, scalarText, type Pair } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

const classicPolicies = ['LBCookieStickinessPolicy', 'AppCookieStickinessPolicy'];

/**
 * A classic load balancer's stickiness policies that its listeners apply, and the fix that
 * drops both the policies and the listeners' references to them.
 */
function classicStickiness(
  target: EditTarget,
  balancer: Resource,
): { pair: Pair; names: string[]; fix: () => Fix | undefined }[] {
  const listeners = asSeq(get(balancer.properties, 'Listeners'))?.items ?? [];
  const used = new Set(
    listeners.flatMap((l) => (asSeq(get(l, 'PolicyNames'))?.items ?? []).map((n) => scalarText(n) ?? '')),
  );
  const found: { pair: Pair; names: string[]; fix: () => Fix | undefined }[] = [];
  const sticky = new Set<string>();
  const pairs: Pair[] = [];
  for (const key of classicPolicies) {
    const pair = property(balancer, key);
    if (!pair) continue;
    const names = (asSeq(pair.value)?.items ?? []).map((p) => scalarText(get(p, 'PolicyName')) ?? '');
    names.forEach((n) => sticky.add(n));
    pairs.push(pair);
    const applied = names.filter((n) => n && used.has(n));
    if (applied.length > 0) found.push({ pair, names: applied, fix: () => undefined });
  }
  const fix = (): Fix | undefined => {
    const properties = balancer.properties;
    if (!properties) return undefined;
    const edits: TextEdit[] = pairs.map((pair) => removePair(target, properties, pair));
    for (const listener of listeners) {
      const map = asMap(listener);
      const names = getPair(map, 'PolicyNames');
      if (!map || !names) continue;
      const items = asSeq(names.value)?.items ?? [];
      const listed = items.map((n) => scalarText(n));
      if (!listed.some((n) => n && sticky.has(n))) continue;
      // Keep other policies (SSL negotiation, proxy protocol): only a list of stickiness policies goes.
      if (!listed.every((n) => n && sticky.has(n))) return undefined;
      edits.push(removePair(target, map, names));
    }
    return {
      title: 'Remove the stickiness policies and their use in the listeners',
      edits,
      needs: [
        'Keep session state out of the instances (ElastiCache, DynamoDB, a signed cookie) first: without stickiness, a user’s requests reach any instance',
      ],
    };
  };
  return found.map((f) => ({ ...f, fix }));
}

export default defineRule({
  id: 'local-state/sticky-sessions',
  lesson: 'local-state',
  title: 'Load balancer pins users to one instance',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  messages: {
    targetGroup:
      'Target group {{id}} pins each user to one target: stickiness.enabled is true{{provenance}}, so whatever the app keeps on that instance is lost when it is replaced or scaled in.',
    classic:
      'Load balancer {{id}} pins each user to one instance: its listeners apply {{policy}} {{names}}, so whatever the app keeps on that instance is lost when it is replaced or scaled in.',
  },
  docs: {
    what:
      'A target group with the attribute `stickiness.enabled` set to `true` (directly, through a parameter default or on every branch of an `Fn::If`), ' +
      'and a classic load balancer whose listeners apply an `LBCookieStickinessPolicy` or `AppCookieStickinessPolicy`.',
    why:
      'Sticky sessions exist so that an application can keep a user’s session, cart or upload on the instance that first served them. ' +
      'That state dies with the instance: scaling in, a deployment that replaces instances or a crash logs those users out or empties their basket, ' +
      'and while it lives the load stays uneven because new instances only get new users. ' +
      'Keep sessions in ElastiCache, DynamoDB or a signed cookie, and every instance can serve every request.',
    example: {
      language: 'yaml',
      code: `WebTargets:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    Port: 8080
    Protocol: HTTP
    VpcId: !Ref Vpc
    TargetGroupAttributes:
      - Key: stickiness.enabled
        Value: 'true'
      - Key: stickiness.type
        Value: lb_cookie`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebTargets:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    Port: 8080
    Protocol: HTTP
    VpcId: !Ref Vpc
    TargetGroupAttributes:
      - Key: stickiness.enabled
        Value: 'false'   # sessions live in ElastiCache, any target can serve any user`,
    },
    fix: "Turns stickiness off on a target group; on a classic load balancer, removes the stickiness policies and the listeners' references to them. A scaffold: first move what the app keeps per user (sessions, carts, uploads) out of the instance, or users lose it on their next request.",
    references: [
      {
        title: 'Sticky sessions for an Application Load Balancer',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/sticky-sessions.html',
      },
      {
        title: 'Session management with ElastiCache',
        url: 'https://aws.amazon.com/caching/session-management/',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
        if (resource.type === 'AWS::ElasticLoadBalancingV2::TargetGroup') {
          for (const attribute of asSeq(get(resource.properties, 'TargetGroupAttributes'))?.items ?? []) {
            if (scalarText(get(attribute, 'Key')) !== 'stickiness.enabled') continue;
            const value = get(attribute, 'Value');
            const values = valuesAlways(template, value, (v) => asBoolean(v) === true);
            if (!value || !values) continue;
            report({
              at: value,
              resource,
              messageId: 'targetGroup',
              data: { id, provenance: provenance(values) },
              fix: () => {
                const edits = replaceValues(target, template, values, false);
                return (
                  edits && {
                    title: 'Turn off stickiness',
                    edits,
                    needs: [
                      'Keep session state out of the instances (ElastiCache, DynamoDB, a signed cookie) first: without stickiness, a user’s requests reach any instance',
                    ],
                  }
                );
              },
            });
          }
        } else {
          for (const policy of classicStickiness(target, resource)) {
            report({
              at: policy.pair.key,
              resource,
              messageId: 'classic',
              data: { id, policy: String(policy.pair.key.value), names: policy.names.join(', ') },
              fix: policy.fix,
            });
          }
        }
      }
    },
  },
});
