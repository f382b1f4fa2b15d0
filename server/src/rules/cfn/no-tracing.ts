import { appendItem, setPath, type EditTarget } from '../../engine/edit';
import { executionRole, hasOwnRole, servesRequests } from '../../engine/cfn/functions';
import { stringsIn } from '../../engine/cfn/references';
import { effectiveProperty } from '../../engine/cfn/resources';
import { asBoolean, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import {
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, getPath } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

const xrayPolicy = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess' };

/** Layers and settings of other tracing tools: such a function is measured, just not by X-Ray. */
const otherTracer =
  /datadog|newrelic|new-relic|lumigo|dynatrace|instana|honeycomb|otel|opentelemetry|epsagon|thundra|sentry|elastic-apm|appdynamics/i;
const otherTracerVariable =
  /^(DD_|NEW_RELIC_|OTEL_|LUMIGO_|DT_|ELASTIC_APM_|SENTRY_)|^AWS_LAMBDA_EXEC_WRAPPER$/;

function tracedOtherwise(template: Template, fn: Resource): boolean {
  const layers = stringsIn(effectiveProperty(template, fn, 'Layers')?.pair.value);
  if (layers.some((l) => otherTracer.test(l))) return true;
  const ownVariables = asMap(getPath(fn.properties, 'Environment', 'Variables'))?.pairs ?? [];
  const globalVariables =
    asMap(getPath(template.globals, 'Function', 'Environment', 'Variables'))?.pairs ?? [];
  return [...ownVariables, ...globalVariables].some((p) => otherTracerVariable.test(String(p.key.value)));
}

/** The X-Ray write permission for a role the template defines; `granted` when it has it already. */
function grantTracing(target: EditTarget, role: Resource): TextEdit | 'granted' | undefined {
  const managed = getPair(role.properties, 'ManagedPolicyArns');
  if (!managed) return setPath(target, role.node, ['Properties', 'ManagedPolicyArns'], [xrayPolicy]);
  const list = asSeq(managed.value);
  if (!list) return undefined;
  if (stringsIn(list).some((arn) => /AWSXRay/i.test(arn))) return 'granted';
  return appendItem(target, list, xrayPolicy);
}

function functionFix(
  target: EditTarget,
  template: Template,
  fn: Resource,
  own: PossibleValue[] | undefined,
): Fix | undefined {
  const sam = fn.type === 'AWS::Serverless::Function';
  // A value written on the function is changed where it is (a parameter default too); otherwise
  // the function gets its own setting, since Globals may serve functions that want it off.
  const setting = own ? replaceValues(target, template, own, 'Active') : undefined;
  const edits: TextEdit[] = setting
    ? [...setting]
    : [
        sam
          ? setPath(target, fn.node, ['Properties', 'Tracing'], 'Active')
          : setPath(target, fn.node, ['Properties', 'TracingConfig', 'Mode'], 'Active'),
      ];
  // SAM grants the role it creates; a role the template names needs the permission itself.
  if (!sam || hasOwnRole(template, fn)) {
    const role = executionRole(template, fn);
    const grant = role && grantTracing(target, role);
    if (!grant) return undefined;
    // A new permission on a role is for a reviewer to see.
    if (grant !== 'granted') {
      return {
        title: `Trace requests with X-Ray (Active), with write access for role ${role.logicalId}`,
        kind: 'scaffold',
        needs: [
          `Review the X-Ray write access added to ${role.logicalId} (xray:PutTraceSegments, xray:PutTelemetryRecords)`,
        ],
        edits: [...edits, grant],
      };
    }
  }
  return { title: 'Trace requests with X-Ray (Active)', edits };
}

export default defineRule({
  id: 'measure-everything/no-tracing',
  lesson: 'measure-everything',
  title: 'Function or API stage without tracing',
  severity: 'info',
  equivalents: ['CKV_AWS_73', 'CKV2_AWS_26'],
  fix: 'safe',
  strictOnly: true,
  resourceTypes: [
    'AWS::Lambda::Function',
    'AWS::Serverless::Function',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::Deployment',
    'AWS::Serverless::Api',
  ],
  messages: {
    function:
      'Function {{id}} is not traced with X-Ray: a slow or failing request cannot be followed through the services it calls.',
    functionSetting:
      'Function {{id}} is not traced with X-Ray ({{setting}}{{where}} is {{mode}}{{provenance}}): a slow or failing request cannot be followed through the services it calls.',
    stage:
      'API stage {{id}} is not traced with X-Ray: requests cannot be followed from the API into the backends.',
    stageSetting:
      'API stage {{id}} is not traced with X-Ray (TracingEnabled{{where}} is false{{provenance}}): requests cannot be followed from the API into the backends.',
    deploymentStage:
      'The stage that deployment {{id}} creates is not traced with X-Ray: requests cannot be followed from the API into the backends.',
  },
  docs: {
    what:
      'A Lambda or SAM function that serves requests (API events, a function URL, an API Gateway integration, a load balancer or AppSync) ' +
      'whose tracing mode is not `Active` (SAM `Tracing`, also from `Globals`; `TracingConfig.Mode` on plain functions), ' +
      'and a REST API stage without `TracingEnabled` (API Gateway stages, deployments that create their stage, SAM APIs and their `Globals`). ' +
      'Functions instrumented by another tracer (Datadog, New Relic, Lumigo, OpenTelemetry layers or settings) are left alone, and so are functions that only consume events: ' +
      'a trace starts where a caller waits. ' +
      'In the `strict` preset only: read on real templates, this finding fell mostly on functions whose trace would show one hop (authorizers, connect and disconnect handlers, functions that answer from memory), and teams that trace usually switch it on for a whole account or through `Globals` at once.',
    why:
      'Logs and metrics tell you that a request was slow or failed; a trace tells you where: which function, which downstream call, which retry. ' +
      'In an event-driven system a single user action crosses API Gateway, several functions, queues and databases, and without tracing the only way to follow it is to correlate timestamps by hand. ' +
      'X-Ray sampling is cheap, and it has to be on before the incident you want to understand.',
    example: {
      language: 'yaml',
      code: `OrdersApi:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: python3.12`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersApi:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: python3.12
    Tracing: Active   # or once for all functions under Globals: Function`,
    },
    fix:
      'Sets the function’s tracing to `Active` (`Tracing`, `TracingConfig.Mode`) or the stage’s `TracingEnabled` to true, where the value is written or in the parameter default that supplies it. ' +
      'When the function runs as a role of the template without X-Ray permissions, the fix also attaches `AWSXRayDaemonWriteAccess` to the role: that fix is a scaffold, to review like any new permission.',
    references: [
      {
        title: 'Visualize Lambda function invocations using AWS X-Ray',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html',
      },
      {
        title: 'Tracing user requests to REST APIs using X-Ray',
        url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        switch (resource.type) {
          case 'AWS::Serverless::Function':
          case 'AWS::Lambda::Function': {
            if (!servesRequests(template, resource) || tracedOtherwise(template, resource)) break;
            const sam = resource.type === 'AWS::Serverless::Function';
            const setting = sam
              ? effectiveProperty(template, resource, 'Tracing')
              : (() => {
                  const pair = getPair(get(resource.properties, 'TracingConfig'), 'Mode');
                  return pair ? { pair, fromGlobals: false } : undefined;
                })();
            const values = valuesOrDefault(template, setting?.pair.value, 'PassThrough');
            if (!values || values.some((v) => String(v.value) === 'Active')) break;
            const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
            report({
              at: setting && !setting.fromGlobals ? setting.pair.value : resource.idNode,
              resource,
              messageId: setting ? 'functionSetting' : 'function',
              data: {
                id: resource.logicalId,
                setting: sam ? 'Tracing' : 'TracingConfig Mode',
                where: setting?.fromGlobals ? ' in Globals' : '',
                mode: String(values[0].value),
                provenance: provenance(known),
              },
              fix: () =>
                functionFix(
                  target,
                  template,
                  resource,
                  setting && !setting.fromGlobals && known.length === values.length ? known : undefined,
                ),
            });
            break;
          }
          case 'AWS::ApiGateway::Stage':
          case 'AWS::Serverless::Api': {
            const setting =
              resource.type === 'AWS::Serverless::Api'
                ? effectiveProperty(template, resource, 'TracingEnabled')
                : (() => {
                    const pair = getPair(resource.properties, 'TracingEnabled');
                    return pair ? { pair, fromGlobals: false } : undefined;
                  })();
            const values = valuesOrDefault(template, setting?.pair.value, false);
            if (!values || values.some((v) => asBoolean(v.value) !== false)) break;
            const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
            report({
              at: setting && !setting.fromGlobals ? setting.pair.value : resource.idNode,
              resource,
              messageId: setting ? 'stageSetting' : 'stage',
              data: {
                id: resource.logicalId,
                where: setting?.fromGlobals ? ' in Globals' : '',
                provenance: provenance(known),
              },
              fix: () => {
                if (setting && !setting.fromGlobals) {
                  const edits =
                    known.length === values.length ? replaceValues(target, template, known, true) : undefined;
                  return edits && { title: 'Enable X-Ray tracing', edits };
                }
                return {
                  title: 'Enable X-Ray tracing',
                  edits: [setPath(target, resource.node, ['Properties', 'TracingEnabled'], true)],
                };
              },
            });
            break;
          }
          case 'AWS::ApiGateway::Deployment': {
            // A deployment with a StageName creates that stage itself, configured by StageDescription.
            if (!get(resource.properties, 'StageName')) break;
            const pair = getPair(get(resource.properties, 'StageDescription'), 'TracingEnabled');
            const values = valuesOrDefault(template, pair?.value, false);
            if (!values || values.some((v) => asBoolean(v.value) !== false)) break;
            report({
              at: pair ? pair.value : resource.idNode,
              resource,
              messageId: 'deploymentStage',
              data: { id: resource.logicalId },
              fix: () => {
                if (pair) {
                  const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
                  const edits =
                    known.length === values.length ? replaceValues(target, template, known, true) : undefined;
                  return edits && { title: 'Enable X-Ray tracing', edits };
                }
                return {
                  title: 'Enable X-Ray tracing',
                  edits: [
                    setPath(
                      target,
                      resource.node,
                      ['Properties', 'StageDescription', 'TracingEnabled'],
                      true,
                    ),
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
