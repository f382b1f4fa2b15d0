import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/cfn/cloudfront-allows-http';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a match-viewer origin behind a behavior that allows HTTP: redirecting viewers fixes both legs',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app-origin.example.com
            CustomOriginConfig: {OriginProtocolPolicy: «match-viewer»}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: «allow-all»
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
`,
      messages: [
        'Distribution Cdn fetches from origin app over plain HTTP whenever a viewer uses HTTP (OriginProtocolPolicy is match-viewer, and its default cache behavior allows HTTP): redirect viewers to HTTPS, or use https-only.',
        'Distribution Cdn serves its default cache behavior over plain HTTP too (ViewerProtocolPolicy is allow-all).',
      ],
      fixed: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app-origin.example.com
            CustomOriginConfig: {OriginProtocolPolicy: match-viewer}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
`,
    },
    {
      name: 'an origin reached with TLS 1.0 at best (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: legacy
            DomainName: legacy.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: «[TLSv1, SSLv3]»}
        DefaultCacheBehavior: {TargetOriginId: legacy, ViewerProtocolPolicy: https-only}
`,
      messages: [
        'Distribution Cdn talks to origin legacy with TLSv1 and SSLv3 at best (OriginSSLProtocols): allow TLSv1.2.',
      ],
      messageIds: ['originOldTls'],
    },
    {
      name: 'allow-all on the default and a path behavior (YAML block): one finding, one fix for both',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: «allow-all» # legacy clients
        CacheBehaviors:
          - PathPattern: /api/*
            ViewerProtocolPolicy: 'allow-all'
`,
      messages: [
        'Distribution Cdn serves its default cache behavior and the cache behavior for /api/* over plain HTTP too (ViewerProtocolPolicy is allow-all).',
      ],
      messageIds: ['viewerHttp'],
      fixed: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https # legacy clients
        CacheBehaviors:
          - PathPattern: /api/*
            ViewerProtocolPolicy: 'redirect-to-https'
`,
    },
    {
      name: 'JSON, and YAML flow style through a parameter default',
      path: 'template.json',
      text: `{
  "Resources": {
    "Cdn": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": { "DistributionConfig": { "DefaultCacheBehavior": { "ViewerProtocolPolicy": «"allow-all"» } } }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Cdn": {
      "Type": "AWS::CloudFront::Distribution",
      "Properties": { "DistributionConfig": { "DefaultCacheBehavior": { "ViewerProtocolPolicy": "redirect-to-https" } } }
    }
  }
}
`,
    },
    {
      name: 'a parameter default in flow style',
      path: 'template.yaml',
      text: `Parameters:
  Viewers: {Type: String, Default: allow-all, AllowedValues: [allow-all, redirect-to-https, https-only]}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties: {DistributionConfig: {DefaultCacheBehavior: {ViewerProtocolPolicy: «!Ref Viewers»}}}
`,
      messages: [/\(ViewerProtocolPolicy is allow-all \(the default of parameter Viewers\)\)\.$/],
      fixed: `Parameters:
  Viewers: {Type: String, Default: redirect-to-https, AllowedValues: [allow-all, redirect-to-https, https-only]}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties: {DistributionConfig: {DefaultCacheBehavior: {ViewerProtocolPolicy: !Ref Viewers}}}
`,
    },
    {
      name: 'an http-only custom origin (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: app
            DomainName: !GetAtt Alb.DNSName
            CustomOriginConfig: {OriginProtocolPolicy: «http-only»}
        DefaultCacheBehavior: {ViewerProtocolPolicy: redirect-to-https}
`,
      messages: [/fetches from origin app over plain HTTP \(OriginProtocolPolicy is http-only\)/],
      messageIds: ['originHttp'],
    },
  ],
  clean: [
    {
      name: 'match-viewer behind behaviors that only take HTTPS; an origin that also offers TLS 1.2',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: app
            DomainName: app-origin.example.com
            CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.1, TLSv1.2]}
        DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}
`,
    },
    {
      name: 'HTTPS for viewers and origins, and a behavior that allows HTTP on one branch only',
      path: 'template.yaml',
      text: `Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: app, DomainName: app.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
        DefaultCacheBehavior: {ViewerProtocolPolicy: !If [Strict, https-only, allow-all]}
        CacheBehaviors: [{PathPattern: /img/*, ViewerProtocolPolicy: redirect-to-https}]
`,
    },
    {
      name: 'S3 website origins can only be reached over HTTP',
      path: 'template.yaml',
      text: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: site
            DomainName: !Select [2, !Split ['/', !GetAtt Site.WebsiteURL]]
            CustomOriginConfig: {OriginProtocolPolicy: http-only}
          - Id: other
            DomainName: !Sub '\${Bucket}.s3-website-\${AWS::Region}.amazonaws.com'
            CustomOriginConfig: {OriginProtocolPolicy: http-only}
        DefaultCacheBehavior: {ViewerProtocolPolicy: redirect-to-https}
`,
    },
  ],
});

describe(`${rule.id} per distribution`, () => {
  it('reports the behaviors that allow HTTP once, the others as related locations, and fixes a shared parameter once', async () => {
    const text = `Parameters:
  Viewers: {Type: String, Default: allow-all}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: https-only}
        CacheBehaviors:
          - {PathPattern: /img/*, ViewerProtocolPolicy: !Ref Viewers}
          - {PathPattern: /css/*, ViewerProtocolPolicy: !Ref Viewers}
          - {PathPattern: /api/*, ViewerProtocolPolicy: allow-all}
`;
    const { findings } = await new Analyzer({ rules: [rule] }).analyze({ path: '/work/template.yaml', text });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(
      finding.message,
      'Distribution Cdn serves the cache behavior for /img/*, the cache behavior for /css/* and the cache behavior for /api/* over plain HTTP too (ViewerProtocolPolicy is allow-all (the default of parameter Viewers)).',
    );
    assert.deepEqual(
      finding.related?.map((r) => `${r.range.start.line + 1} ${r.message}`),
      [
        '11 the cache behavior for /css/* allows HTTP too',
        '12 the cache behavior for /api/* allows HTTP too',
      ],
    );
    assert.equal(finding.range.start.line + 1, 10);
  });
});
