import { environmentOf, imageOf, interpolate, isTestStack, type Service } from '../../engine/parse/compose';
import { defineRule } from '../../engine/rule';
import { isNonSecretValue, isSecretName } from '../../engine/secret-names';

/**
 * Passwords that documentation and sample stacks use as defaults: anyone could guess them, so
 * writing one down leaks nothing (that a stack runs with one is another matter).
 */
const wellKnownDefaults = new Set([
  'password',
  'passw0rd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'change_me',
  'changeit',
  'example',
  'test',
  'admin',
  'root',
  'guest',
  'default',
  'letmein',
  'mysecretpassword',
  'supersecret',
  'secretpassword',
  'postgres',
  'mysql',
  '123456',
  '12345678',
]);

/**
 * Whether a value is a known default, or only repeats a name the stack already shows (its
 * service, its image, its user or database name), maybe with `my`/`some` before or digits after:
 * `POSTGRES_PASSWORD: gitea` beside `POSTGRES_USER: gitea`, `MYSQL_ROOT_PASSWORD: somewordpress`.
 */
function isGuessable(value: string, names: Set<string>): boolean {
  const v = value.trim().toLowerCase();
  if (wellKnownDefaults.has(v)) return true;
  const core = v.replace(/^(my|some)[-_]?/, '').replace(/[-_]?\d{1,4}$/, '');
  return core.length > 0 && (names.has(core) || wellKnownDefaults.has(core));
}

/** The names a service shows: its own, its image's, and the values of its user and database settings. */
function shownNames(
  service: Service,
  repository: string | undefined,
  entries: { name: string; value?: string }[],
): Set<string> {
  const names = new Set([service.name.toLowerCase()]);
  if (repository) names.add(repository.toLowerCase());
  for (const entry of entries) {
    if (!/(^|_)(USER|USERNAME|DB|DATABASE|DB_NAME|NAME)$/.test(entry.name) || !entry.value) continue;
    const value = interpolate(entry.value).value;
    if (value) names.add(value.toLowerCase());
  }
  return names;
}

/** `${NAME:?…}`: compose refuses to start without the value, instead of running with an empty secret. */
function required(name: string): string {
  return `\${${name}:?set ${name} in .env or the environment}`;
}

export default defineRule({
  id: 'secrets-management/secret-in-compose',
  lesson: 'secrets-management',
  title: 'Secret written into a compose file',
  severity: 'error',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    written:
      '{{name}} of service {{service}} is written in the compose file: everyone with the repository has it.',
    fallsBack: '{{name}} of service {{service}} falls back to a secret written in the compose file.',
  },
  docs: {
    what:
      "A literal value for a secret-named variable (`POSTGRES_PASSWORD`, `API_TOKEN`, `SECRET_KEY`, …) under a service's `environment:`, in map or list form, " +
      'including a literal default in `${VAR:-default}`. Names that describe a secret rather than hold it (`*_FILE`, `*_URL`, `*_ID`) and switch values (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`) are not flagged, nor are test stacks (`docker-compose.test.yml`, `compose.ci.yaml`, `…e2e…`, or a stack with Docker Hub’s `sut` service), whose databases live for one run; a real token there is still found by `secrets-management/hardcoded-credential`. ' +
      'Nor are well-known default values (`password`, `changeme`, `secret`, `example`, `mysecretpassword`, `postgres`, …) and values that only repeat a name the file already shows (the service’s name, its image’s, the value of its `*_USER` or `*_DATABASE` setting, with `my`/`some` before or a number after, as in `POSTGRES_PASSWORD: gitea` beside `POSTGRES_USER: gitea`): anyone can guess them from the documentation or the file itself, so writing them down leaks nothing. They are the placeholders of stacks run on a developer’s machine; a stack deployed with one has a weak password, which is not this rule’s concern. ' +
      'The fix replaces the value with `${NAME:?…}`, which compose reads from `.env` or the environment and refuses to run without.',
    why:
      'A compose file lives in the repository, so its secrets are readable by everyone with access to it, for ever in its history, and shared by every copy of the project. ' +
      'The same password then ends up on every laptop and server, nobody can rotate it without a commit, and a public fork publishes it. ' +
      "Keep the value in an untracked `.env` file or the deployment's secret store, and let the compose file name only the variable.",
    example: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: s3cr3t`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    environment:
      # set in .env (kept out of git) or in the deployment's environment
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}`,
    },
    references: [
      {
        title: 'Compose: set environment variables and interpolation',
        url: 'https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/',
      },
      { title: 'Compose: secrets', url: 'https://docs.docker.com/compose/how-tos/use-secrets/' },
    ],
    fix: 'Replaces the value with `${NAME:?…}`. A scaffold: compose then refuses to start until the variable is set, so put the value in an untracked `.env` file or the environment first, and rotate the one that was written.',
  },
  checks: {
    compose({ model, document, report }) {
      // A test stack's databases are created for the run and thrown away with their fixtures.
      if (isTestStack(document.path, model)) return;
      for (const service of model.services) {
        const environment = environmentOf(service, document.text);
        const names = shownNames(service, imageOf(model, service)?.reference?.repository, environment);
        for (const entry of environment) {
          if (entry.value === undefined || !isSecretName(entry.name)) continue;
          const { value, variables } = interpolate(entry.value);
          // Only variables, no literal text: the value comes from outside the file.
          if (value === undefined || value === '' || isNonSecretValue(value)) continue;
          // A default anyone could guess from the documentation or the file itself is no leak.
          if (isGuessable(value, names)) continue;
          const fromDefault = variables.length > 0;
          const single = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-/.exec(entry.value);
          const name = single && entry.value.endsWith('}') ? single[1] : entry.name;
          const span = entry.valueSpan;
          // A block scalar's node runs on to the line break after it: report its text only.
          let end = entry.node.span.end;
          while (end > entry.node.span.start && /\s/.test(document.text[end - 1])) end--;
          report({
            at: span ?? { start: entry.node.span.start, end },
            messageId: fromDefault ? 'fallsBack' : 'written',
            data: { name: entry.name, service: service.name },
            fix: span
              ? () => ({
                  title: `Read ${name} from the environment`,
                  edits: [{ ...span, text: required(name) }],
                })
              : undefined,
          });
        }
      }
    },
  },
});
