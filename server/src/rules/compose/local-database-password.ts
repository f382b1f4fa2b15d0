import { composeSecrets } from '../../engine/compose/secrets';
import { defineRule } from '../../engine/rule';
import { reportSecret } from './secret-in-compose';

export default defineRule({
  id: 'secrets-management/local-database-password',
  lesson: 'secrets-management',
  title: 'Password of a database only the compose network reaches, written in a local compose file',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  strictOnly: true,
  messages: {
    written:
      '{{name}} of service {{service}} is written in the compose file. Only the compose network reaches {{databases}}, so on a developer’s machine this is a demo default; wherever this file is deployed, it is a password everyone with the repository has.{{also}}',
    fallsBack:
      '{{name}} of service {{service}} falls back to a password written in the compose file. Only the compose network reaches {{databases}}, so on a developer’s machine this is a demo default; wherever this file is deployed, it is a password everyone with the repository has.{{also}}',
  },
  docs: {
    what:
      'A literal password of a database service, in a compose file that is a local, sample or demo stack, when that database publishes no port: what `secrets-management/secret-in-compose` leaves out of `recommended`. ' +
      'Every variable holding the value names a password (`MYSQL_ROOT_PASSWORD`, `DB_PASSWORD`), one of them belongs to a database service of the file (told by its image), that service publishes no port here or in a file merged with this one (`expose:` is internal) and does not use `network_mode: host`, and every URL with the value (a `DATABASE_URL` holding it after the user name) points at that service. ' +
      'One value is reported once, on the database’s own variable, with the other places named in the message and shown as related locations. ' +
      'In the `strict` preset only: a password that only containers on the compose network can use is a demo default, not a leak, as long as the file runs on a developer’s machine; it matters when the same file, or one copied from it, is used to deploy, which `strict` assumes.',
    why:
      'A compose file lives in the repository, so a password written in it is known to everyone with access, for ever in its history. ' +
      'While nothing outside the compose network can reach the database, knowing it gains nothing; once the file runs on a server, or its database publishes a port, the same password guards real data and cannot be rotated without a commit. ' +
      "Keep the value in an untracked `.env` file or the deployment's secret store, and let the compose file name only the variable.",
    example: {
      language: 'yaml',
      code: `services:
  app:
    build: .
    environment:
      DB_HOST: db
      DB_PASSWORD: tidepool-demo-7
  db:
    image: mariadb:11.4
    environment:
      MYSQL_ROOT_PASSWORD: tidepool-demo-7`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  app:
    build: .
    environment:
      DB_HOST: db
      DB_PASSWORD: \${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env}
  db:
    image: mariadb:11.4
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env}`,
    },
    references: [
      {
        title: 'Compose: set environment variables and interpolation',
        url: 'https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/',
      },
      { title: 'Compose: networking', url: 'https://docs.docker.com/compose/how-tos/networking/' },
    ],
    fix: 'Replaces the value with `${NAME:?…}` wherever the file writes it (the variable, the other variables and URL passwords with the same value). A scaffold: compose then refuses to start until the variable is set, so put the value in an untracked `.env` file first.',
  },
  checks: {
    compose(context) {
      const { model, document, workspace } = context;
      for (const secret of composeSecrets(model, document, workspace)) {
        if (!secret.internal) continue;
        const names = secret.internal.databases;
        const databases =
          names.length === 1
            ? `service ${names[0]}`
            : `services ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        reportSecret(context, secret, { databases });
      }
    },
  },
});
