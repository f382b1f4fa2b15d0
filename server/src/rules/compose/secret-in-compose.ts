import { composeSecrets, type ComposeSecret, type SecretPlace } from '../../engine/compose/secrets';
import type { ComposeFile } from '../../engine/parse/compose';
import { defineRule, type CheckContext, type ReportedFinding } from '../../engine/rule';

/** `${NAME:?…}`: compose refuses to start without the value, instead of running with an empty secret. */
function required(name: string): string {
  return `\${${name}:?set ${name} in .env or the environment}`;
}

/** `DATABASE_URL of service backend`, or what is known of the place. */
function placeName(place: SecretPlace): string {
  if (place.name && place.service) return `${place.name} of service ${place.service.name}`;
  if (place.service) return `a URL of service ${place.service.name}`;
  return 'a URL';
}

/**
 * Reports one secret once: on its `first` variable (the database's own), the other places as related
 * locations and in the message; the fix reads that one variable everywhere the value is written.
 * Shared by this rule and its strict companion.
 */
export function reportSecret(
  {
    document,
    report,
  }: Pick<CheckContext<ComposeFile>, 'document'> & {
    report: (finding: ReportedFinding<'written' | 'fallsBack'>) => void;
  },
  secret: ComposeSecret,
  data: Record<string, string> = {},
): void {
  const { first } = secret;
  const entry = first.entry;
  const single = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-/.exec(entry.value ?? '');
  const name = single && entry.value?.endsWith('}') ? single[1] : entry.name;
  const others = secret.places.filter((p) => p !== first);
  const also =
    others.length === 0
      ? ''
      : ` The same value is written in ${others
          .slice(0, 3)
          .map(placeName)
          .join(', ')}${others.length > 3 ? ` and ${others.length - 3} more places` : ''}.`;
  const editable = secret.places.filter((p) => p.editable);
  report({
    at: first.span,
    messageId: first.fromDefault ? 'fallsBack' : 'written',
    data: { name: entry.name, service: first.service?.name ?? '', also, ...data },
    related: others.map((place) => ({
      path: document.path,
      range: document.lines.rangeOf(place.span),
      message: `the same value, in ${placeName(place)}`,
    })),
    fix: first.editable
      ? () => ({
          title: `Read ${name} from the environment`,
          edits: editable.map((p) => ({ ...p.span, text: required(name) })),
        })
      : undefined,
  });
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
      '{{name}} of service {{service}} is written in the compose file: everyone with the repository has it.{{also}}',
    fallsBack: '{{name}} of service {{service}} falls back to a secret written in the compose file.{{also}}',
  },
  docs: {
    what:
      "A literal value for a secret-named variable (`POSTGRES_PASSWORD`, `API_TOKEN`, `SECRET_KEY`, …) under a service's `environment:`, in map or list form, " +
      'including a literal default in `${VAR:-default}`. Names that describe a secret rather than hold it (`*_FILE`, `*_URL`, `*_ID`) and switch values (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`) are not flagged, nor are test stacks (`docker-compose.test.yml`, `compose.ci.yaml`, `…e2e…`, or a stack with Docker Hub’s `sut` service), whose databases live for one run; a real token there is still found by `secrets-management/hardcoded-credential`. ' +
      'Nor are well-known default values (`password`, `changeme`, `secret`, `example`, `mysecretpassword`, `postgres`, …) and values that only repeat a name the file already shows (the service’s name, its image’s, the value of its `*_USER` or `*_DATABASE` setting, with `my`/`some` before or a number after, as in `POSTGRES_PASSWORD: gitea` beside `POSTGRES_USER: gitea`): anyone can guess them from the documentation or the file itself, so writing them down leaks nothing. They are the placeholders of stacks run on a developer’s machine; a stack deployed with one has a weak password, which is not this rule’s concern. ' +
      'One value is reported once per file: the same literal given to several variables (`MYSQL_ROOT_PASSWORD` of the database, `DB_PASSWORD` of the app) or as the password of a URL (a `DATABASE_URL` holding it after the user name) is one finding, on the database’s own variable when one holds it (else on the first variable), with the other places named in the message and shown as related locations; `secrets-management/hardcoded-credential` does not report those places again. ' +
      'The password of a database that only the compose network reaches is left to `secrets-management/local-database-password` (in `strict`): every variable holding it names a password, the database is a service of the file that publishes no port (`expose:` is internal) and does not share the host’s network, every URL with it points at that service, and the file is a local, sample or demo stack (as `auto-recovery/no-restart-policy` tells one: its name, its folder, source mounted over a service it builds, services built on the spot, …). A password that only containers on the compose network can use is a demo default on a developer’s machine, not a leak; it matters once the file is used to deploy, which is what `strict` assumes. ' +
      'Tokens, keys and passwords of anything reachable from outside stay here. ' +
      'The fix replaces the value with `${NAME:?…}`, which compose reads from `.env` or the environment and refuses to run without, in every place the same value is written.',
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
    fix: 'Replaces the value with `${NAME:?…}`, where it is reported and wherever else the file writes the same value (other variables, URL passwords), so that one variable sets them all. A scaffold: compose then refuses to start until the variable is set, so put the value in an untracked `.env` file or the environment first, and rotate the one that was written.',
  },
  checks: {
    compose(context) {
      const { model, document, workspace } = context;
      for (const secret of composeSecrets(model, document, workspace)) {
        // The password of a database only the compose network reaches, in a local stack: strict only.
        if (secret.internal) continue;
        reportSecret(context, secret);
      }
    },
  },
});
