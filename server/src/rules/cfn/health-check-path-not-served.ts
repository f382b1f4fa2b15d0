import { basename, dirname, join, relative } from 'node:path';
import type { DeployableUnit, RelatedLocation, Runtime } from '../../engine/applications';
import { referenceTarget } from '../../engine/cfn/references';
import {
  appRoutes,
  coveringMount,
  soleHealthRoute,
  nearbyRoutes,
  serves,
  type AppRoutes,
  type Route,
} from '../../engine/code/routes';
import { serviceKey } from '../../engine/parse/compose';
import { property, type Resource } from '../../engine/parse/cloudformation';
import { asMap, asScalar, asSeq, get, scalarText } from '../../engine/parse/tree';
import { defineRule, type Fix, type ReportedFinding } from '../../engine/rule';
import { LineIndex, type Span } from '../../engine/text';
import type { WorkspaceView } from '../../engine/workspace';

type MessageId = 'targetGroup' | 'targetGroupDefault' | 'container';

export default defineRule({
  id: 'auto-recovery/health-check-path-not-served',
  lesson: 'auto-recovery',
  title: "A health check requests a path the app's routes do not serve",
  severity: 'warning',
  // No peer tool reads the health check and the code it probes together.
  equivalents: [],
  fix: 'scaffold',
  messages: {
    targetGroup:
      'The health check of target group {{group}} requests `{{path}}`, but the code it checks ({{code}}) registers no route that serves it{{nearby}}: every check gets a 404, the targets never turn healthy, and ECS keeps replacing the tasks of {{service}}.',
    targetGroupDefault:
      'Target group {{group}} has no `HealthCheckPath`, so its health check requests `/`, but the code it checks ({{code}}) registers no route for `/`{{nearby}}: every check gets a 404, the targets never turn healthy, and ECS keeps replacing the tasks of {{service}}. Set `HealthCheckPath` to a route the app serves.',
    container:
      'This health check requests `{{path}}`, but the code in the image ({{code}}) registers no route that serves it{{nearby}}: the check fails every time, and the container is marked unhealthy while it works.',
  },
  docs: {
    what:
      "A health check that requests a path the application's code does not serve: the `HealthCheckPath` of an `AWS::ElasticLoadBalancingV2::TargetGroup` (or `/` when it has none) that an ECS service running the code puts its container behind (its `LoadBalancers[].TargetGroupArn`), " +
      'and a Dockerfile `HEALTHCHECK` or compose `healthcheck:` whose command requests a literal `http://localhost[:port]/path` in the image built from the code. ' +
      'The routes are read from every source file of the code (Express, Fastify and Koa routers; Flask and FastAPI decorators, blueprints and routers), matching exactly or through parameters (`/:id`, `<int:id>`, `{id}`), case aside. ' +
      'Nothing is reported when the routes cannot all be seen: a route path built at run time, a catch-all route, static files, a router or plugin from a package mounted at or above the path, middleware that may answer by itself, or a framework whose routes are declared elsewhere (NestJS, Next.js, Django, …). ' +
      'Nor is a `HEALTHCHECK` whose comment line above says to replace its path (the placeholder the `auto-recovery/no-healthcheck` scaffold writes): the file already asks for that change.',
    why:
      'A load balancer sends traffic only to targets that pass its health check, and ECS replaces tasks that fail it: a health check on a path the app answers with 404 keeps every task out of service and has ECS start new ones in a loop, though the app itself works. ' +
      'A container `HEALTHCHECK` that gets a 404 marks a working container unhealthy, so compose never starts what waits for it, and Swarm replaces it. ' +
      'The path lives in the template or the Dockerfile and the route in the code, usually written by different people at different times: a renamed route (`/health` → `/healthz`) breaks the check without anyone touching it.',
    example: {
      language: 'yaml',
      code: `# infra/template.yaml — shop-api/server.js registers app.get('/healthz', …)
ShopTargets:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    Protocol: HTTP
    Port: 3000
    TargetType: ip
    HealthCheckPath: /health`,
    },
    useInstead: {
      language: 'yaml',
      code: `ShopTargets:
  Type: AWS::ElasticLoadBalancingV2::TargetGroup
  Properties:
    Protocol: HTTP
    Port: 3000
    TargetType: ip
    HealthCheckPath: /healthz`,
    },
    fix:
      'When the code serves exactly one health-like route (its last segment is `health`, `healthz`, `ping`, `status`, `ready`…), the fix points the health check at it. ' +
      'A scaffold: make sure the route answers 200 without authentication, and quickly.',
    references: [
      {
        title: 'Elastic Load Balancing: health checks for Application Load Balancer target groups',
        url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
      },
      {
        title: 'Amazon ECS: services behind a load balancer (health checks and task replacement)',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html',
      },
      {
        title: 'Dockerfile reference: HEALTHCHECK',
        url: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
      },
    ],
  },
  resourceTypes: ['AWS::ElasticLoadBalancingV2::TargetGroup'],
  checks: {
    cfn({ model: template, resources, document, workspace, applications, report }) {
      if (resources.length === 0 || !applications.runBy) return;
      const services = template.resourcesOfType(['AWS::ECS::Service']);
      if (services.length === 0) return;
      let units: DeployableUnit[] | undefined;
      for (const group of resources) {
        const checked = checkedPath(group);
        if (!checked) continue;
        // The ECS services (and their containers) that register targets in this group.
        const behind: { service: Resource; container?: string }[] = [];
        for (const service of services)
          for (const item of asSeq(property(service, 'LoadBalancers')?.value)?.items ?? [])
            if (referenceTarget(get(item, 'TargetGroupArn')) === group.logicalId) {
              const containerNode = get(item, 'ContainerName');
              const container = scalarText(containerNode);
              // A container named through a parameter cannot be told apart from the others.
              if (containerNode && container === undefined) continue;
              behind.push({ service, ...(container !== undefined ? { container } : {}) });
            }
        if (behind.length === 0) continue;
        units ??= applications.runBy(document.path, { text: document.text, template });
        for (const { service, container } of behind) {
          const runs = (r: Runtime) =>
            r.kind === 'ecs' &&
            r.at.path === document.path &&
            r.at.span.start === service.idNode.span.start &&
            (container === undefined || r.container === container);
          const unit = units.find((u) => u.runtimes.some(runs));
          if (!unit || !runsCode(unit.dockerfile ? workspace.read(unit.dockerfile) : undefined)) continue;
          const judged = judge(unit.root, checked.path, workspace);
          if (!judged) continue;
          report({
            at: checked.at,
            resource: group,
            messageId: checked.written ? 'targetGroup' : 'targetGroupDefault',
            data: {
              group: group.logicalId,
              path: checked.path,
              code: shown(workspace, document.path, unit.root),
              service: service.logicalId,
              nearby: nearbyWords(judged.nearby),
            },
            related: relatedOf(judged, workspace),
            fix: checked.written
              ? () => pathFix(judged, checked.valueSpan, checked.path, document.text)
              : undefined,
          });
          break;
        }
      }
    },
    docker({ model, document, workspace, applications, report }) {
      const final = model.finalStage;
      if (!final || final.fragment) return;
      const healthcheck = model.chainInstructions(final, 'HEALTHCHECK').at(-1);
      if (!healthcheck) return;
      const span = model.span(healthcheck.getRange());
      const probe = localUrl(document.text, span);
      if (!probe || markedAsPlaceholder(document.text, span.start, probe.path)) return;
      const root = imageCode(document.path, workspace, applications.of(document.path), document.text);
      if (!root) return;
      reportProbe(report, probe, root, document.path, document.text, workspace);
    },
    compose({ model, document, workspace, applications, report }) {
      if (!applications.runBy) return;
      let units: DeployableUnit[] | undefined;
      for (const service of model.services) {
        const pair = serviceKey(model, service, 'healthcheck').pair;
        const check = asMap(pair?.value);
        if (!check || scalarText(get(check, 'disable')) === 'true') continue;
        const test = get(check, 'test');
        const scalars = asScalar(test) ? [test!] : (asSeq(test)?.items ?? []);
        let probe: Probe | undefined;
        for (const item of scalars) probe ??= localUrl(document.text, item.span);
        if (!probe) continue;
        units ??= applications.runBy(document.path);
        const unit = units.find((u) =>
          u.runtimes.some(
            (r) =>
              r.kind === 'compose' &&
              r.at.path === document.path &&
              r.at.span.start === service.nameNode.span.start,
          ),
        );
        if (!unit || !runsCode(unit.dockerfile ? workspace.read(unit.dockerfile) : undefined)) continue;
        reportProbe(report, probe, unit.root, document.path, document.text, workspace);
      }
    },
  },
});

/** The path a target group's health check requests, and where to say so; undefined when it checks no HTTP path. */
function checkedPath(
  group: Resource,
): { path: string; at: Span; valueSpan?: Span; written: boolean } | undefined {
  const text = (key: string) => scalarText(property(group, key)?.value)?.toUpperCase();
  if (text('TargetType') === 'LAMBDA') return undefined;
  if (text('HealthCheckEnabled') === 'FALSE' || text('ProtocolVersion') === 'GRPC') return undefined;
  const protocol = text('HealthCheckProtocol') ?? text('Protocol');
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return undefined;
  const pair = property(group, 'HealthCheckPath');
  if (!pair) return { path: '/', at: group.idNode.span, written: false };
  const value = asScalar(pair.value);
  if (typeof value?.value !== 'string' || !value.value.startsWith('/')) return undefined;
  return { path: value.value, at: value.span, valueSpan: innerSpan(value.span, value.style), written: true };
}

function innerSpan(span: Span, style: string): Span {
  return style === 'single' || style === 'double' || style === 'json'
    ? { start: span.start + 1, end: span.end - 1 }
    : span;
}

/**
 * Whether the comment line just above the health check calls its path a placeholder to replace
 * (as the no-healthcheck scaffold writes it): the file already asks for the change.
 */
function markedAsPlaceholder(text: string, start: number, path: string): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (lineStart === 0) return false;
  const previous = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
  return /^[ \t]*#/.test(previous) && /\breplace\b/i.test(previous) && previous.includes(path);
}

interface Probe {
  /** The URL as written. */
  at: Span;
  /** Where its path is (empty, just after the port, when it has none). */
  pathAt: Span;
  path: string;
}

/** The first `http://localhost[:port]/path` a health check's text requests. */
function localUrl(text: string, span: Span): Probe | undefined {
  const raw = text.slice(span.start, span.end);
  // curl and wget take a URL without its scheme too (`curl -f localhost:8000/health`).
  const match =
    /(?:\bhttps?:\/\/|(?<=^|[\s'"=])(?=(?:localhost|127\.0\.0\.1)[:/]))(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^\s'"`|;&)\\,\]]*)?(?=$|[\s'"`|;&)\\,\]])/.exec(
      raw,
    );
  if (match && !match[0].includes('://') && !/\b(curl|wget)\b/.test(raw)) return undefined;
  if (!match || /\$/.test(match[0])) return undefined;
  const start = span.start + match.index;
  const pathStart = start + match[0].length - (match[2]?.length ?? 0);
  return {
    at: { start, end: start + match[0].length },
    pathAt: { start: pathStart, end: start + match[0].length },
    path: match[2] ?? '/',
  };
}

/** A Dockerfile's code: the unit the application model builds it for, or the folder beside it with an app manifest. */
function imageCode(
  path: string,
  workspace: WorkspaceView,
  unit: DeployableUnit | undefined,
  text: string,
): string | undefined {
  if (!runsCode(text)) return undefined;
  if (unit) return unit.dockerfile === path ? unit.root : undefined;
  const folder = dirname(path);
  if (!/^(dockerfile|containerfile)$/i.test(basename(path))) return undefined;
  return ['package.json', 'requirements.txt', 'pyproject.toml', 'Pipfile'].some((m) =>
    workspace.exists(join(folder, m)),
  )
    ? folder
    : undefined;
}

/**
 * Whether the image starts the code itself (node, python, a Python web server) rather than a
 * proxy in front of it: the routes that answer are then the code's.
 */
function runsCode(text: string | undefined): boolean {
  if (text === undefined) return false;
  const stages = text.replace(/\\\r?\n/g, ' ').split(/^[ \t]*FROM[ \t]/im);
  const last = stages[stages.length - 1];
  const image = /^\s*(?:--\S+\s+)*(\S+)/.exec(last)?.[1].toLowerCase() ?? '';
  if (/(^|\/)(nginx|httpd|caddy|traefik|envoy|haproxy|openresty)(:|$|@)/.test(image)) return false;
  const start = [...last.matchAll(/^[ \t]*(CMD|ENTRYPOINT)[ \t]+(.+)$/gim)].map((m) => m[2]).join(' ');
  return /\b(node|nodemon|npm|yarn|pnpm|bun|tsx|ts-node|pm2(-runtime)?|python[\d.]*|gunicorn|uvicorn|hypercorn|flask|fastapi|waitress-serve|granian)\b/.test(
    start,
  );
}

interface Judged {
  routes: AppRoutes;
  nearby: Route[];
  /** The one health-like route the app serves, when there is exactly one. */
  health?: string;
}

/** The app's routes when all of them can be read, they are some, and none serves the path. */
function judge(root: string, path: string, workspace: WorkspaceView): Judged | undefined {
  const routes = appRoutes(root, workspace);
  if (!routes || routes.unseen) return undefined;
  const registered = routes.routes.filter((r) => r.span.end > r.span.start);
  if (registered.length === 0) return undefined;
  if (serves(routes, path) || coveringMount(routes, path)) return undefined;
  const health = soleHealthRoute(routes);
  return {
    routes,
    nearby: nearbyRoutes(routes, path),
    ...(health ? { health } : {}),
  };
}

function nearbyWords(routes: Route[]): string {
  if (routes.length === 0) return '';
  return ` (it serves ${routes.map((r) => `\`${r.path}\``).join(', ')}${routes.length >= 4 ? ', …' : ''})`;
}

function relatedOf(judged: Judged, workspace: WorkspaceView): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (const route of judged.nearby.slice(0, 3)) {
    const text = workspace.read(route.file);
    if (text === undefined) continue;
    const lines = new LineIndex(text);
    related.push({
      path: route.file,
      range: lines.rangeOf(route.span),
      message: `the app registers \`${route.path}\` here`,
    });
  }
  return related;
}

function shown(workspace: WorkspaceView, from: string, path: string): string {
  const base = workspace.root ?? dirname(from);
  return relative(base, path).split('\\').join('/') || '.';
}

function pathFix(judged: Judged, span: Span | undefined, path: string, text: string): Fix | undefined {
  if (!judged.health || !span || text.slice(span.start, span.end) !== path) return undefined;
  return {
    title: `Check \`${judged.health}\`, the health route the app serves`,
    edits: [{ start: span.start, end: span.end, text: judged.health }],
  };
}

function reportProbe(
  report: (finding: ReportedFinding<MessageId>) => void,
  probe: Probe,
  root: string,
  path: string,
  text: string,
  workspace: WorkspaceView,
): void {
  const judged = judge(root, probe.path, workspace);
  if (!judged) return;
  report({
    at: probe.at,
    messageId: 'container',
    data: { path: probe.path, code: shown(workspace, path, root), nearby: nearbyWords(judged.nearby) },
    related: relatedOf(judged, workspace),
    fix: () => {
      if (!judged.health) return undefined;
      const edit = { start: probe.pathAt.start, end: probe.pathAt.end, text: judged.health };
      if (text.slice(edit.start, edit.end) !== (probe.pathAt.end > probe.pathAt.start ? probe.path : ''))
        return undefined;
      return { title: `Check \`${judged.health}\`, the health route the app serves`, edits: [edit] };
    },
  });
}
