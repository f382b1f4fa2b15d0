import { appendItem, setPath, type EditTarget, type PlainValue } from '../../engine/edit';
import { addResources, companionBody } from '../../engine/cfn/companions';
import { referencedNames, referenceTarget } from '../../engine/cfn/references';
import { effectiveProperty, perTemplate } from '../../engine/cfn/resources';
import { addParameter, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import { conditionByDefault } from '../../engine/cfn/conditions';
import {
  intrinsic,
  possibleValues,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import {
  asMap,
  asSeq,
  get,
  getPair,
  getPath,
  scalarText,
  type DataNode,
  type SeqNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

const bucketParameter = 'AccessLogsBucket';

/** A bucket of the template that reads as the place for logs, created unconditionally. */
const logBucketOf = perTemplate((template) =>
  template
    .resourcesOfType(['AWS::S3::Bucket'])
    .find((r) => /log/i.test(r.logicalId) && !get(r.node, 'Condition')),
);

/** Where new access logs go: a log bucket of the template, else a bucket-name parameter. */
function logBucket(
  target: EditTarget,
  template: Template,
  writer: string,
): { name: PlainValue; domain: PlainValue; edits: TextEdit[]; needs: string[] } {
  const bucket = logBucketOf(template);
  if (bucket) {
    return {
      name: { Ref: bucket.logicalId },
      domain: { 'Fn::GetAtt': [bucket.logicalId, 'DomainName'] },
      edits: [],
      needs: [`Let ${bucket.logicalId}’s bucket policy allow ${writer} to write its logs`],
    };
  }
  const existing = template.parameters.get(bucketParameter);
  const name = existing ? bucketParameter : uniqueLogicalId(template, bucketParameter);
  return {
    name: { Ref: name },
    domain: { 'Fn::Sub': `\${${name}}.s3.amazonaws.com` },
    needs: [
      `Set the ${name} parameter to a log bucket when deploying, and let its policy allow ${writer} to write its logs`,
    ],
    edits: existing
      ? []
      : [
          addParameter(target, template, name, {
            Type: 'String',
            Description:
              'Name of the S3 bucket that keeps access logs; its policy must let the load balancer or CloudFront write to it.',
          }),
        ],
  };
}

/** The JSON line each API request leaves in the log group. */
const restFormat = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
});
const httpFormat = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
});

/** A log group for a stage's access logs, named after it, kept 90 days. */
function stageLogGroup(template: Template, stage: Resource): { id: string; body: PlainValue } {
  const id = uniqueLogicalId(template, `${stage.logicalId}AccessLogs`);
  return { id, body: companionBody('AWS::Logs::LogGroup', { RetentionInDays: 90 }, stage) };
}

function stageFix(
  target: EditTarget,
  template: Template,
  stage: Resource,
  path: string[],
  format: string,
): Fix | undefined {
  const group = stageLogGroup(template, stage);
  return {
    title: `Log each request to a new log group ${group.id}`,
    needs: [
      'Give API Gateway a CloudWatch Logs role for the account and region (AWS::ApiGateway::Account) if it has none yet',
    ],
    edits: [
      setPath(target, stage.node, ['Properties', ...path], {
        DestinationArn: { 'Fn::GetAtt': [group.id, 'Arn'] },
        Format: format,
      }),
      addResources(target, template, [group]),
    ],
  };
}

/** An attribute of a load balancer's attribute list (`{Key, Value}` items). */
function attribute(list: SeqNode | undefined, key: string) {
  return list?.items.find((item) => scalarText(get(item, 'Key')) === key);
}

/** The resources whose logs a logging delivery (CloudWatch vended logs) takes. */
const deliveredResources = perTemplate((template) => {
  const names = new Set<string>();
  for (const source of template.resourcesOfType(['AWS::Logs::DeliverySource']))
    referencedNames(get(source.properties, 'ResourceArn')).forEach((name) => names.add(name));
  return names;
});

/** Whether a logging delivery (CloudWatch vended logs) takes this resource's logs. */
function deliversLogs(template: Template, resource: Resource): boolean {
  return deliveredResources(template).has(resource.logicalId);
}

/** `!Ref AWS::NoValue`: the property is left out. */
function isNoValue(node: DataNode | undefined): boolean {
  const fn = intrinsic(node);
  return fn?.name === 'Ref' && scalarText(fn.argument) === 'AWS::NoValue';
}

/** The integration types of each REST API's methods in the template, by the API's logical id. */
const methodIntegrations = perTemplate((template) => {
  const byApi = new Map<string, (string | undefined)[]>();
  for (const method of template.resourcesOfType(['AWS::ApiGateway::Method'])) {
    const api = referenceTarget(get(method.properties, 'RestApiId'));
    if (!api) continue;
    const list = byApi.get(api) ?? [];
    list.push(scalarText(getPath(method.properties, 'Integration', 'Type'))?.toUpperCase());
    byApi.set(api, list);
  }
  return byApi;
});

/**
 * Whether a REST API stage or deployment serves only mock integrations: every method of its API
 * answers from API Gateway itself, with nothing behind it whose callers an access log would audit.
 * An API defined by an OpenAPI body has methods this cannot see: not mock-only.
 */
function servesOnlyMocks(template: Template, stage: Resource): boolean {
  const apiId = referenceTarget(get(stage.properties, 'RestApiId'));
  const api = apiId ? template.resourceById.get(apiId) : undefined;
  if (api?.type !== 'AWS::ApiGateway::RestApi') return false;
  if (get(api.properties, 'Body') || get(api.properties, 'BodyS3Location')) return false;
  const types = methodIntegrations(template).get(api.logicalId) ?? [];
  return types.length > 0 && types.every((t) => t === 'MOCK');
}

export default defineRule({
  id: 'measure-everything/no-access-logs',
  lesson: 'measure-everything',
  title: 'Entry point without access logs',
  severity: 'info',
  equivalents: ['CKV_AWS_91', 'CKV_AWS_92', 'CKV_AWS_76', 'CKV_AWS_95', 'CKV_AWS_86'],
  fix: 'scaffold',
  resourceTypes: [
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ElasticLoadBalancing::LoadBalancer',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::Deployment',
    'AWS::ApiGatewayV2::Stage',
    'AWS::Serverless::Api',
    'AWS::Serverless::HttpApi',
    'AWS::CloudFront::Distribution',
  ],
  messages: {
    loadBalancer:
      'Load balancer {{id}} keeps no access logs: requests it rejects or times out leave no trace.',
    loadBalancerDisabled:
      'Load balancer {{id}} keeps no access logs (access_logs.s3.enabled is false{{provenance}}): requests it rejects or times out leave no trace.',
    apiStage:
      'API stage {{id}} keeps no access logs: who called what, and which requests were throttled or rejected, is not recorded.',
    apiStageOffByDefault:
      'API stage {{id}} keeps no access logs by default: they are written only when condition {{condition}} holds, which it does not with the default of parameter {{parameters}}.',
    deploymentStage:
      'The stage that deployment {{id}} creates keeps no access logs: who called what, and which requests were throttled or rejected, is not recorded.',
    distribution:
      'CloudFront distribution {{id}} keeps no access logs: requests answered from the edge never reach your own logs.',
  },
  docs: {
    what:
      'An Application Load Balancer without `access_logs.s3.enabled`, a classic load balancer without `AccessLoggingPolicy`, ' +
      'an API Gateway stage (REST, HTTP or WebSocket, SAM APIs and their `Globals` included) without an access log destination, ' +
      'and a CloudFront distribution without `Logging` or a CloudWatch log delivery. A REST API stage whose API has only `MOCK` integrations in the template (and no OpenAPI body) is left alone: API Gateway answers it with a fixed response, and there is nothing behind it whose callers need auditing. Values are judged through parameter defaults and `Fn::If` like everywhere else; an API stage whose `AccessLogSetting` is chosen by `Fn::If` is judged by the branch the parameters’ defaults take, and the message names the condition and the parameter that keep the logs off by default.',
    why:
      'The entry points see every request, including the ones that never reach your code: rejected by a WAF rule, throttled, timed out at the load balancer, answered from the cache. ' +
      'Their access logs are the network-level measurement, and the record of who called what and when that an incident review or a security investigation starts from. ' +
      'Application logs cannot replace them, and they cannot be collected after the fact.',
    example: {
      language: 'yaml',
      code: `Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod`,
    },
    useInstead: {
      language: 'yaml',
      code: `Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod
    AccessLogSetting:
      DestinationArn: !GetAtt ProdAccessLogs.Arn
      Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'
ProdAccessLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 90`,
    },
    fix:
      'Writes API access logs in JSON to a new log group kept 90 days, and load balancer and CloudFront logs to a log bucket of the template or to a new `AccessLogsBucket` parameter. ' +
      'A scaffold: the bucket’s policy must let the service deliver, and REST APIs also need the account’s API Gateway CloudWatch role (`AWS::ApiGateway::Account`).',
    references: [
      {
        title: 'Access logs for your Application Load Balancer',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html',
      },
      {
        title: 'Set up CloudWatch logging for REST APIs in API Gateway',
        url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
      },
      {
        title: 'CloudFront standard logging',
        url: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
        switch (resource.type) {
          case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
            const kind = possibleValues(template, get(resource.properties, 'Type'));
            if (get(resource.properties, 'Type') && !kind) break;
            if (kind?.some((v) => !v.absent && String(v.value) !== 'application')) break;
            const listPair = getPair(resource.properties, 'LoadBalancerAttributes');
            const list = asSeq(listPair?.value);
            if (listPair && !list) break;
            const enabledItem = attribute(list, 'access_logs.s3.enabled');
            const enabledNode = get(enabledItem, 'Value');
            const values = valuesOrDefault(template, enabledNode, false);
            if (!values || values.some((v) => asBoolean(v.value) !== false)) break;
            const known = values.map((v) => v.known).filter((v): v is NonNullable<typeof v> => !!v);
            report({
              at: enabledNode ?? resource.idNode,
              resource,
              messageId: enabledNode ? 'loadBalancerDisabled' : 'loadBalancer',
              data: { id, provenance: provenance(known) },
              fix: () => {
                const bucket = logBucket(target, template, 'Elastic Load Balancing');
                const edits: TextEdit[] = [...bucket.edits];
                const items: PlainValue[] = [];
                if (enabledNode) {
                  const replaced =
                    known.length === values.length
                      ? replaceValues(target, template, known, 'true')
                      : undefined;
                  if (!replaced) return undefined;
                  edits.push(...replaced);
                } else items.push({ Key: 'access_logs.s3.enabled', Value: 'true' });
                if (!attribute(list, 'access_logs.s3.bucket'))
                  items.push({ Key: 'access_logs.s3.bucket', Value: bucket.name });
                if (items.length > 0) {
                  if (list) edits.push(...items.map((item) => appendItem(target, list, item)));
                  else
                    edits.push(
                      setPath(target, resource.node, ['Properties', 'LoadBalancerAttributes'], items),
                    );
                }
                return { title: 'Write access logs to S3', edits, needs: bucket.needs };
              },
            });
            break;
          }
          case 'AWS::ElasticLoadBalancing::LoadBalancer': {
            const policy = getPair(resource.properties, 'AccessLoggingPolicy');
            const enabledPair = getPair(asMap(policy?.value), 'Enabled');
            const values = valuesOrDefault(template, policy ? enabledPair?.value : undefined, false);
            if (!values || values.some((v) => asBoolean(v.value) !== false)) break;
            report({
              at: enabledPair ? enabledPair.value : resource.idNode,
              resource,
              messageId: 'loadBalancer',
              data: { id },
              fix: () => {
                if (policy) return undefined;
                const bucket = logBucket(target, template, 'Elastic Load Balancing');
                return {
                  title: 'Write access logs to S3',
                  needs: bucket.needs,
                  edits: [
                    ...bucket.edits,
                    setPath(target, resource.node, ['Properties', 'AccessLoggingPolicy'], {
                      Enabled: true,
                      S3BucketName: bucket.name,
                      EmitInterval: 60,
                    }),
                  ],
                };
              },
            });
            break;
          }
          case 'AWS::ApiGateway::Stage':
          case 'AWS::Serverless::Api': {
            if (resource.type === 'AWS::ApiGateway::Stage' && servesOnlyMocks(template, resource)) break;
            const setting =
              resource.type === 'AWS::Serverless::Api'
                ? effectiveProperty(template, resource, 'AccessLogSetting')
                : (() => {
                    const pair = getPair(resource.properties, 'AccessLogSetting');
                    return pair ? { pair, fromGlobals: false } : undefined;
                  })();
            if (setting && get(setting.pair.value, 'DestinationArn')) break;
            // `AccessLogSetting: !If [LogsOn, {…}, !Ref AWS::NoValue]`: judged with the parameters' defaults.
            const choice = setting && intrinsic(setting.pair.value);
            const args = choice?.name === 'Fn::If' ? asSeq(choice.argument)?.items : undefined;
            const condition = scalarText(args?.[0]);
            const outcome = condition ? conditionByDefault(template, condition) : undefined;
            if (setting && !asMap(setting.pair.value) && !args) break;
            if (args && (!outcome || outcome.parameters.length === 0)) break;
            if (args && outcome) {
              // The branch the defaults take writes logs (or something this rule cannot read): nothing to say.
              if (!isNoValue(outcome.holds ? args[1] : args[2])) break;
              report({
                at: resource.idNode,
                resource,
                messageId: 'apiStageOffByDefault',
                data: { id, condition: condition ?? '', parameters: outcome.parameters.join(', ') },
              });
              break;
            }
            report({
              at: resource.idNode,
              resource,
              messageId: 'apiStage',
              data: { id },
              fix: () =>
                setting ? undefined : stageFix(target, template, resource, ['AccessLogSetting'], restFormat),
            });
            break;
          }
          case 'AWS::ApiGateway::Deployment': {
            // A deployment with a StageName creates that stage itself, configured by StageDescription.
            if (!get(resource.properties, 'StageName') || servesOnlyMocks(template, resource)) break;
            const description = get(resource.properties, 'StageDescription');
            if (description && !asMap(description)) break;
            const setting = getPair(description, 'AccessLogSetting');
            if (setting && (get(setting.value, 'DestinationArn') || !asMap(setting.value))) break;
            report({
              at: resource.idNode,
              resource,
              messageId: 'deploymentStage',
              data: { id },
              fix: () =>
                setting
                  ? undefined
                  : stageFix(
                      target,
                      template,
                      resource,
                      ['StageDescription', 'AccessLogSetting'],
                      restFormat,
                    ),
            });
            break;
          }
          case 'AWS::ApiGatewayV2::Stage':
          case 'AWS::Serverless::HttpApi': {
            const setting =
              resource.type === 'AWS::Serverless::HttpApi'
                ? effectiveProperty(template, resource, 'AccessLogSettings')
                : (() => {
                    const pair = getPair(resource.properties, 'AccessLogSettings');
                    return pair ? { pair, fromGlobals: false } : undefined;
                  })();
            if (setting && (get(setting.pair.value, 'DestinationArn') || !asMap(setting.pair.value))) break;
            report({
              at: resource.idNode,
              resource,
              messageId: 'apiStage',
              data: { id },
              fix: () =>
                setting ? undefined : stageFix(target, template, resource, ['AccessLogSettings'], httpFormat),
            });
            break;
          }
          case 'AWS::CloudFront::Distribution': {
            const config = get(resource.properties, 'DistributionConfig');
            if (!asMap(config) || getPath(config, 'Logging', 'Bucket') || deliversLogs(template, resource))
              break;
            if (getPair(config, 'Logging')) break;
            report({
              at: resource.idNode,
              resource,
              messageId: 'distribution',
              data: { id },
              fix: () => {
                const bucket = logBucket(target, template, 'CloudFront');
                return {
                  title: 'Write standard logs to S3',
                  needs: [
                    ...bucket.needs,
                    'Enable ACLs on that bucket (ObjectOwnership BucketOwnerPreferred): CloudFront standard logs are written with an ACL',
                  ],
                  edits: [
                    ...bucket.edits,
                    setPath(target, resource.node, ['Properties', 'DistributionConfig', 'Logging'], {
                      Bucket: bucket.domain,
                      IncludeCookies: false,
                    }),
                  ],
                };
              },
            });
            break;
          }
        }
      }
    },
  },
});
