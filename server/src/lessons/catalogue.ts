/**
 * The lessons every rule teaches. One source of truth: rule docs, hovers, the CLI's SARIF
 * output and the generated pages all read from here.
 */

export interface Reference {
  title: string;
  url: string;
}

export interface Lesson {
  id: LessonId;
  title: string;
  /** One sentence: the idea. */
  summary: string;
  /** A short paragraph: why the cloud punishes breaking it. */
  why: string;
  references: Reference[];
}

export const lessonIds = [
  'embrace-failure',
  'local-state',
  'transient-state',
  'immutable-infrastructure',
  'infrastructure-as-code',
  'async-event-driven',
  'scale-database',
  'measure-everything',
  'plan-for-the-worst',
  'auto-recovery',
  'encrypt-everything',
  'private-network',
  'least-privilege',
  'secrets-management',
  'container-ready',
] as const;

export type LessonId = (typeof lessonIds)[number];

const wellArchitected: Reference = {
  title: 'AWS Well-Architected Framework',
  url: 'https://docs.aws.amazon.com/wellarchitected/latest/framework/welcome.html',
};

export const lessons: Record<LessonId, Lesson> = {
  'embrace-failure': {
    id: 'embrace-failure',
    title: 'Embrace failure',
    summary:
      'Every instance, zone and dependency will fail at some point; design so that a failure is routine.',
    why:
      'At cloud scale something is always broken: a disk, a host, a whole Availability Zone, or the service you call. ' +
      'Systems that assume their dependencies answer promptly turn one slow component into an outage of everything that waits on it. ' +
      'Spread work over several zones, bound every wait with a timeout, retry with back-off, and rehearse failures on purpose so that recovery is a path you have already walked.',
    references: [
      { title: 'Principles of Chaos Engineering', url: 'https://principlesofchaos.org/' },
      {
        title: 'Well-Architected reliability pillar: design interactions to withstand failures',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/design-interactions-in-a-distributed-system-to-mitigate-or-withstand-failures.html',
      },
    ],
  },
  'local-state': {
    id: 'local-state',
    title: 'Keep state off the instance',
    summary:
      'Sessions, carts, caches and uploads kept in one process or on one disk vanish when it scales or dies.',
    why:
      'An elastic service adds and removes instances at any time and the load balancer sends each request wherever it likes. ' +
      'Anything a user needs on their next request, their login session, their basket, the file they just uploaded, must therefore live outside the instance: ' +
      'in Redis or Memcached, DynamoDB or S3. Otherwise scaling out logs people out, scaling in loses their data, and a crash loses everyone’s.',
    references: [
      wellArchitected,
      {
        title: 'Well-Architected: make services stateless where possible',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_mitigate_interaction_failure_stateless.html',
      },
    ],
  },
  'transient-state': {
    id: 'transient-state',
    title: 'Put transient state in a store built for it',
    summary:
      'Counters, job progress, short-lived lists and sets change constantly; keep them out of the relational database.',
    why:
      'Data that is rewritten on every request and stops mattering minutes later, such as view counters, progress percentages, session rows or rate-limit buckets, ' +
      'turns the SQL database into a hot spot of row locks and write amplification. That database is the hardest tier to scale, and it is usually the first to fall over when traffic grows. ' +
      'Redis (INCR, HSET, sorted sets) or DynamoDB with a time-to-live handle this kind of data cheaply and let it expire by itself.',
    references: [
      { title: 'Redis data types', url: 'https://redis.io/docs/latest/develop/data-types/' },
      {
        title: 'DynamoDB Time to Live',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html',
      },
    ],
  },
  'immutable-infrastructure': {
    id: 'immutable-infrastructure',
    title: 'Replace, never patch',
    summary:
      'Build images from pinned sources, replace servers instead of changing them, and roll new versions out gradually.',
    why:
      'A server that is upgraded in place drifts away from every other server and from what the repository describes, so no one can rebuild it exactly. ' +
      'Baking a versioned image (an AMI or a container image from a pinned base) and replacing the old servers with new ones makes every deployment repeatable. ' +
      'Sending a small share of traffic to the new version first and keeping the old version ready turns a bad release into a quick rollback instead of an incident.',
    references: [
      {
        title: 'Martin Fowler: Immutable Server',
        url: 'https://martinfowler.com/bliki/ImmutableServer.html',
      },
      {
        title: 'Well-Architected: deploy using immutable infrastructure',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_tracking_change_management_immutable_infrastructure.html',
      },
    ],
  },
  'infrastructure-as-code': {
    id: 'infrastructure-as-code',
    title: 'Describe everything as code',
    summary: 'Every resource lives in a version-controlled template, without hand-made or hard-wired values.',
    why:
      'A template is only repeatable if it can be deployed again into another account, region or environment without editing it. ' +
      'Literal account ids, region names and undocumented templates tie the code to one place and one person’s memory. ' +
      'Pseudo parameters, parameters and a description keep the template portable and make it something the whole team can read and review.',
    references: [
      {
        title: 'CloudFormation pseudo parameters',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html',
      },
      {
        title: 'CloudFormation best practices',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/best-practices.html',
      },
    ],
  },
  'async-event-driven': {
    id: 'async-event-driven',
    title: 'Hand slow work to queues and events',
    summary:
      'Keep request handlers fast; let queues, events and workers do the slow part, with retries and dead-letter queues.',
    why:
      'A request that resizes an image, renders a PDF or sends an e-mail ties up a server and makes the user wait, and when the work fails the request fails with it. ' +
      'Putting the job on a queue or raising an event answers the user at once, lets workers scale on their own, and gives each job retries. ' +
      'A dead-letter queue keeps the jobs that still fail, instead of losing them silently.',
    references: [
      {
        title: 'Amazon SQS dead-letter queues',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
      },
      {
        title: 'Lambda asynchronous invocation and destinations',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html',
      },
    ],
  },
  'scale-database': {
    id: 'scale-database',
    title: 'Plan how the database scales',
    summary:
      'Split reads from writes, replicate across zones, and let storage and capacity grow by themselves.',
    why:
      'The database is usually the one component that cannot simply be multiplied. ' +
      'A standby in another zone keeps it available when a zone fails, read replicas take the read load off the writer, and storage auto scaling avoids the night it fills up. ' +
      'Deciding this in the template is cheap; retrofitting it under load is not.',
    references: [
      {
        title: 'Amazon RDS Multi-AZ deployments',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html',
      },
      {
        title: 'Amazon RDS read replicas',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html',
      },
    ],
  },
  'measure-everything': {
    id: 'measure-everything',
    title: 'Measure everything, and act on it',
    summary:
      'Measure the application, the network and the machines, and put alarms with an escalation path on what matters.',
    why:
      'Without numbers you cannot tell a slow release from a slow dependency, or know how many users an instance can serve. ' +
      'Metrics, logs with a retention period and traces show cause and effect; alarms that notify someone turn them into action. ' +
      'Making measurement easy, with a middleware or a decorator, is what makes a team actually do it.',
    references: [
      {
        title: 'Amazon CloudWatch alarms',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
      },
      {
        title: 'Well-Architected operational excellence: observability',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/operational-excellence-pillar/implement-observability.html',
      },
    ],
  },
  'plan-for-the-worst': {
    id: 'plan-for-the-worst',
    title: 'Plan for the worst: protect the data',
    summary:
      'Data is what cannot be rebuilt: back it up automatically, protect it from deletion, test the restore.',
    why:
      'Servers can be recreated from a template in minutes; a deleted table or a dropped bucket cannot. ' +
      'Automated backups, point-in-time recovery, versioning and deletion protection turn a mistake or an attack into an inconvenience. ' +
      'A backup is only as good as the last restore that was tested, so rehearse it.',
    references: [
      {
        title: 'AWS Backup',
        url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/whatisbackup.html',
      },
      {
        title: 'CloudFormation DeletionPolicy attribute',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
      },
    ],
  },
  'auto-recovery': {
    id: 'auto-recovery',
    title: 'Recover by yourself',
    summary:
      'When the app crashes or the machine reboots, it comes back without a person; health checks decide when.',
    why:
      'Processes crash and hosts reboot, often at night. ' +
      'A restart policy, an Auto Scaling group and health checks that reflect whether the app really serves requests let the platform replace what is broken before anyone is paged. ' +
      'A container or instance with no health check is considered healthy as long as it exists, even when it is no longer answering.',
    references: [
      {
        title: 'Docker HEALTHCHECK instruction',
        url: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
      },
      {
        title: 'Health checks for Auto Scaling instances',
        url: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html',
      },
    ],
  },
  'encrypt-everything': {
    id: 'encrypt-everything',
    title: 'Encrypt in transit and at rest',
    summary: 'Use TLS for every connection and encryption for every stored byte.',
    why:
      'Networks in the cloud are shared, and disks, snapshots and backups travel further than you think. ' +
      'TLS on every hop and encryption at rest cost almost nothing today, and they are what auditors and customers ask for first. ' +
      'Switching certificate verification off, even “just for testing”, removes the protection TLS was there to give.',
    references: [
      {
        title: 'Well-Architected security pillar: data protection',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/data-protection.html',
      },
      { title: "Let's Encrypt", url: 'https://letsencrypt.org/' },
    ],
  },
  'private-network': {
    id: 'private-network',
    title: 'Keep databases private and ports closed',
    summary:
      'Databases are never reachable from the internet, and every port that is not needed stays closed.',
    why:
      'Anything with a public address is scanned within minutes of being created. ' +
      'A database or an admin port that answers the internet is one weak password or one unpatched bug away from a breach. ' +
      'Put data stores in private subnets, reach them only from the application’s security group, and open to the world only the ports your users need.',
    references: [
      {
        title: 'Amazon VPC security best practices',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html',
      },
      {
        title: 'Working with a DB instance in a VPC',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html',
      },
    ],
  },
  'least-privilege': {
    id: 'least-privilege',
    title: 'Least privilege',
    summary: 'No root, keys instead of passwords, and no shared administrator access.',
    why:
      'Whatever a process or a person is allowed to do, an attacker who takes it over can do too. ' +
      'Running containers as an unprivileged user, granting IAM policies only the actions and resources they need, and logging in with keys rather than passwords ' +
      'keep the damage of one compromised component small.',
    references: [
      {
        title: 'IAM: apply least-privilege permissions',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      },
      {
        title: 'Docker: USER instruction',
        url: 'https://docs.docker.com/reference/dockerfile/#user',
      },
    ],
  },
  'secrets-management': {
    id: 'secrets-management',
    title: 'Keep secrets out of code and images',
    summary: 'No secret in source, templates or images, and no password stored in plain text.',
    why:
      'Anything committed to a repository or baked into an image is copied to every clone, build log, cache and registry it passes through, and it stays in the history even after it is deleted. ' +
      'A secret written there must be treated as leaked. ' +
      'Keep secrets in a secrets manager, inject them at run time, rotate them, and store user passwords only as slow, salted hashes.',
    references: [
      {
        title: 'AWS Secrets Manager',
        url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html',
      },
      {
        title: 'OWASP Secrets Management Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      },
    ],
  },
  'container-ready': {
    id: 'container-ready',
    title: 'Build containers that can be replaced at any time',
    summary:
      'Configure by environment, keep state out of the container, install at build time and keep images light.',
    why:
      'An orchestrator starts, stops and moves containers whenever it needs to. ' +
      'A container that reads its configuration from the environment, installs nothing when it starts and stops cleanly on SIGTERM can be started anywhere in seconds and stopped without dropping requests. ' +
      'Small images pull faster, start faster and carry fewer vulnerabilities.',
    references: [
      { title: 'The Twelve-Factor App: config', url: 'https://12factor.net/config' },
      {
        title: 'Docker: building best practices',
        url: 'https://docs.docker.com/build/building/best-practices/',
      },
    ],
  },
};

export function isLessonId(value: string): value is LessonId {
  return (lessonIds as readonly string[]).includes(value);
}
