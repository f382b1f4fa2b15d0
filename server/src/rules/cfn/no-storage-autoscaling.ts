import { removePair, replaceScalar, setPath, type EditTarget } from '../../engine/edit';
import { isClusterMember, isReplica } from '../../engine/cfn/databases';
import { referencedNames } from '../../engine/cfn/references';
import { asNumber, valuesOrDefault } from '../../engine/cfn/values';
import {
  possibleValues,
  property,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asMap, asScalar, asSeq, get, getPair, scalarText, type ScalarNode } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

/** The most storage an instance can grow to, in GiB (SQL Server allows less). */
function storageCeiling(engine: string | undefined): number {
  return engine?.startsWith('sqlserver') ? 16384 : 65536;
}

/** Tables that Application Auto Scaling resizes; undefined when a target cannot be read. */
function autoScaledTables(template: Template): Set<string> | undefined {
  const tables = new Set<string>();
  for (const resource of template.resourcesOfType(['AWS::ApplicationAutoScaling::ScalableTarget'])) {
    const namespace = scalarText(get(resource.properties, 'ServiceNamespace'));
    if (namespace && namespace !== 'dynamodb') continue;
    const resourceId = get(resource.properties, 'ResourceId');
    const names = referencedNames(resourceId);
    const literal = scalarText(resourceId);
    if (literal?.startsWith('table/')) names.add(`name:${literal.split('/')[1]}`);
    if (names.size === 0) return undefined;
    for (const name of names) tables.add(name);
  }
  return tables;
}

function onDemandFix(target: EditTarget, table: Resource): Fix | undefined {
  const properties = table.properties;
  if (!properties) return undefined;
  const edits: TextEdit[] = [];
  const throughput = getPair(properties, 'ProvisionedThroughput');
  const mode = getPair(properties, 'BillingMode');
  if (table.type === 'AWS::DynamoDB::Table') {
    if (mode) {
      // A mode from a parameter or condition stays the author's to change.
      if (!asScalar(mode.value)) return undefined;
      edits.push(replaceScalar(target, asScalar(mode.value) as ScalarNode, 'PAY_PER_REQUEST'));
      if (throughput) edits.push(removePair(target, properties, throughput));
    } else if (throughput) {
      // The capacity settings make way for the mode, in the same place.
      const json = target.format === 'json';
      const text = json ? '"BillingMode": "PAY_PER_REQUEST"' : 'BillingMode: PAY_PER_REQUEST';
      edits.push({ start: throughput.key.span.start, end: throughput.span.end, text });
    } else {
      edits.push(setPath(target, properties, ['BillingMode'], 'PAY_PER_REQUEST'));
    }
  } else if (throughput) {
    // A SimpleTable with nothing else to say loses its Properties: an empty one is invalid.
    const section = getPair(table.node, 'Properties');
    edits.push(
      properties.pairs.length === 1 && section
        ? removePair(target, table.node, section)
        : removePair(target, properties, throughput),
    );
  }
  for (const index of asSeq(get(properties, 'GlobalSecondaryIndexes'))?.items ?? []) {
    const map = asMap(index);
    const indexThroughput = getPair(map, 'ProvisionedThroughput');
    if (map && indexThroughput) edits.push(removePair(target, map, indexThroughput));
  }
  return {
    title: 'Switch to on-demand capacity (PAY_PER_REQUEST)',
    kind: 'scaffold',
    edits,
    needs: [
      `Compare the on-demand price with ${table.logicalId}’s steady load: a table busy around the clock can cost more`,
    ],
  };
}

export default defineRule({
  id: 'scale-database/no-storage-autoscaling',
  lesson: 'scale-database',
  title: 'Database storage or capacity cannot grow',
  severity: 'info',
  equivalents: [],
  fix: 'safe',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'],
  messages: {
    fixedStorage:
      'RDS database instance {{id}} has a fixed {{size}} GiB of storage{{provenance}} and no MaxAllocatedStorage: when the disk fills up, the database stops taking writes.',
    fixedCapacity:
      'DynamoDB table {{id}} has a fixed provisioned capacity and nothing scales it: requests above it are throttled when traffic grows.',
  },
  docs: {
    what:
      'An RDS instance (not an Aurora or cluster member, not a read replica) with `AllocatedStorage` but no `MaxAllocatedStorage`, ' +
      'and a DynamoDB table in provisioned mode (`BillingMode: PROVISIONED`, or a SAM `SimpleTable` with `ProvisionedThroughput`) that no Application Auto Scaling target in the template resizes.',
    why:
      'A database that cannot grow fails at the worst moment: when the business is busiest. An RDS instance whose disk fills up stops taking writes, and a DynamoDB table at its provisioned capacity throttles every request above it. ' +
      'RDS storage autoscaling adds space by itself up to `MaxAllocatedStorage`, and on-demand DynamoDB (or auto scaling of provisioned capacity) follows the traffic. ' +
      'Alarms on free space and throttling are still worth having; this just keeps a slow trend from turning into an outage.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    AllocatedStorage: '100'
Events:
  Type: AWS::DynamoDB::Table
  Properties:
    ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    AllocatedStorage: '100'
    MaxAllocatedStorage: 200
Events:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST`,
    },
    fix: "Sets `MaxAllocatedStorage` on an RDS instance to twice its storage (at least 20 GiB more, within the engine's limit). For a DynamoDB table it offers a scaffold that switches to on-demand capacity and drops the provisioned throughput: check what steady traffic then costs, or scale the provisioned capacity with Application Auto Scaling instead.",
    references: [
      {
        title: 'Managing capacity automatically with Amazon RDS storage autoscaling',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html',
      },
      {
        title: 'DynamoDB read/write capacity modes',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      let scaled: Set<string> | undefined | null = null;
      for (const resource of resources) {
        if (resource.type === 'AWS::RDS::DBInstance') {
          if (isClusterMember(resource) || isReplica(resource) || property(resource, 'MaxAllocatedStorage'))
            continue;
          const storagePair = property(resource, 'AllocatedStorage');
          const storage = possibleValues(template, storagePair?.value);
          const sizes = storage?.map((v) => asNumber(v.value));
          if (!storagePair || !storage || !sizes || sizes.some((s) => s === undefined)) continue;
          const type = valuesOrDefault(template, property(resource, 'StorageType')?.value, 'gp2');
          if (type?.some((v) => String(v.value).toLowerCase() === 'standard')) continue;
          const largest = Math.max(...(sizes as number[]));
          const engine = scalarText(property(resource, 'Engine')?.value)?.toLowerCase();
          const ceiling = Math.min(Math.max(largest * 2, largest + 20), storageCeiling(engine));
          report({
            at: resource.idNode,
            resource,
            messageId: 'fixedStorage',
            data: { id: resource.logicalId, size: largest, provenance: provenance(storage) },
            fix:
              ceiling > largest
                ? () => ({
                    title: `Let storage grow to ${ceiling} GiB (MaxAllocatedStorage)`,
                    edits: [setPath(target, resource.node, ['Properties', 'MaxAllocatedStorage'], ceiling)],
                  })
                : undefined,
          });
          continue;
        }
        const throughput = property(resource, 'ProvisionedThroughput');
        const modePair = property(resource, 'BillingMode');
        if (resource.type === 'AWS::Serverless::SimpleTable') {
          if (!throughput) continue;
        } else {
          const modes = valuesOrDefault(template, modePair?.value, 'PROVISIONED');
          if (!modes || !modes.every((v) => String(v.value).toUpperCase() === 'PROVISIONED')) continue;
        }
        if (scaled === null) scaled = autoScaledTables(template);
        if (!scaled) continue;
        const tableName = scalarText(property(resource, 'TableName')?.value);
        if (scaled.has(resource.logicalId) || (tableName && scaled.has(`name:${tableName}`))) continue;
        report({
          at: modePair && resource.type === 'AWS::DynamoDB::Table' ? modePair.value : resource.idNode,
          resource,
          messageId: 'fixedCapacity',
          data: { id: resource.logicalId },
          fix: () => onDemandFix(target, resource),
        });
      }
    },
  },
});
