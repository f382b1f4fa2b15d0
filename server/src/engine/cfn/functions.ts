import { intrinsic, type Resource, type Template } from '../parse/cloudformation';
import {
  asMap,
  asSeq,
  get,
  getPath,
  scalarText,
  type DataNode,
  type MapNode,
  type Pair,
} from '../parse/tree';
import { referencedNames, referenceTarget, resourcesMentioning, walk } from './references';
import { effectiveProperty, perTemplate } from './resources';

/**
 * What a template says about its Lambda functions, plain and SAM: how they are invoked, their
 * timeout, where failed asynchronous events go, and which queues feed them.
 */

export const functionTypes = ['AWS::Lambda::Function', 'AWS::Serverless::Function'];

export function isFunction(resource: Resource | undefined): resource is Resource {
  return !!resource && functionTypes.includes(resource.type ?? '');
}

/** Lambda's timeout when a function leaves it out, in seconds. */
export const defaultFunctionTimeout = 3;

/**
 * The resource a node points at: `!Ref X`, `!GetAtt X.Arn`, `!Sub ${X.Arn}`, and SAM's
 * `!Ref X.Alias` / `X.Version` for a function's published alias or version.
 */
export function targetResource(template: Template, node: DataNode | undefined): Resource | undefined {
  const target = referenceTarget(node);
  if (!target) return undefined;
  return template.resourceById.get(target) ?? template.resourceById.get(target.split('.')[0]);
}

/** A SAM function's event sources: `Events: {Name: {Type: S3, Properties: …}}`. */
export interface SamEvent {
  name: string;
  type: string;
  properties: MapNode | undefined;
  pair: Pair;
}

export function samEvents(resource: Resource): SamEvent[] {
  if (resource.type !== 'AWS::Serverless::Function') return [];
  const events: SamEvent[] = [];
  for (const pair of asMap(get(resource.properties, 'Events'))?.pairs ?? []) {
    const type = scalarText(get(pair.value, 'Type'));
    if (!type) continue;
    events.push({
      name: String(pair.key.value),
      type,
      properties: asMap(get(pair.value, 'Properties')),
      pair,
    });
  }
  return events;
}

/** SAM event types whose service invokes the function asynchronously, and what to call them. */
const asyncEventTypes: Record<string, string> = {
  S3: 'S3',
  SNS: 'SNS',
  EventBridgeRule: 'EventBridge',
  CloudWatchEvent: 'EventBridge',
  Schedule: 'an EventBridge schedule',
  ScheduleV2: 'EventBridge Scheduler',
  IoTRule: 'IoT',
  CloudWatchLogs: 'CloudWatch Logs',
};

/** Service principals that invoke Lambda asynchronously, as granted by `AWS::Lambda::Permission`. */
const asyncPrincipals: Record<string, string> = {
  's3.amazonaws.com': 'S3',
  'sns.amazonaws.com': 'SNS',
  'events.amazonaws.com': 'EventBridge',
  'iot.amazonaws.com': 'IoT',
  'logs.amazonaws.com': 'CloudWatch Logs',
  'ses.amazonaws.com': 'SES',
};

/** One way a function is invoked asynchronously: the service, and the event or resource that wires it. */
export interface AsyncSource {
  service: string;
  /** The SAM event name or the logical id of the wiring resource. */
  via: string;
  /**
   * The wiring keeps events it could not deliver (an EventBridge target's `DeadLetterConfig`,
   * an SNS subscription's `RedrivePolicy`): that does not cover events the function failed on.
   */
  deliveryDeadLetter?: boolean;
  /**
   * The source is a schedule (a SAM `Schedule`/`ScheduleV2` event, an EventBridge rule with a
   * `ScheduleExpression`, or a permission for one): its event carries no data but the time.
   */
  schedule?: boolean;
  /**
   * The source is an `AWS::Lambda::Permission` (`via` is its logical id): a grant, not a caller.
   * `caller` is the resource of the template its `SourceArn` points at, when it points at one.
   */
  grant?: { principal: string; caller?: string };
}

/**
 * What the other resources of a template say about its functions, read in one pass: rules ask
 * for every function, and scanning the template for each would grow with its square.
 */
interface FunctionWiring {
  /** Asynchronous sources wired by other resources (permissions, subscriptions, …), by function. */
  asyncSources: Map<Resource, AsyncSource[]>;
  /** Functions that API Gateway has permission to invoke. */
  apiInvoked: Set<Resource>;
  /** Request routers (APIs, function URLs, target groups, AppSync) by the logical ids they mention. */
  routers: Map<string, Resource[]>;
  /** Functions that custom resources and macros call. */
  deploymentHelpers: Set<Resource>;
}

const wiringByTemplate = new WeakMap<Template, FunctionWiring>();

function wiring(template: Template): FunctionWiring {
  const known = wiringByTemplate.get(template);
  if (known) return known;
  const found: FunctionWiring = {
    asyncSources: new Map(),
    apiInvoked: new Set(),
    routers: new Map(),
    deploymentHelpers: new Set(),
  };
  const synchronous = synchronousCallers(template);
  const add = (resource: Resource, node: DataNode | undefined, source: AsyncSource) => {
    const fn = targetResource(template, node);
    if (!fn || fn === resource) return;
    const list = found.asyncSources.get(fn);
    if (list) list.push(source);
    else found.asyncSources.set(fn, [source]);
  };
  for (const resource of template.resources) {
    const type = resource.type ?? '';
    const via = resource.logicalId;
    switch (type) {
      case 'AWS::Lambda::Permission': {
        const principal = scalarText(get(resource.properties, 'Principal')) ?? '';
        const target = get(resource.properties, 'FunctionName');
        const fn = targetResource(template, target);
        if (!fn || fn === resource) break;
        const service = asyncPrincipals[principal];
        // The permission alone does not say how the service calls: some callers wait for the answer.
        if (service && !synchronous.get(service)?.has(fn)) {
          const source = template.resourceById.get(
            referenceTarget(get(resource.properties, 'SourceArn')) ?? '',
          );
          const schedule = service === 'EventBridge' && !!source && isSchedule(source);
          const grant = { principal, ...(source ? { caller: source.logicalId } : {}) };
          add(resource, target, { service, via, ...(schedule ? { schedule } : {}), grant });
        }
        if (principal.startsWith('apigateway.')) found.apiInvoked.add(fn);
        break;
      }
      case 'AWS::IoT::TopicRule': {
        const named = new Set<Resource>();
        walk(get(resource.properties, 'TopicRulePayload'), (n) => {
          const fn = intrinsic(n) ? targetResource(template, n) : undefined;
          if (fn && !named.has(fn)) {
            named.add(fn);
            add(resource, n, { service: 'IoT', via });
          }
        });
        break;
      }
      case 'AWS::SNS::Subscription':
        if (scalarText(get(resource.properties, 'Protocol'))?.toLowerCase() === 'lambda') {
          add(resource, get(resource.properties, 'Endpoint'), {
            service: 'SNS',
            via,
            deliveryDeadLetter: !!get(resource.properties, 'RedrivePolicy'),
          });
        }
        break;
      case 'AWS::SNS::Topic':
        for (const item of asSeq(get(resource.properties, 'Subscription'))?.items ?? []) {
          if (scalarText(get(item, 'Protocol'))?.toLowerCase() === 'lambda')
            add(resource, get(item, 'Endpoint'), { service: 'SNS', via });
        }
        break;
      case 'AWS::Events::Rule':
        for (const item of asSeq(get(resource.properties, 'Targets'))?.items ?? [])
          add(resource, get(item, 'Arn'), {
            service: 'EventBridge',
            via,
            ...(isSchedule(resource) ? { schedule: true } : {}),
          });
        break;
      case 'AWS::S3::Bucket':
        for (const item of asSeq(
          getPath(resource.properties, 'NotificationConfiguration', 'LambdaConfigurations'),
        )?.items ?? [])
          add(resource, get(item, 'Function'), { service: 'S3', via });
        break;
      case 'AWS::CloudFormation::Macro': {
        const fn = targetResource(template, get(resource.properties, 'FunctionName'));
        if (fn) found.deploymentHelpers.add(fn);
        break;
      }
    }
    if (type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::')) {
      const fn = targetResource(template, get(resource.properties, 'ServiceToken'));
      if (fn) found.deploymentHelpers.add(fn);
    }
    if (requestRouters.has(type)) {
      for (const name of referencedNames(resource.properties)) {
        const list = found.routers.get(name);
        if (list) list.push(resource);
        else found.routers.set(name, [resource]);
      }
    }
  }
  wiringByTemplate.set(template, found);
  return found;
}

/**
 * The functions that IoT and SES call and wait for, by service: a custom authorizer, or a receipt
 * rule with `InvocationType: RequestResponse`. Their caller sees the failures, although the
 * same service invokes other functions asynchronously.
 */
function synchronousCallers(template: Template): Map<string, Set<Resource>> {
  const iot = new Set<Resource>();
  for (const authorizer of template.resourcesOfType(['AWS::IoT::Authorizer'])) {
    const fn = targetResource(template, get(authorizer.properties, 'AuthorizerFunctionArn'));
    if (fn) iot.add(fn);
  }
  const ses = new Set<Resource>();
  for (const rule of template.resourcesOfType(['AWS::SES::ReceiptRule'])) {
    for (const action of asSeq(getPath(rule.properties, 'Rule', 'Actions'))?.items ?? []) {
      const lambda = get(action, 'LambdaAction');
      const fn = targetResource(template, get(lambda, 'FunctionArn'));
      if (fn && scalarText(get(lambda, 'InvocationType')) === 'RequestResponse') ses.add(fn);
    }
  }
  return new Map([
    ['IoT', iot],
    ['SES', ses],
  ]);
}

/**
 * How `fn` is invoked asynchronously: SAM events from S3, SNS, EventBridge and others, and for
 * any function the permissions, subscriptions, rules and bucket notifications that call it.
 */
export function asyncSources(template: Template, fn: Resource): AsyncSource[] {
  const sources: AsyncSource[] = [];
  for (const event of samEvents(fn)) {
    const service = asyncEventTypes[event.type];
    if (service) {
      const deliveryDeadLetter = !!(
        get(event.properties, 'DeadLetterConfig') || get(event.properties, 'RedrivePolicy')
      );
      const schedule = event.type === 'Schedule' || event.type === 'ScheduleV2';
      sources.push({ service, via: event.name, deliveryDeadLetter, ...(schedule ? { schedule } : {}) });
    }
  }
  sources.push(...(wiring(template).asyncSources.get(fn) ?? []));
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.service}\u0000${s.via}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** SAM event types through which a caller waits for the function's answer. */
const requestEventTypes = new Set(['Api', 'HttpApi']);

/** Resource types that can send requests to a function and wait: APIs, function URLs, load balancers, AppSync. */
const requestRouters = new Set([
  'AWS::ApiGateway::Method',
  'AWS::ApiGatewayV2::Integration',
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
  'AWS::Lambda::Url',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::AppSync::DataSource',
]);

/**
 * Whether people (or clients) wait on this function: SAM API events and function URLs, API
 * Gateway integrations, load balancer targets, AppSync data sources and API Gateway's permission
 * to invoke it. These are the functions where a bad release or a slow call is felt directly.
 */
export function servesRequests(template: Template, fn: Resource): boolean {
  if (samEvents(fn).some((e) => requestEventTypes.has(e.type))) return true;
  if (get(fn.properties, 'FunctionUrlConfig')) return true;
  const { apiInvoked, routers } = wiring(template);
  return apiInvoked.has(fn) || (routers.get(fn.logicalId) ?? []).some((router) => router !== fn);
}

/** Whether a property is set to something other than `!Ref AWS::NoValue`. */
function isSet(node: DataNode | undefined): boolean {
  if (!node) return false;
  const fn = intrinsic(node);
  return !(fn?.name === 'Ref' && scalarText(fn.argument) === 'AWS::NoValue');
}

/**
 * Where `fn` sends asynchronous events that failed every retry: a dead-letter queue or an
 * `OnFailure` destination, on the function, in SAM's Globals, or in an
 * `AWS::Lambda::EventInvokeConfig`. Undefined when there is none.
 */
export function failureDestination(template: Template, fn: Resource): string | undefined {
  if (fn.type === 'AWS::Serverless::Function') {
    if (isSet(effectiveProperty(template, fn, 'DeadLetterQueue')?.pair.value)) return 'DeadLetterQueue';
    const invoke = effectiveProperty(template, fn, 'EventInvokeConfig')?.pair.value;
    if (isSet(getPath(invoke, 'DestinationConfig', 'OnFailure'))) return 'EventInvokeConfig OnFailure';
  } else if (isSet(get(fn.properties, 'DeadLetterConfig'))) {
    return 'DeadLetterConfig';
  }
  for (const resource of invokeConfigs(template).get(fn) ?? []) {
    if (isSet(getPath(resource.properties, 'DestinationConfig', 'OnFailure'))) return resource.logicalId;
  }
  return undefined;
}

/** The template's `AWS::Lambda::EventInvokeConfig` resources by the function they configure. */
const invokeConfigs = perTemplate((template) => {
  const byFunction = new Map<Resource, Resource[]>();
  for (const resource of template.resourcesOfType(['AWS::Lambda::EventInvokeConfig'])) {
    const fn = targetResource(template, get(resource.properties, 'FunctionName'));
    if (!fn) continue;
    const list = byFunction.get(fn);
    if (list) list.push(resource);
    else byFunction.set(fn, [resource]);
  }
  return byFunction;
});

/** A function fed by an SQS queue, and the SAM event or event source mapping that wires them. */
export interface QueueConsumer {
  queue: Resource;
  fn: Resource;
  /** The SAM event's name or the mapping's logical id. */
  via: string;
}

/** Every queue → function wiring in the template (SAM `SQS` events and event source mappings). */
export function queueConsumers(template: Template): QueueConsumer[] {
  const consumers: QueueConsumer[] = [];
  for (const resource of template.resourcesOfType([
    'AWS::Serverless::Function',
    'AWS::Lambda::EventSourceMapping',
  ])) {
    if (resource.type === 'AWS::Serverless::Function') {
      for (const event of samEvents(resource)) {
        if (event.type !== 'SQS') continue;
        const queue = targetResource(template, get(event.properties, 'Queue'));
        if (queue?.type === 'AWS::SQS::Queue') consumers.push({ queue, fn: resource, via: event.name });
      }
    } else if (resource.type === 'AWS::Lambda::EventSourceMapping') {
      const queue = targetResource(template, get(resource.properties, 'EventSourceArn'));
      const fn = targetResource(template, get(resource.properties, 'FunctionName'));
      if (queue?.type === 'AWS::SQS::Queue' && isFunction(fn)) {
        consumers.push({ queue, fn, via: resource.logicalId });
      }
    }
  }
  return consumers;
}

/**
 * Functions that only serve CloudFormation itself: custom resource handlers and macros.
 * They run during deployments, not for users, so runtime lessons do not apply to them.
 */
export function isDeploymentHelper(template: Template, fn: Resource): boolean {
  return wiring(template).deploymentHelpers.has(fn);
}

/** The IAM role resource a function runs as, when the template defines it (`Role: !GetAtt R.Arn`). */
export function executionRole(template: Template, fn: Resource): Resource | undefined {
  const role = effectiveProperty(template, fn, 'Role')?.pair.value;
  const resource = targetResource(template, role);
  return resource?.type === 'AWS::IAM::Role' ? resource : undefined;
}

/** Whether the function names its own role (else SAM creates one and grants what it needs). */
export function hasOwnRole(template: Template, fn: Resource): boolean {
  return !!effectiveProperty(template, fn, 'Role');
}

/** Resources that only grant or describe access to a function, never invoke it themselves. */
const bystanders = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Logs::LogGroup',
  'AWS::CloudWatch::Alarm',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
]);

/** An EventBridge rule or Scheduler schedule that runs on a `rate(…)`/`cron(…)`/`at(…)` expression. */
function isSchedule(resource: Resource): boolean {
  if (resource.type === 'AWS::Scheduler::Schedule') return true;
  return (
    resource.type === 'AWS::Events::Rule' &&
    !!get(resource.properties, 'ScheduleExpression') &&
    !get(resource.properties, 'EventPattern')
  );
}

/**
 * Whether schedules are all that start the function: its SAM events are all `Schedule` or
 * `ScheduleV2`, or the only resources of the template that name it, apart from roles, policies,
 * permissions and log groups, are schedules (EventBridge rules with a `ScheduleExpression`,
 * EventBridge Scheduler schedules). False when nothing in the template starts it: it may be
 * called from anywhere.
 */
export function startedOnlyBySchedule(template: Template, fn: Resource): boolean {
  const events = samEvents(fn);
  if (events.some((e) => e.type !== 'Schedule' && e.type !== 'ScheduleV2')) return false;
  if (get(fn.properties, 'FunctionUrlConfig') || servesRequests(template, fn)) return false;
  // SAM names the published alias and version `!Ref Fn.Alias`, `!Ref Fn.Version`.
  const others = [fn.logicalId, `${fn.logicalId}.Alias`, `${fn.logicalId}.Version`]
    .flatMap((name) => resourcesMentioning(template, name))
    .filter((r) => r !== fn && !bystanders.has(r.type ?? ''));
  if (others.some((r) => !isSchedule(r))) return false;
  return events.length > 0 || others.length > 0;
}
