import rule from '../../../server/src/rules/cfn/single-az';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'an Auto Scaling group in one subnet (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  WebGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      VPCZoneIdentifier: «[!Ref PrivateSubnetA]»
  PrivateSubnetA:
    Type: AWS::EC2::Subnet
`,
      messages: [
        'Auto Scaling group WebGroup runs in one subnet: when that zone fails, the whole group goes with it.',
      ],
      messageIds: ['groupConfined'],
    },
    {
      name: 'two template subnets in the same zone, and a single-subnet parameter type',
      path: 'template.yaml',
      text: `Parameters:
  AppSubnet: {Type: 'AWS::EC2::Subnet::Id'}
Resources:
  A:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [0, !GetAZs '']}
  B:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [0, !GetAZs '']}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      VPCZoneIdentifier:
        «- !Ref A
        - !Ref B»
  Workers:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      VPCZoneIdentifier: «!Ref AppSubnet»
`,
      messages: [
        /runs in 2 subnets that are all in zone #0:/,
        /runs in one subnet \(parameter AppSubnet takes a single subnet\):/,
      ],
    },
    {
      name: 'a Fargate service in one subnet (JSON), and a comma list default with one entry',
      path: 'template.json',
      text: `{
  "Parameters": { "Subnets": { "Type": "CommaDelimitedList", "Default": "subnet-0abc" } },
  "Resources": {
    "Api": {
      "Type": "AWS::ECS::Service",
      "Properties": {
        "NetworkConfiguration": { "AwsvpcConfiguration": { "Subnets": «{ "Ref": "Subnets" }» } }
      }
    }
  }
}
`,
      messages: [/ECS service Api places its tasks in one subnet \(the default of parameter Subnets\)/],
      messageIds: ['serviceConfined'],
    },
    {
      name: 'Fn::If whose branches are both single zones names the condition',
      path: 'template.yaml',
      text: `Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AvailabilityZones: «!If [IsProd, [eu-west-1a], [eu-west-1b]]»
`,
      messages: [/runs in one Availability Zone, whichever way condition IsProd goes:/],
    },
    {
      name: 'a replication group without automatic failover, and one with it switched off',
      path: 'template.yaml',
      text: `Resources:
  «Sessions»:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {Engine: redis, NumCacheClusters: 2}
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {AutomaticFailoverEnabled: «'false'»}
`,
      messages: [
        /^ElastiCache replication group Sessions has no automatic failover \(AutomaticFailoverEnabled is not set, and it is off by default\)/,
        /\(AutomaticFailoverEnabled is false\)/,
      ],
      messageIds: ['failoverNotSet', 'failoverOff'],
    },
    {
      name: 'single-node Redis, memcached in one zone, a one-subnet cache group, MemoryDB without replicas',
      path: 'template.yaml',
      text: `Resources:
  «Redis»:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: redis, NumCacheNodes: 1}
  «Memcached»:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: memcached, NumCacheNodes: 3}
  CacheSubnets:
    Type: AWS::ElastiCache::SubnetGroup
    Properties: {Description: cache, SubnetIds: «[subnet-0abc]»}
  Memory:
    Type: AWS::MemoryDB::Cluster
    Properties: {NumReplicasPerShard: «0»}
`,
      messages: [
        /single node/,
        /AZMode is not set, and single-az is the default/,
        /has one subnet/,
        /NumReplicasPerShard is 0/,
      ],
      messageIds: ['singleNode', 'memcachedNotSet', 'subnetGroupConfined', 'noReplicas'],
    },
    {
      name: 'memcached kept in one zone by a parameter default, and single-node Valkey',
      path: 'template.yaml',
      text: `Parameters:
  CacheAzMode: {Type: String, Default: single-az, AllowedValues: [single-az, cross-az]}
Resources:
  Fragments:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: memcached, NumCacheNodes: 2, AZMode: «!Ref CacheAzMode»}
  «Leaderboard»:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: valkey, CacheNodeType: cache.t4g.small, NumCacheNodes: 1}
`,
      messages: [
        'Memcached cluster Fragments keeps all its nodes in one Availability Zone (AZMode is single-az (the default of parameter CacheAzMode)): when that zone fails, the whole cache is lost at once.',
        'Valkey cluster Leaderboard is a single node in one Availability Zone with no replica to fail over to: use a replication group with a replica in another zone and automatic failover.',
      ],
      messageIds: ['memcachedSingleAz', 'singleNode'],
    },
  ],
  clean: [
    {
      name: 'two zones, lists from parameters, GetAZs and imports',
      path: 'template.yaml',
      text: `Parameters:
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
  Csv: {Type: String}
Resources:
  A:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [0, !GetAZs '']}
  B:
    Type: AWS::EC2::Subnet
    Properties: {AvailabilityZone: !Select [1, !GetAZs '']}
  G1:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {VPCZoneIdentifier: [!Ref A, !Ref B]}
  G2:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {VPCZoneIdentifier: !Ref Subnets}
  G3:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {AvailabilityZones: !GetAZs ''}
  G4:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {VPCZoneIdentifier: [!ImportValue shared-private-subnets]}
  G5:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {VPCZoneIdentifier: !Split [',', !Ref Csv]}
  G6:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {VPCZoneIdentifier: ['subnet-a,subnet-b']}
`,
    },
    {
      name: 'caches with failover, cross-zone memcached, cluster mode',
      path: 'template.yaml',
      text: `Resources:
  R:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {AutomaticFailoverEnabled: true, MultiAZEnabled: true, NumCacheClusters: 2}
  Sharded:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {NumNodeGroups: 3}
  M:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: memcached, AZMode: cross-az, NumCacheNodes: 2}
  Db:
    Type: AWS::MemoryDB::Cluster
    Properties: {NumReplicasPerShard: 1}
`,
    },
  ],
});
