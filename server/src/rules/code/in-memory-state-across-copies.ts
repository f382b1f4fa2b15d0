import { relative } from 'node:path';
import type {
  DeployableUnit,
  BackingService,
  FileEdits,
  RelatedLocation,
  Runtime,
  Wiring,
} from '../../engine/applications';
import { requestState } from '../../engine/code/request-state';
import { inMemorySessions, type InMemorySession } from '../../engine/code/sessions';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix, type MessageData } from '../../engine/rule';

export default defineRule({
  id: 'local-state/in-memory-state-across-copies',
  lesson: 'local-state',
  title: 'In-memory state in code that runs in several copies',
  severity: 'warning',
  // No peer tool reads the code and the files that run it together.
  equivalents: [],
  fix: 'scaffold',
  supersedes: ['local-state/in-memory-session-store', 'local-state/module-level-mutable-state'],
  messages: {
    sessions:
      "Sessions are kept in this process's memory, but {{runtime}} runs this code as {{copies}}{{where}}: a user who logged in on one copy is a stranger to the others, and every deployment or scale-in logs everyone out.{{store}}",
    collection:
      '`{{name}}` is {{container}} that {{scope}} writes to, but {{runtime}} runs this code as {{copies}}{{where}}: each copy holds a different `{{name}}`, and all of it is lost at every deployment or scale-in.{{store}}',
    counter:
      '`{{name}}` is a module-level counter that {{scope}} changes, but {{runtime}} runs this code as {{copies}}{{where}}: each copy counts only the requests it served, and starts again at zero when it is replaced.{{store}}',
    setFromRequest:
      "`{{name}}` is a module-level variable that {{scope}} sets from request data, but {{runtime}} runs this code as {{copies}}{{where}}: concurrent requests overwrite each other's value, and the other copies never see it.{{store}}",
    cache:
      '`{{name}}` is a cache inside this process that {{scope}} fills with request data, and {{runtime}} runs this code as {{copies}}{{where}}: each copy warms its own, so copies answer differently after an update. That is fine for data that never changes.{{store}}',
  },
  docs: {
    what:
      'Sessions kept in process memory (express-session or a fastify session plugin without a store, an explicit `MemoryStore`) and request data kept in module-level variables (the findings of `local-state/in-memory-session-store` and `local-state/module-level-mutable-state`), ' +
      'in code that the workspace runs in more than one copy: an ECS service with a `DesiredCount` above one, auto scaling or a load balancer; a compose service with `deploy.replicas` above one or in global mode; a Lambda function (one execution environment per concurrent request). ' +
      'The code is linked to what runs it by the compose `build:` context that holds it, the Dockerfile beside it and the container or ECR repository name of an ECS task definition, or the `CodeUri` of a SAM function. ' +
      'The finding takes the place of the single-file one, names the file that declares the copies and points at it. Only names are read from the environment, never values.',
    why:
      'A load balancer sends each request to whichever copy it likes. What one copy keeps in memory, the others have never seen: the user who logged in on task one is logged out on task two, ' +
      'a cart fills up and empties from one click to the next, counters count a share of the traffic. And every deployment replaces the copies, so all of it goes at once. ' +
      'The single-file rules can only say that this might happen; the template or compose file that runs two copies says that it does. ' +
      'When a Redis (a compose service from a Redis image, ElastiCache) is declared beside the code, the state belongs there, reached through an environment variable.',
    example: {
      language: 'javascript',
      code: `// shop-api/server.js — infra/template.yaml runs it as an ECS service with DesiredCount: 2
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));`,
    },
    useInstead: {
      language: 'javascript',
      code: `const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// REDIS_URL comes from the task definition (the ElastiCache endpoint) and from compose.
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });

app.use(session({ store: sessionStore, secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));`,
    },
    fix:
      'For sessions, when a Redis is declared beside the code (a compose service from a Redis image, an ElastiCache cluster, replication group or serverless cache in the template): ' +
      'gives the session middleware a connect-redis store whose client reads the variable the runtimes already get for that Redis, or `REDIS_URL`; ' +
      'and in the same edit adds that variable, pointing at the declared Redis, to the compose service and the ECS container definition or Lambda function that lack it. ' +
      'A scaffold: install `connect-redis` and `redis`; runtimes with no Redis beside them are listed as still to do. Module-level state has no fix: what replaces it depends on the data.',
    references: [
      { title: 'The Twelve-Factor App: processes are stateless', url: 'https://12factor.net/processes' },
      {
        title: 'Amazon ECS services: desired count and service auto scaling',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html',
      },
      {
        title: 'Amazon ElastiCache: caching strategies (session store)',
        url: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Strategies.html',
      },
      { title: 'connect-redis', url: 'https://github.com/tj/connect-redis' },
    ],
  },
  checks: {
    js: (context) => check(context, true),
    py: (context) => check(context, false),
  },
});

function check(context: CheckContext<CodeModel>, javascript: boolean): void {
  const { model, document, workspace, applications, report } = context;
  // The state first: most files keep none, and then the files around them need no reading.
  const sessions = javascript ? inMemorySessions(model, document.lines) : [];
  const states = requestState(model, document.path, workspace);
  if (sessions.length === 0 && states.length === 0) return;
  const app = applications.of(document.path);
  if (!app) return;
  const several = app.runtimes.filter((r) => r.copies.most > 1).sort((a, b) => b.copies.most - a.copies.most);
  const lead = several[0];
  if (!lead) return;
  const from = workspace.root ?? document.path;
  const shown = (path: string) => relative(from, path).split('\\').join('/') || path;
  const related = relatedOf(several);
  const store = storeOf(app, lead);
  const copies = lead.copies.words;
  const base: MessageData = {
    runtime: lead.name,
    copies,
    where: ` (${shown(lead.at.path)})`,
    store: store ? ` The ${store.name} declared in ${shown(store.at.path)} is shared by every copy.` : '',
  };
  // The stores every copy could share: the one the message names, then the other Redis servers the fix wires.
  const stores = store ? [store, ...app.backing.filter((b) => b.kind === 'redis' && b !== store)] : [];
  const withStore = [
    ...related,
    ...stores.slice(0, 3).map((b) => ({
      path: b.at.path,
      range: b.at.range,
      message: `${b.name} is declared here: a store all copies can share`,
    })),
  ];
  for (const session of sessions) {
    report({
      at: session.span,
      messageId: 'sessions',
      data: {
        ...base,
        store: store
          ? ` The ${store.name} declared in ${shown(store.at.path)} can hold them.`
          : ' Keep them in a store every copy reaches (Redis, DynamoDB).',
      },
      related: withStore,
      fix: () => sessionFix(app, session, lead),
    });
  }
  for (const state of states) {
    report({
      at: state.span,
      messageId: state.what,
      data: {
        ...base,
        name: state.name,
        scope: state.scope,
        ...(state.container ? { container: state.container } : {}),
      },
      severity: state.what === 'cache' ? 'info' : undefined,
      related: withStore,
    });
  }
}

/** Where each runtime says how many copies run (and that a load balancer spreads the requests). */
function relatedOf(runtimes: Runtime[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (const runtime of runtimes) {
    related.push({
      path: runtime.copies.at.path,
      range: runtime.copies.at.range,
      message: `${runtime.name} runs this code as ${runtime.copies.words}`,
    });
    if (runtime.loadBalanced)
      related.push({
        path: runtime.loadBalanced.path,
        range: runtime.loadBalanced.range,
        message: `a load balancer spreads the requests to ${runtime.name} over its tasks`,
      });
  }
  return related;
}

/**
 * The shared store declared beside the code that fits this state: a Redis first, then a DynamoDB
 * table; one declared beside the runtime with the most copies before others.
 */
function storeOf(app: DeployableUnit, lead: Runtime): BackingService | undefined {
  const ordered = besideFirst(app.backing, lead);
  return ordered.find((b) => b.kind === 'redis') ?? ordered.find((b) => b.kind === 'dynamodb');
}

function besideFirst(backing: readonly BackingService[], lead: Runtime): BackingService[] {
  const beside = (b: BackingService) => (b.at.path === lead.at.path ? 0 : 1);
  return [...backing].sort((a, b) => beside(a) - beside(b));
}

/**
 * A connect-redis store on the Redis declared beside the code, read from the variable its
 * runtimes get (one name for all of them), with the variable added where it is missing.
 */
function sessionFix(app: DeployableUnit, session: InMemorySession, leadRuntime: Runtime): Fix | undefined {
  if (!session.redisFix) return undefined;
  const caches = besideFirst(app.backing, leadRuntime).filter((b) => b.kind === 'redis');
  const first = caches
    .map((cache) => ({ cache, wiring: app.wiring(cache) }))
    .filter((w): w is { cache: BackingService; wiring: Wiring } => !!w.wiring);
  if (first.length === 0) return undefined;
  // The name a runtime already uses wins, a URL before a bare host.
  const lead =
    first.find((w) => w.wiring.provided.length > 0 && w.wiring.form === 'url') ??
    first.find((w) => w.wiring.provided.length > 0) ??
    first[0];
  const { variable, form, tls } = lead.wiring;
  const wirings = first
    .map((w) => (w === lead ? w.wiring : app.wiring(w.cache, { variable, form })))
    .filter((w): w is Wiring => !!w);
  const byFile = new Map<string, FileEdits>();
  for (const wiring of wirings)
    for (const edits of wiring.edits) if (!byFile.has(edits.path)) byFile.set(edits.path, edits);
  // A runtime is left out when no declared Redis is beside it.
  const unreached = app.runtimes.filter((r) => wirings.every((w) => w.unreached.includes(r)));
  const code = session.redisFix({ variable, form, tls });
  return {
    title: `Keep sessions in ${first[0].cache.name} (connect-redis, ${variable})`,
    edits: code.edits,
    ...(byFile.size > 0 ? { otherFiles: [...byFile.values()] } : {}),
    needs: [
      'Install connect-redis and redis (npm install connect-redis redis)',
      ...unreached.map((r) => `Give ${r.name} ${variable} too: no Redis is declared beside it`),
    ],
  };
}
