import { referenceTarget, stringsIn, walk } from '../../engine/cfn/references';
import { replaceValues, valuesAlways } from '../../engine/cfn/values';
import { listItems } from '../../engine/cfn/iam';
import { intrinsic, provenance, type Template } from '../../engine/parse/cloudformation';
import { asSeq, get, getPair, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** Whether an origin's domain is an S3 website endpoint, which only speaks HTTP. */
function isWebsiteEndpoint(template: Template, domain: DataNode | undefined): boolean {
  if (stringsIn(domain).some((s) => /s3-website|WebsiteURL/i.test(s))) return true;
  let website = false;
  walk(domain, (node) => {
    const fn = intrinsic(node);
    if (fn?.name !== 'Fn::GetAtt') return;
    const attribute = asSeq(fn.argument)?.items[1];
    const name = scalarText(attribute) ?? scalarText(fn.argument)?.split('.')[1];
    const bucket = template.resourceById.get(referenceTarget(node) ?? '');
    if (name === 'WebsiteURL' || get(bucket?.properties, 'WebsiteConfiguration')) website = true;
  });
  return website;
}

function originName(origin: DataNode): string {
  const id = scalarText(getPath(origin, 'Id'));
  return id ? `origin ${id}` : 'one of its origins';
}

export default defineRule({
  id: 'encrypt-everything/cloudfront-allows-http',
  lesson: 'encrypt-everything',
  title: 'CloudFront serves or fetches over plain HTTP',
  severity: 'warning',
  equivalents: ['CKV_AWS_34', 'CKV2_AWS_72'],
  fix: 'safe',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  messages: {
    viewerHttp:
      'Distribution {{id}} serves {{behavior}} over plain HTTP too (ViewerProtocolPolicy is allow-all{{provenance}}).',
    originHttp:
      'Distribution {{id}} fetches from {{origin}} over plain HTTP (OriginProtocolPolicy is http-only{{provenance}}): give the origin a certificate and use https-only.',
    originMatchesViewer:
      'Distribution {{id}} fetches from {{origin}} over plain HTTP whenever a viewer uses HTTP (OriginProtocolPolicy is match-viewer{{provenance}}, and {{behavior}} allows HTTP): redirect viewers to HTTPS, or use https-only.',
    originOldTls:
      'Distribution {{id}} talks to {{origin}} with {{protocols}} at best (OriginSSLProtocols): allow TLSv1.2.',
  },
  docs: {
    what:
      'A CloudFront distribution whose default or path-specific cache behavior has `ViewerProtocolPolicy: allow-all` (reported once per distribution, on the first such behavior, the others shown as related locations), ' +
      'a custom origin with `OriginProtocolPolicy: http-only`, or `match-viewer` behind a cache behavior that allows HTTP, and a custom origin whose `OriginSSLProtocols` stop below TLSv1.2. ' +
      'Origins that are S3 website endpoints are left alone: they only speak HTTP, and the way out is an S3 REST origin with origin access control.',
    why:
      'With `allow-all`, a visitor who types the address or follows an old link gets the whole site over plain HTTP, where cookies and tokens can be read and pages altered on the way. ' +
      '`redirect-to-https` costs one redirect and closes that door. An `http-only` origin means the second leg, from the edge to your servers, crosses the internet in clear text even when visitors use HTTPS: ' +
      'give the origin a certificate and use `https-only`.',
    example: {
      language: 'yaml',
      code: `Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: app
          DomainName: !GetAtt LoadBalancer.DNSName
          CustomOriginConfig: {OriginProtocolPolicy: http-only}
      DefaultCacheBehavior:
        TargetOriginId: app
        ViewerProtocolPolicy: allow-all
        CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6`,
    },
    useInstead: {
      language: 'yaml',
      code: `Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: app
          DomainName: app-origin.example.com       # a name the origin's certificate covers
          CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
      DefaultCacheBehavior:
        TargetOriginId: app
        ViewerProtocolPolicy: redirect-to-https
        CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6`,
    },
    fix: 'Sets `ViewerProtocolPolicy: redirect-to-https` on every cache behavior that allows plain HTTP (which also makes a `match-viewer` origin use HTTPS). Origins on `http-only` or old TLS versions get no fix: the origin must first serve HTTPS with a certificate for its name (a load balancer’s own DNS name has none).',
    references: [
      {
        title: 'Amazon CloudFront: requiring HTTPS between viewers and CloudFront',
        url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html',
      },
      {
        title: 'Amazon CloudFront: requiring HTTPS to a custom origin',
        url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, document, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
        const config = get(resource.properties, 'DistributionConfig');
        const behaviors: { node: DataNode | undefined; name: string }[] = [
          { node: get(config, 'DefaultCacheBehavior'), name: 'its default cache behavior' },
          ...(asSeq(get(config, 'CacheBehaviors'))?.items ?? []).map((b) => ({
            node: b,
            name: `the cache behavior for ${scalarText(get(b, 'PathPattern')) ?? 'a path'}`,
          })),
        ];
        // Every behavior that lets viewers in over HTTP, reported once per distribution: on the
        // first (the default behavior when it is one), the others as related locations.
        const allowingHttp = behaviors.flatMap((behavior) => {
          const pair = getPair(behavior.node, 'ViewerProtocolPolicy');
          const values = valuesAlways(template, pair?.value, (v) => v === 'allow-all');
          return pair && values ? [{ ...behavior, pair, values }] : [];
        });
        if (allowingHttp.length > 0) {
          const named = allowingHttp.slice(0, 3).map((b) => b.name);
          const more = allowingHttp.length > 3 ? ` and ${allowingHttp.length - 3} more` : '';
          const list =
            named.length > 1 && !more
              ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
              : named.join(', ') + more;
          report({
            at: allowingHttp[0].pair.value,
            resource,
            messageId: 'viewerHttp',
            data: { id, behavior: list, provenance: provenance(allowingHttp.flatMap((b) => b.values)) },
            related: allowingHttp.slice(1).map((b) => ({
              path: document.path,
              range: document.lines.rangeOf(b.pair.value.span),
              message: `${b.name} allows HTTP too`,
            })),
            fix: () => {
              const edits: TextEdit[] = [];
              for (const b of allowingHttp) {
                const changed = replaceValues(target, template, b.values, 'redirect-to-https');
                if (!changed) return undefined;
                // Behaviors that read the same parameter: its default is changed once.
                edits.push(...changed.filter((e) => !edits.some((d) => d.start === e.start)));
              }
              return { title: 'Redirect viewers to HTTPS', edits };
            },
          });
        }
        for (const origin of asSeq(get(config, 'Origins'))?.items ?? []) {
          const custom = get(origin, 'CustomOriginConfig');
          if (!custom || isWebsiteEndpoint(template, get(origin, 'DomainName'))) continue;
          const protocols = listItems(get(custom, 'OriginSSLProtocols')).map((p) => String(p.value));
          if (protocols.length > 0 && !protocols.some((p) => /^TLSv1\.[23]$/.test(p))) {
            report({
              at: getPair(custom, 'OriginSSLProtocols')!.value,
              resource,
              messageId: 'originOldTls',
              data: { id, origin: originName(origin), protocols: protocols.join(' and ') },
            });
          }
          const pair = getPair(custom, 'OriginProtocolPolicy');
          const matching = valuesAlways(template, pair?.value, (v) => v === 'match-viewer');
          if (pair && matching) {
            const originId = scalarText(get(origin, 'Id'));
            const open = behaviors.find(
              (b) =>
                scalarText(get(b.node, 'TargetOriginId')) === originId &&
                valuesAlways(template, get(b.node, 'ViewerProtocolPolicy'), (v) => v === 'allow-all'),
            );
            if (open)
              report({
                at: pair.value,
                resource,
                messageId: 'originMatchesViewer',
                data: {
                  id,
                  origin: originName(origin),
                  behavior: open.name,
                  provenance: provenance(matching),
                },
              });
            continue;
          }
          const values = valuesAlways(template, pair?.value, (v) => v === 'http-only');
          if (!pair || !values) continue;
          report({
            at: pair.value,
            resource,
            messageId: 'originHttp',
            data: { id, origin: originName(origin), provenance: provenance(values) },
          });
        }
      }
    },
  },
});
