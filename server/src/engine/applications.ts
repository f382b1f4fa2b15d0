import type { Template } from './parse/cloudformation';
import type { Range, Span, TextEdit } from './text';

/**
 * What rules may know about the application a file belongs to, across the files that build,
 * run and configure it: the code, the image that packages it, where it runs and in how many
 * copies, the environment it is given and the backing services declared beside it. The
 * project model builds it (project/apps/); rules only read it, through `CheckContext.applications`.
 */

/** A place in another file: the model resolves its range, so that rules can point at it. */
export interface Place {
  path: string;
  span: Span;
  range: Range;
}

/** A place that explains a finding, in another file (LSP's related information, SARIF's relatedLocations). */
export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

/** Edits of another file, in offsets of the text the model read it with. */
export interface FileEdits {
  path: string;
  /** The text the edits apply to: a front-end writes them only while the file still has it. */
  text: string;
  edits: TextEdit[];
}

/** How many copies of the code run at once, and what says so. */
export interface Copies {
  /** The most copies the platform may run (Infinity for "as many as it needs": Lambda, global services). */
  most: number;
  /** In words, for messages: `2 tasks`, `up to 6 tasks (auto scaling)`, `as many execution environments as requests need`. */
  words: string;
  /** Where the number is written (`DesiredCount: 2`, `replicas: 3`), or the runtime's name. */
  at: Place;
}

/**
 * `kubernetes`: a Deployment, StatefulSet or DaemonSet container (plain manifests; no wiring
 * edits). CDK functions and services are `lambda` and `ecs` runtimes declared in a CDK source.
 */
export type RuntimeKind = 'compose' | 'ecs' | 'lambda' | 'kubernetes';

/** One way the code is run: a compose service, an ECS service's container, a Lambda function. */
export interface Runtime {
  kind: RuntimeKind;
  /** In words, for messages: `ECS service ShopApiService`, `compose service api`, `Lambda function Checkout`. */
  name: string;
  /** Its name where it is declared. */
  at: Place;
  copies: Copies;
  /** A load balancer sends it requests (an ECS service's `LoadBalancers`): where that is written. */
  loadBalanced?: Place;
  /** The container of the task definition that runs the code (ECS), by its `Name`. */
  container?: string;
  /** The environment variable names it is given (never their values). */
  environment: string[];
  /**
   * Whether `environment` is all it is given, as far as the files say: false when an env file
   * cannot be read, or ECS reads `EnvironmentFiles` from S3.
   */
  environmentKnown: boolean;
  /** Where the variables are given (the `environment:` key), or the runtime's name. */
  environmentAt: Place;
  /** The writable volumes mounted into it that outlive it (EFS, a host path, a named compose volume). */
  mounts: Mount[];
  /**
   * Whether `mounts` is all it mounts, as far as the files say: false when a mount's path or
   * volume is not written out (an ECS `VolumesFrom`, a path from a variable).
   */
  mountsKnown: boolean;
  /**
   * How long the platform waits after SIGTERM before it kills the code, when the files say it
   * (ECS `StopTimeout` or its default, compose `stop_grace_period` or its default); absent when
   * unknown, and for Lambda.
   */
  stopTimeout?: StopTimeout;
  /** The runtime sets its own command (compose `command`/`entrypoint`, ECS `Command`/`EntryPoint`): the image's `CMD` does not run there. */
  ownCommand?: boolean;
  /** The backing services of its file that its variables point at (`QUEUE_URL: !Ref Jobs`). */
  pointers?: Pointer[];
}

/** How long a runtime's platform waits after SIGTERM before it sends SIGKILL. */
export interface StopTimeout {
  /** The longest it can be, in seconds. */
  seconds: number;
  /** In words, for messages: `StopTimeout: 20`, `no StopTimeout: the Fargate default`, `stop_grace_period: 10s`. */
  words: string;
  /** Whether it is written (false: the platform's default). */
  written: boolean;
  /** The longest the platform accepts (Fargate: 120 s), when it has a limit. */
  most?: number;
  /** Where it is written, or where it would be (the container's `Name`, the service's name). */
  at: Place;
  /** Edits that set it to a number of seconds; undefined when it is not written as a plain literal. */
  raise?(seconds: number): FileEdits | undefined;
}

/** A variable a runtime is given whose value points at a backing service of the same file. */
export interface Pointer {
  variable: string;
  service: BackingService;
  /** Where the runtime is given the variable. */
  at: Place;
}

/** A volume mounted into a runtime, writable, whose files survive the runtime being replaced. */
export interface Mount {
  /** The path inside the container or function (`/mnt/uploads`, `/app/data`). */
  path: string;
  /** In words: `EFS volume uploads`, `compose volume data`, `EFS access point UploadsAccessPoint`. */
  what: string;
  /** Where the mount is written (the `ContainerPath`, `LocalMountPath`, the compose volume entry). */
  at: Place;
}

export type BackingKind = 'redis' | 'memcached' | 'dynamodb' | 'rds' | 'sqs' | 's3' | 'efs' | 'database';

/** A service declared beside the code: a compose service from a Redis image, an ElastiCache cluster, a table. */
export interface BackingService {
  kind: BackingKind;
  /** In words: `ElastiCache Redis SessionCache`, `compose service cache (redis)`. */
  name: string;
  at: Place;
  /** For an SQS queue: how long a received message stays hidden, when the files say it. */
  visibility?: QueueVisibility;
}

/** An SQS queue's `VisibilityTimeout` (30 s when it is not written). */
export interface QueueVisibility {
  /** The longest it can be, in seconds. */
  seconds: number;
  /** In words: `VisibilityTimeout: 20`, `no VisibilityTimeout: the SQS default`. */
  words: string;
  written: boolean;
  /** Where it is written, or the queue's logical id. */
  at: Place;
  /** Edits that set it to a number of seconds; undefined when it is not written as a plain literal. */
  raise?(seconds: number): FileEdits | undefined;
}

/** How the code reaches a backing service through the environment. */
export interface Wiring {
  /** The variable the code reads. */
  variable: string;
  /** `url`: it holds a `redis://` URL; `host`: a host name (the default port is assumed). */
  form: 'url' | 'host';
  /** `rediss://` rather than `redis://`: the cache only accepts TLS. */
  tls: boolean;
  /** Where a runtime already gets the variable. */
  provided: Place[];
  /** Edits that give the variable to the runtimes that run the code beside the service and lack it. */
  edits: FileEdits[];
  /** Runtimes of the code that cannot reach the service through the files (no such service beside them). */
  unreached: Runtime[];
}

/** A deployable unit: one code root, built into an image and run by one or more runtimes. */
export interface DeployableUnit {
  /** The folder of the code (a build context, a `CodeUri`). */
  root: string;
  /** The Dockerfile that packages it, when one does. */
  dockerfile?: string;
  /** The variable names its image sets (`ENV`), when there is a Dockerfile. */
  imageEnvironment: string[];
  /** The working directory its image starts the code in (the final stage's last absolute `WORKDIR`). */
  workdir?: string;
  runtimes: Runtime[];
  backing: BackingService[];
  /**
   * The variable that connects the code to one of its backing services (a Redis), and the edits
   * that give it to the runtimes beside the service that lack it. `as` names the variable when
   * another service's wiring chose it already (the code reads one name).
   */
  wiring(service: BackingService, as?: Pick<Wiring, 'variable' | 'form'>): Wiring | undefined;
  /**
   * The values of a variable that its runtimes are given written out in their files (a literal
   * in an ECS `Environment` entry, a Lambda `Environment.Variables`, a compose `environment:`):
   * not references, interpolations or env files. Rules judge them and never show them.
   */
  writtenValues?(variable: string): WrittenValue[];
  /**
   * Edits that move written values of a variable (from `writtenValues`) into secrets the
   * runtimes read: under the same variable (ECS), or, when the caller can make the code fetch
   * the secret (`codeFetches`), as its ARN in another variable (Lambda).
   */
  secretMove?(values: WrittenValue[], options?: { codeFetches: boolean }): SecretMove | undefined;
}

/** A variable's value written out in the file that gives it to a runtime. */
export interface WrittenValue {
  runtime: Runtime;
  variable: string;
  /** The value as written (a compose value without interpolation); for judging only, never to show. */
  value: string;
  /** Where the value is written. */
  at: Place;
  /**
   * Names the file shows beside the value, lower case: the runtime's own (service, container,
   * image repository) and the values of its user and database name settings. A value that
   * repeats one of them is a sample's stand-in anyone could guess.
   */
  beside: string[];
}

/** The edits of a move of written values into secrets, by file, with what they leave to do. */
export interface SecretMove {
  /** In words, for a fix title: `Secrets Manager secret ApiDbPasswordSecret`. */
  secrets: string[];
  edits: FileEdits[];
  /** What is left to do once applied (the values to set, roles the files do not show). */
  needs: string[];
  /** Whether the edits let every runtime moved read its secret (its role is in the files). */
  granted: boolean;
  /** Written values the move leaves as they are (compose, Lambda). */
  left: WrittenValue[];
  /**
   * Set when the runtimes are given the secret's ARN in this variable instead of the secret
   * (Lambda): the code must fetch the secret itself.
   */
  arnVariable?: string;
}

/** A template the caller has parsed already, with the text it was parsed from: not parsed again. */
export interface ParsedTemplate {
  text: string;
  template: Template;
}

export interface ApplicationIndex {
  /** The application whose code holds this file, when the workspace says how it is run. */
  of(path: string): DeployableUnit | undefined;
  /**
   * The applications a template or compose file runs (a runtime of each is declared in it): for
   * rules of that file that need the code. Absent where no project model is built.
   */
  runBy?(path: string, parsed?: ParsedTemplate): DeployableUnit[];
}

/** For documents outside any project model (tests of single-file rules, untitled documents). */
export const noApplications: ApplicationIndex = { of: () => undefined };
