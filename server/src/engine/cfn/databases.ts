import { property, type Resource } from '../parse/cloudformation';
import { scalarText } from '../parse/tree';
import { branches } from './branches';

/**
 * Which database resources own their data. An Aurora, DocumentDB or Neptune instance belongs
 * to a cluster that holds the data, its backups and its protection; a read replica copies a
 * source; a restore starts from a snapshot whose settings it inherits. Rules about backups,
 * deletion and encryption judge the owner, not the members.
 */

/**
 * Whether the property is set whichever way the template's conditions go: `!If [C, x, !Ref
 * AWS::NoValue]` leaves it out on one branch, where the resource is judged as written without it
 * (a restore from a snapshot only when one is given is a new, empty database otherwise).
 */
export function alwaysSet(resource: Resource, name: string): boolean {
  const pair = property(resource, name);
  return !!pair && branches(pair.value).every((b) => b.node !== undefined);
}

/** An RDS instance that is a member of a cluster (Aurora, Multi-AZ DB cluster). */
export function isClusterMember(resource: Resource): boolean {
  if (resource.type === 'AWS::DocDB::DBInstance' || resource.type === 'AWS::Neptune::DBInstance') return true;
  if (resource.type !== 'AWS::RDS::DBInstance') return false;
  if (alwaysSet(resource, 'DBClusterIdentifier')) return true;
  return /^aurora/i.test(scalarText(property(resource, 'Engine')?.value) ?? '');
}

/** A read replica of another instance or cluster: its data is a copy. */
export function isReplica(resource: Resource): boolean {
  return [
    'SourceDBInstanceIdentifier',
    'SourceDBClusterIdentifier',
    'ReplicationSourceIdentifier',
    'GlobalClusterIdentifier',
  ].some((name) => alwaysSet(resource, name));
}

/** Created from a snapshot or a point in time: encryption and similar settings come from the source. */
export function isRestored(resource: Resource): boolean {
  return [
    'DBSnapshotIdentifier',
    'SnapshotIdentifier',
    'RestoreType',
    'SourceDBInstanceAutomatedBackupsArn',
    'RestoreTime',
    'UseLatestRestorableTime',
  ].some((name) => alwaysSet(resource, name));
}

/** Database resources that own their data: clusters and stand-alone instances, not members or replicas. */
export function ownsData(resource: Resource): boolean {
  return !isClusterMember(resource) && !isReplica(resource);
}

const nouns: Record<string, string> = {
  'AWS::RDS::DBInstance': 'RDS database instance',
  'AWS::DocDB::DBCluster': 'DocumentDB cluster',
  'AWS::DocDB::DBInstance': 'DocumentDB instance',
  'AWS::Neptune::DBCluster': 'Neptune cluster',
  'AWS::Neptune::DBInstance': 'Neptune instance',
  'AWS::DynamoDB::Table': 'DynamoDB table',
  'AWS::DynamoDB::GlobalTable': 'DynamoDB global table',
  'AWS::Serverless::SimpleTable': 'DynamoDB table',
  'AWS::S3::Bucket': 'S3 bucket',
  'AWS::EC2::Volume': 'EBS volume',
  'AWS::EFS::FileSystem': 'EFS file system',
  'AWS::FSx::FileSystem': 'FSx file system',
  'AWS::ElastiCache::CacheCluster': 'ElastiCache cluster',
  'AWS::ElastiCache::ReplicationGroup': 'ElastiCache replication group',
  'AWS::ElastiCache::ServerlessCache': 'ElastiCache serverless cache',
  'AWS::MemoryDB::Cluster': 'MemoryDB cluster',
  'AWS::Redshift::Cluster': 'Redshift cluster',
  'AWS::OpenSearchService::Domain': 'OpenSearch domain',
  'AWS::Elasticsearch::Domain': 'Elasticsearch domain',
};

/** "RDS database instance", "Aurora cluster", "DynamoDB table", …: how messages name a data store. */
export function dataStoreNoun(resource: Resource): string {
  if (resource.type === 'AWS::RDS::DBCluster') {
    const engine = scalarText(property(resource, 'Engine')?.value) ?? '';
    return /^aurora/i.test(engine) || engine === '' ? 'Aurora cluster' : 'RDS database cluster';
  }
  return (resource.type && nouns[resource.type]) ?? 'resource';
}

const transientNames = /connection|session|lock|cache|idempot|dedup|nonce|rate-?limit|throttl|websocket/i;

/**
 * A table whose name says it holds short-lived state (WebSocket connections, sessions, locks,
 * caches, idempotency keys): rebuilt by the application, not data to back up or keep.
 */
export function holdsTransientState(resource: Resource): boolean {
  const name = scalarText(property(resource, 'TableName')?.value) ?? '';
  return transientNames.test(resource.logicalId) || transientNames.test(name);
}
