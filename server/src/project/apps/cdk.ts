import { basename, dirname, extname, isAbsolute, join, normalize } from 'node:path';
import type { Copies, Mount, Place, Runtime } from '../../engine/applications';
import { FileVerdicts } from '../../engine/file-verdicts';
import { isWithin } from '../../engine/workspace';
import { entry, objectOf, propsOf, Reader, tokenize, type CallExpr, type Expr, type Token } from './cdk-scan';
import { ReadFile, repositoryName, withoutTrailingSeparators } from './files';

/**
 * CDK apps as the application model reads them, from their sources (never synthesized): the
 * Lambda functions whose code is an asset folder of the workspace (`Code.fromAsset`,
 * `NodejsFunction` `entry`, `PythonFunction` `entry`, `DockerImageCode.fromImageAsset`), and the
 * ECS services whose image is built from a folder (`ContainerImage.fromAsset`, a
 * `DockerImageAsset`) or named by a registry image, with their copies and variable names.
 *
 * An app is the folder of a `cdk.json`: its entry file (the `app` command's script, else
 * `bin/*.ts`, `app.py`…) and the sources it imports, relative imports only, at most
 * `maxSources`. A string path is relative to that folder (CDK runs the app there), one joined to
 * `__dirname` or `__file__` to the source. Each source is read once per text.
 */
export interface CdkAppFacts {
  folder: string;
  sources: CdkSourceFacts[];
}

export interface CdkSourceFacts {
  file: ReadFile;
  runs: CdkRun[];
}

/** A runtime a CDK source declares, and the code it runs. */
export interface CdkRun {
  runtime: Runtime;
  /** The folder of the code: the asset folder, a `NodejsFunction` entry's folder, the Docker context. */
  codeRoot?: string;
  /** A `NodejsFunction`'s entry file: the code it runs, before the rest of its folder. */
  entry?: string;
  /** The Dockerfile of an image asset. */
  dockerfile?: string;
  /** For an ECS container from a registry image: its repository name, matched against the app's names. */
  names: Set<string>;
  file: ReadFile;
}

const maxSources = 30;
const maxSourceChars = 300_000;
const maxReads = 200;

/** The sources of the CDK apps the model reads, each parsed once per text. */
export class CdkSources {
  private readonly sources = new FileVerdicts<CdkSourceFacts & { imports: string[] }>(128);

  /** The app of a `cdk.json`, reading its sources through `read`. */
  app(cdkJson: string, text: string, read: (path: string) => string | undefined): CdkAppFacts {
    const folder = dirname(cdkJson);
    const python = /\bpython[0-9.]*\b|\.py\b/.test(appCommand(text) ?? '');
    const queue = entryFiles(folder, text, read);
    const seen = new Set<string>(queue);
    const sources: CdkSourceFacts[] = [];
    let reads = 0;
    while (queue.length > 0 && sources.length < maxSources) {
      const path = queue.shift()!;
      const source = read(path);
      if (source === undefined || source.length > maxSourceChars) continue;
      const facts = this.sources.get(`${folder}\u0000${path}`, source, () =>
        sourceFacts(path, source, folder),
      );
      sources.push(facts);
      for (const specifier of facts.imports)
        for (const candidate of importCandidates(folder, path, specifier, python || /\.py$/i.test(path))) {
          if (seen.has(candidate) || reads >= maxReads) continue;
          seen.add(candidate);
          reads++;
          if (read(candidate) !== undefined) {
            queue.push(candidate);
            break;
          }
        }
    }
    return { folder, sources };
  }
}

function appCommand(cdkJson: string): string | undefined {
  try {
    const app = (JSON.parse(cdkJson) as { app?: unknown }).app;
    return typeof app === 'string' ? app : undefined;
  } catch {
    return undefined;
  }
}

/** The script the `app` command runs (`npx ts-node bin/app.ts`, `python3 app.py`), else the usual entry files. */
function entryFiles(folder: string, cdkJson: string, read: (path: string) => string | undefined): string[] {
  const command = appCommand(cdkJson);
  const script = command
    ?.split(/\s+/)
    .find((part) => /^[\w./-]+\.(ts|js|mjs|cjs|py)$/i.test(part) && !part.startsWith('-'));
  if (script) return [normalize(join(folder, script))];
  const found: string[] = [];
  for (const name of ['app.py', 'main.py', 'index.ts', 'main.ts', 'app.ts', 'index.js', 'app.js'])
    if (read(join(folder, name)) !== undefined) found.push(join(folder, name));
  return found;
}

/** The files an import may name, most likely first. */
function importCandidates(folder: string, from: string, specifier: string, python: boolean): string[] {
  if (python) {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split('.').filter(Boolean);
    let base = dots > 0 ? dirname(from) : folder;
    for (let i = 1; i < dots; i++) base = dirname(base);
    const path = join(base, ...rest);
    return rest.length === 0 ? [] : [`${path}.py`, join(path, '__init__.py')];
  }
  if (!specifier.startsWith('.')) return [];
  const path = join(dirname(from), specifier);
  const stem = path.replace(/\.(js|mjs|cjs)$/, '');
  return [
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.js`,
    `${stem}.mjs`,
    join(path, 'index.ts'),
    join(path, 'index.js'),
    path,
  ].filter((p) => /\.(ts|tsx|js|mjs|cjs)$/.test(p) && !/\.d\.ts$/.test(p));
}

/** The relative imports of a source (TS `from './x'`, `require('./x')`; Python `from a.b import c`, `import a.b`). */
function importsOf(tokens: Token[], python: boolean): string[] {
  const imports: string[] = [];
  for (let i = 0; i < tokens.length && imports.length < 100; i++) {
    const t = tokens[i];
    if (python) {
      if (t.t !== 'id' || (t.v !== 'from' && t.v !== 'import') || tokens[i - 1]?.v === '.') continue;
      // `from ..pkg.mod import x`, `import pkg.mod`: dots, then names joined by dots.
      let j = i + 1;
      let module = '';
      while (tokens[j]?.v === '.') module += tokens[j++].v;
      while (tokens[j]?.t === 'id' && tokens[j].v !== 'import') {
        module += tokens[j++].v;
        if (tokens[j]?.v !== '.' || tokens[j + 1]?.t !== 'id') break;
        module += tokens[j++].v;
      }
      if (!module || /^(aws_cdk|constructs)(\.|$)/.test(module)) continue;
      if (!/^\.+$/.test(module)) imports.push(module);
      // `from stack import api_stack`, `from . import x`: the names may be modules of the package.
      if (t.v === 'from' && tokens[j]?.v === 'import')
        for (let k = j + 1; tokens[k]?.t === 'id' && k < j + 24; k++) {
          imports.push(`${module.endsWith('.') ? module : `${module}.`}${tokens[k].v}`);
          if (tokens[k + 1]?.v === 'as') k += 2;
          if (tokens[k + 1]?.v !== ',') break;
          k++;
        }
    } else if (t.t === 'str' && t.v.startsWith('.')) {
      const before = tokens[i - 1]?.v;
      const call = before === '(' ? tokens[i - 2]?.v : undefined;
      if (before === 'from' || before === 'import' || call === 'require' || call === 'import')
        imports.push(t.v);
    }
  }
  return imports;
}

const lambdaClasses = new Set([
  'Function',
  'NodejsFunction',
  'PythonFunction',
  'DockerImageFunction',
  'SingletonFunction',
]);
const patternClasses = new Set([
  'ApplicationLoadBalancedFargateService',
  'ApplicationLoadBalancedEc2Service',
  'NetworkLoadBalancedFargateService',
  'NetworkLoadBalancedEc2Service',
]);
const serviceClasses = new Set(['FargateService', 'Ec2Service']);
const otherClasses = new Set(['DockerImageAsset']);
const methods = new Set([
  'addContainer',
  'add_container',
  'addEnvironment',
  'add_environment',
  'autoScaleTaskCount',
  'auto_scale_task_count',
  'addMountPoints',
  'add_mount_points',
  'addTargets',
  'add_targets',
  'attachToApplicationTargetGroup',
  'attach_to_application_target_group',
  'attachToNetworkTargetGroup',
  'attach_to_network_target_group',
  'registerLoadBalancerTargets',
  'register_load_balancer_targets',
]);

interface Site {
  call: CallExpr;
  /** What it is assigned to (`fn`, `this.service`, `self.service`). */
  binding?: string;
  /** Its last name (`NodejsFunction`, `addContainer`). */
  name: string;
  /** The callee before the last name, for methods (`this.fn`). */
  receiver: string;
}

const lastName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/** What the call at token `k` is assigned to: `x = …`, `this.x = …`, `const x: T = …`. */
function bindingBefore(tokens: Token[], k: number): string | undefined {
  if (tokens[k - 1]?.v !== '=') return undefined;
  let j = k - 2;
  const parts: string[] = [];
  while (tokens[j]?.t === 'id') {
    parts.unshift(tokens[j].v);
    if (tokens[j - 1]?.v !== '.') break;
    j -= 2;
  }
  // A type annotation (`x: ecs.FargateService =`): the name is before the colon.
  if (tokens[j - 1]?.v === ':' && tokens[j - 2]?.t === 'id') {
    const before = tokens[j - 3]?.v === '.' && tokens[j - 4]?.t === 'id' ? `${tokens[j - 4].v}.` : '';
    return `${before}${tokens[j - 2].v}`;
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

function sourceFacts(path: string, text: string, folder: string): CdkSourceFacts & { imports: string[] } {
  const python = /\.py$/i.test(path);
  const tokens = tokenize(text, python);
  const reader = new Reader(tokens, python, 20 * tokens.length + 10_000);
  const file = new ReadFile(path, text, 'yaml');
  const imports = importsOf(tokens, python);
  // Only files that mention a construct this model reads are read further.
  if (!/Function|LoadBalanced|FargateService|Ec2Service/.test(text)) return { file, runs: [], imports };
  const sites: Site[] = [];
  for (let i = 0; i < tokens.length && sites.length < 500; i++) {
    const token = tokens[i];
    if (token.t !== 'id' || tokens[i - 1]?.v === '.') continue;
    if (python && (tokens[i - 1]?.v === 'def' || tokens[i - 1]?.v === 'class')) continue;
    const route = reader.path(i);
    if (!route) continue;
    const name = lastName(route.v);
    const known =
      lambdaClasses.has(name) ||
      patternClasses.has(name) ||
      serviceClasses.has(name) ||
      otherClasses.has(name) ||
      (methods.has(name) && route.v.includes('.'));
    if (known && tokens[route.end]?.v === '(') {
      const parsed = reader.call(i);
      if (parsed) {
        const start = !python && tokens[i - 1]?.v === 'new' ? i - 1 : i;
        const binding = bindingBefore(tokens, start);
        sites.push({
          call: parsed.call,
          ...(binding ? { binding } : {}),
          name,
          receiver: route.v.includes('.') ? route.v.slice(0, route.v.lastIndexOf('.')) : '',
        });
      }
    }
    // On inside the arguments: constructs declared in props are read too.
    i = route.end - 1;
  }
  const context: Context = { file, folder, python, sites, text };
  const runs: CdkRun[] = [];
  for (const site of sites) {
    const id = constructId(site.call, python);
    if (!id) continue;
    if (lambdaClasses.has(site.name)) {
      const run = lambdaRun(context, site, id);
      if (run) runs.push(run);
    } else if (patternClasses.has(site.name) || serviceClasses.has(site.name))
      runs.push(...serviceRuns(context, site, id));
  }
  return { file, runs, imports };
}

interface Context {
  file: ReadFile;
  folder: string;
  python: boolean;
  sites: Site[];
  text: string;
}

/** A construct's id (`new X(this, 'Id', …)`): its literal and where it is. */
function constructId(call: CallExpr, python: boolean): { v: string; s: number; e: number } | undefined {
  const positional = python ? call.args : call.args;
  const id = positional[1];
  return positional[0]?.k === 'name' && id?.k === 'str' ? id : undefined;
}

type Evaluated = { abs: string } | { rel: string };

/** A path the source writes: literal strings, `path.join`/`resolve` of `__dirname`, `os.path.join(os.path.dirname(__file__), …)`. */
function evaluate(expr: Expr | undefined, file: string): Evaluated | undefined {
  if (!expr) return undefined;
  switch (expr.k) {
    case 'str':
      return isAbsolute(expr.v) ? { abs: expr.v } : { rel: expr.v };
    case 'tpl': {
      if (!expr.v.includes('${')) return { rel: expr.v };
      const match = /^\$\{__dirname\}([^$`]*)$/.exec(expr.v);
      return match ? { abs: join(dirname(file), match[1]) } : undefined;
    }
    case 'name':
      return expr.v === '__dirname'
        ? { abs: dirname(file) }
        : expr.v === '__file__'
          ? { abs: file }
          : undefined;
    case 'call': {
      const callee = expr.callee;
      if (/^((path|os\.path|posixpath)\.)?(join|resolve)$/.test(callee)) {
        const parts = expr.args.map((a) => evaluate(a, file));
        if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
        // A later absolute part restarts the path for `resolve`; `join` only joins it.
        const resolves = /resolve$/.test(callee);
        let result: Evaluated = parts[0]!;
        for (const part of parts.slice(1)) {
          const text = 'abs' in part! ? part.abs : part!.rel;
          if ('abs' in part! && resolves) result = part;
          else result = 'abs' in result ? { abs: join(result.abs, text) } : { rel: join(result.rel, text) };
        }
        return result;
      }
      if (/^(os\.path\.(abspath|realpath|normpath)|str)$/.test(callee) && expr.args.length === 1)
        return evaluate(expr.args[0], file);
      if (/^os\.path\.dirname$/.test(callee) && expr.args.length === 1) {
        const inner = evaluate(expr.args[0], file);
        return inner && ('abs' in inner ? { abs: dirname(inner.abs) } : { rel: dirname(inner.rel) });
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** An asset path as CDK resolves it: relative paths against the app's folder, where `cdk` runs it. */
function assetPath(expr: Expr | undefined, context: Context): string | undefined {
  const value = evaluate(expr, context.file.path);
  if (!value) return undefined;
  return withoutTrailingSeparators(normalize('abs' in value ? value.abs : join(context.folder, value.rel)));
}

const spanPlace = (context: Context, node: { s: number; e: number }): Place =>
  context.file.place({ start: node.s, end: node.e });

/** The variable names a props object gives (`environment: { A: …, B: … }`), and whether that is all of them. */
function environmentOf(
  context: Context,
  props: Expr | undefined,
  keys: string[],
  bindings: string[],
): { names: string[]; known: boolean; at?: Place } {
  const names: string[] = [];
  let known = true;
  let at: Place | undefined;
  for (const key of keys) {
    const found = entry(props, key);
    if (!found) continue;
    at ??= context.file.place({ start: found.keyS, end: found.keyE });
    const object = objectOf(found.value);
    if (!object || object.opaque) known = false;
    for (const variable of object?.entries ?? []) names.push(variable.key);
  }
  // `fn.addEnvironment('NAME', …)` on the construct.
  for (const site of context.sites) {
    if (site.name !== 'addEnvironment' && site.name !== 'add_environment') continue;
    if (!bindings.some((b) => site.receiver === b)) continue;
    const name = site.call.args[0];
    if (name?.k === 'str') names.push(name.v);
    else known = false;
  }
  return { names: [...new Set(names)], known, ...(at ? { at } : {}) };
}

const numberOf = (expr: Expr | undefined) => (expr?.k === 'num' ? expr.v : undefined);

function lambdaRun(
  context: Context,
  site: Site,
  id: { v: string; s: number; e: number },
): CdkRun | undefined {
  const { file, python } = context;
  const props = propsOf(site.call, python);
  if (!python && props?.k !== 'obj') return undefined;
  let codeRoot: string | undefined;
  let entryFile: string | undefined;
  let dockerfile: string | undefined;
  if (site.name === 'NodejsFunction') {
    const written = entry(props, 'entry');
    // Without `entry`, the construct looks for `<file>.<id>.ts` beside the file that declares it.
    entryFile = written
      ? assetPath(written.value, context)
      : join(dirname(file.path), `${basename(file.path, extname(file.path))}.${id.v}${extname(file.path)}`);
    if (!entryFile) return undefined;
    codeRoot = dirname(entryFile);
  } else if (site.name === 'PythonFunction') {
    codeRoot = assetPath(entry(props, 'entry')?.value, context);
  } else {
    const code = entry(props, 'code')?.value;
    if (code?.k !== 'call') return undefined;
    const method = lastName(code.callee);
    if (
      !/^(fromAsset|from_asset|fromAssetImage|from_asset_image|fromImageAsset|from_image_asset)$/.test(method)
    )
      return undefined;
    if (!/Code$/.test(code.callee.slice(0, code.callee.lastIndexOf('.')))) return undefined;
    codeRoot = assetPath(code.args[0], context);
    if (codeRoot && /\.(zip|jar)$/i.test(codeRoot)) return undefined;
    if (codeRoot && !/^(fromAsset|from_asset)$/.test(method)) dockerfile = join(codeRoot, 'Dockerfile');
  }
  if (!codeRoot) return undefined;
  const reserved = entry(props, 'reservedConcurrentExecutions');
  const most = numberOf(reserved?.value) ?? Infinity;
  const bindings = site.binding ? [site.binding] : [];
  const environment = environmentOf(context, props, ['environment'], bindings);
  const idPlace = spanPlace(context, id);
  const filesystem = entry(props, 'filesystem');
  const mounts: Mount[] = [];
  let mountsKnown = true;
  if (filesystem) {
    const value = filesystem.value;
    const path = value.k === 'call' ? value.args[1] : undefined;
    if (
      value.k === 'call' &&
      /fromEfsAccessPoint|from_efs_access_point/.test(value.callee) &&
      path?.k === 'str' &&
      path.v.startsWith('/')
    )
      mounts.push({
        path: withoutTrailingSeparators(path.v),
        what: 'EFS access point',
        at: spanPlace(context, path),
      });
    else mountsKnown = false;
  }
  const copies: Copies = {
    most,
    words: Number.isFinite(most)
      ? most === 1
        ? 'one execution environment at a time'
        : `up to ${most} concurrent execution environments`
      : 'one execution environment per concurrent request',
    at: reserved ? spanPlace(context, reserved.value) : idPlace,
  };
  return {
    runtime: {
      kind: 'lambda',
      name: `CDK ${site.name} ${id.v}`,
      at: idPlace,
      copies,
      environment: environment.names,
      environmentKnown: environment.known,
      environmentAt: environment.at ?? idPlace,
      mounts,
      mountsKnown,
    },
    codeRoot,
    ...(entryFile ? { entry: entryFile } : {}),
    ...(dockerfile ? { dockerfile } : {}),
    names: new Set(),
    file,
  };
}

/** The image of a container: an asset folder (and its Dockerfile), or a registry image's repository name. */
function imageOf(
  context: Context,
  image: Expr | undefined,
): { dir?: string; dockerfile?: string; names: Set<string> } | undefined {
  if (image?.k !== 'call') return undefined;
  const method = lastName(image.callee);
  if (method === 'fromAsset' || method === 'from_asset') {
    const dir = assetPath(image.args[0], context);
    const file = entry(context.python ? image : image.args[1], 'file')?.value;
    const named = file?.k === 'str' ? file.v : 'Dockerfile';
    return dir ? { dir, dockerfile: join(dir, named), names: new Set() } : undefined;
  }
  if (method === 'fromDockerImageAsset' || method === 'from_docker_image_asset') {
    const target = image.args[0];
    const asset = context.sites.find(
      (s) => s.name === 'DockerImageAsset' && target?.k === 'name' && s.binding === target.v,
    );
    if (!asset) return undefined;
    const props = propsOf(asset.call, context.python);
    const dir = assetPath(entry(props, 'directory')?.value, context);
    const file = entry(props, 'file')?.value;
    return dir
      ? { dir, dockerfile: join(dir, file?.k === 'str' ? file.v : 'Dockerfile'), names: new Set() }
      : undefined;
  }
  if (method === 'fromRegistry' || method === 'from_registry') {
    const reference = image.args[0];
    const name = reference?.k === 'str' ? repositoryName(reference.v) : '';
    return name ? { names: new Set([name]) } : undefined;
  }
  return undefined;
}

interface Container {
  name?: string;
  image: NonNullable<ReturnType<typeof imageOf>>;
  props: Expr | undefined;
  bindings: string[];
}

function serviceRuns(context: Context, site: Site, id: { v: string; s: number; e: number }): CdkRun[] {
  const { python, file } = context;
  const props = propsOf(site.call, python);
  if (!python && props?.k !== 'obj') return [];
  const containers: Container[] = [];
  const pattern = patternClasses.has(site.name);
  const taskImage = pattern ? objectOf(entry(props, 'taskImageOptions')?.value) : undefined;
  if (taskImage) {
    const image = imageOf(context, entry(taskImage, 'image')?.value);
    const name = entry(taskImage, 'containerName')?.value;
    if (image)
      containers.push({
        ...(name?.k === 'str' ? { name: name.v } : {}),
        image,
        props: taskImage,
        bindings: [],
      });
  } else {
    // A task definition the file declares, and the containers it adds to it.
    const definition = entry(props, 'taskDefinition')?.value;
    if (definition?.k === 'name')
      for (const added of context.sites) {
        if (
          (added.name !== 'addContainer' && added.name !== 'add_container') ||
          added.receiver !== definition.v
        )
          continue;
        const containerProps = propsOf(added.call, python, 1);
        const image = imageOf(context, entry(containerProps, 'image')?.value);
        const name = added.call.args[0];
        if (image)
          containers.push({
            ...(name?.k === 'str' ? { name: name.v } : {}),
            image,
            props: containerProps,
            bindings: added.binding ? [added.binding] : [],
          });
      }
  }
  if (containers.length === 0) return [];
  const idPlace = spanPlace(context, id);
  const binding = site.binding;
  const loadBalanced = pattern
    ? context.file.place({ start: site.call.calleeS, end: site.call.calleeE })
    : targetsOf(context, binding);
  const copies = serviceCopies(context, site, props, idPlace, loadBalanced !== undefined);
  // Mount points added in code are not followed: what is mounted is then unknown.
  const mountsKnown = !context.sites.some(
    (s) => s.name === 'addMountPoints' || s.name === 'add_mount_points',
  );
  return containers.map((container) => {
    const environment = environmentOf(
      context,
      container.props,
      ['environment', 'secrets'],
      container.bindings,
    );
    return {
      runtime: {
        kind: 'ecs',
        name: `CDK ${site.name} ${id.v}`,
        at: idPlace,
        copies,
        ...(loadBalanced ? { loadBalanced } : {}),
        ...(container.name ? { container: container.name } : {}),
        environment: environment.names,
        environmentKnown: environment.known,
        environmentAt: environment.at ?? idPlace,
        mounts: [],
        mountsKnown,
      },
      ...(container.image.dir ? { codeRoot: container.image.dir } : {}),
      ...(container.image.dockerfile ? { dockerfile: container.image.dockerfile } : {}),
      names: container.image.names,
      file,
    };
  });
}

/** Where a load balancer is given the service as a target (`listener.addTargets(…, { targets: [service] })`, `service.attachToApplicationTargetGroup(…)`). */
function targetsOf(context: Context, binding: string | undefined): Place | undefined {
  if (!binding) return undefined;
  const word = new RegExp(`(^|[^\\w.])${binding.replace(/[.$]/g, '\\$&')}(?![\\w])`);
  for (const site of context.sites) {
    if (/^(addTargets|add_targets)$/.test(site.name)) {
      if (word.test(context.text.slice(site.call.s, site.call.e)))
        return context.file.place({ start: site.call.calleeS, end: site.call.calleeE });
    } else if (/^(attachTo|attach_to|register)/.test(site.name) && site.receiver === binding)
      return context.file.place({ start: site.call.calleeS, end: site.call.calleeE });
  }
  return undefined;
}

const tasks = (n: number) => (n === 1 ? '1 task' : `${n} tasks`);

/** `desiredCount` (1 when left out), two while a deployment replaces a single load-balanced task, `autoScaleTaskCount` `maxCapacity`. */
function serviceCopies(
  context: Context,
  site: Site,
  props: Expr | undefined,
  idPlace: Place,
  loadBalanced: boolean,
): Copies {
  const desired = entry(props, 'desiredCount');
  const count = desired ? numberOf(desired.value) : 1;
  let most = count ?? 1;
  let words = count !== undefined ? tasks(count) : 'its desiredCount of tasks';
  let at = desired ? spanPlace(context, desired.value) : idPlace;
  const maxHealthy = numberOf(entry(props, 'maxHealthyPercent')?.value);
  if (count === 1 && loadBalanced && (maxHealthy ?? 200) >= 200) {
    most = 2;
    words = '1 task behind a load balancer, and 2 while each deployment replaces it';
  }
  const binding = site.binding;
  if (binding)
    for (const scaling of context.sites) {
      if (scaling.name !== 'autoScaleTaskCount' && scaling.name !== 'auto_scale_task_count') continue;
      if (scaling.receiver !== binding && !scaling.receiver.startsWith(`${binding}.`)) continue;
      const max = entry(propsOf(scaling.call, context.python, 0), 'maxCapacity');
      const value = numberOf(max?.value);
      if (max && value !== undefined && value > most) {
        most = value;
        words = `up to ${tasks(value)} (auto scaling)`;
        at = spanPlace(context, max.value);
      }
    }
  return { most, words, at };
}

/**
 * The CDK runtimes that run a file: those whose code folder holds it, the deepest folder's (a
 * `NodejsFunction` whose entry is the file before the others of its folder; a file that is
 * another function's entry is not this one's code). Also the folder and the Dockerfile they give.
 */
export function cdkRunsFor(
  apps: CdkAppFacts[],
  path: string,
): { runs: CdkRun[]; root?: string; dockerfile?: string } {
  const all = apps.flatMap((app) => app.sources.flatMap((s) => s.runs));
  const entries = new Set(all.map((r) => r.entry).filter((e): e is string => !!e));
  const rank = (run: CdkRun) => {
    if (!run.codeRoot) return -1;
    if (run.entry)
      return run.entry === path ? 2 : entries.has(path) || !isWithin(run.codeRoot, path) ? -1 : 1;
    return isWithin(run.codeRoot, path) ? 1 : -1;
  };
  const ranked = all.map((run) => ({ run, rank: rank(run) })).filter((r) => r.rank > 0);
  if (ranked.length === 0) return { runs: [] };
  const best = Math.max(...ranked.map((r) => r.rank));
  const top = ranked.filter((r) => r.rank === best);
  const deepest = Math.max(...top.map((r) => r.run.codeRoot!.length));
  const runs = top.filter((r) => r.run.codeRoot!.length === deepest).map((r) => r.run);
  return {
    runs,
    root: runs[0].codeRoot,
    ...(runs.find((r) => r.dockerfile) ? { dockerfile: runs.find((r) => r.dockerfile)!.dockerfile } : {}),
  };
}

/** The ECS containers of CDK apps whose registry image is known by one of the app's names. */
export function cdkRunsNamed(apps: CdkAppFacts[], names: ReadonlySet<string>): CdkRun[] {
  return apps.flatMap((app) =>
    app.sources.flatMap((s) => s.runs.filter((r) => !r.codeRoot && [...r.names].some((n) => names.has(n)))),
  );
}
