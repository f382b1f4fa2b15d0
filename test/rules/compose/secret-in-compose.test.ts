import rule from '../../../server/src/rules/compose/secret-in-compose';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a password that the file gives no way to guess, beside a guessable one',
      path: 'compose.yaml',
      text: `services:
  db:
    image: postgres:16.4
    environment:
      POSTGRES_USER: orders
      POSTGRES_PASSWORD: «k7Rw2-orders-prod»
      PGADMIN_PASSWORD: orders
`,
      messageIds: ['written'],
      fixed: `services:
  db:
    image: postgres:16.4
    environment:
      POSTGRES_USER: orders
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}
      PGADMIN_PASSWORD: orders
`,
    },
    {
      name: 'list form, map form, quoted, and a literal default',
      path: 'compose.yaml',
      text: `services:
  db:
    image: mariadb:11.4
    environment:
      - MYSQL_DATABASE=wordpress
      - MYSQL_ROOT_PASSWORD=«Wp-r00t-51»
      - "MYSQL_PASSWORD=«Wp-us3r-51»"
  app:
    image: example/app:1.0
    environment:
      DB_PASSWORD: «wordpress» # the database's name, but nothing in this service says so
      SECRET_KEY: '«dev-only-9f8e7d»'
      API_TOKEN: «\${API_TOKEN:-tok_example_123}»
`,
      messages: [
        'MYSQL_ROOT_PASSWORD of service db is written in the compose file: everyone with the repository has it.',
        /MYSQL_PASSWORD/,
        /DB_PASSWORD/,
        /SECRET_KEY/,
        'API_TOKEN of service app falls back to a secret written in the compose file.',
      ],
      messageIds: ['written', 'written', 'written', 'written', 'fallsBack'],
      fixed: `services:
  db:
    image: mariadb:11.4
    environment:
      - MYSQL_DATABASE=wordpress
      - MYSQL_ROOT_PASSWORD=\${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env or the environment}
      - "MYSQL_PASSWORD=\${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env or the environment}"
  app:
    image: example/app:1.0
    environment:
      DB_PASSWORD: \${DB_PASSWORD:?set DB_PASSWORD in .env or the environment} # the database's name, but nothing in this service says so
      SECRET_KEY: '\${SECRET_KEY:?set SECRET_KEY in .env or the environment}'
      API_TOKEN: \${API_TOKEN:?set API_TOKEN in .env or the environment}
`,
    },
    {
      name: 'passwords named pass and pwd, as the images read them',
      path: 'compose.yaml',
      text: `services:
  mq:
    image: rabbitmq:3-management
    environment:
      RABBITMQ_DEFAULT_USER: orders
      RABBITMQ_DEFAULT_PASS: «orders-mq-2024»
  worker:
    image: example/worker:1.0
    environment:
      - MYSQL_PWD=«w0rker-db»
`,
      messageIds: ['written', 'written'],
      fixed: `services:
  mq:
    image: rabbitmq:3-management
    environment:
      RABBITMQ_DEFAULT_USER: orders
      RABBITMQ_DEFAULT_PASS: \${RABBITMQ_DEFAULT_PASS:?set RABBITMQ_DEFAULT_PASS in .env or the environment}
  worker:
    image: example/worker:1.0
    environment:
      - MYSQL_PWD=\${MYSQL_PWD:?set MYSQL_PWD in .env or the environment}
`,
    },
    {
      name: 'one value written three times is one finding, and its fix reads one variable everywhere',
      path: 'compose.yaml',
      text: `services:
  app:
    image: example/shop:2.3.1
    environment:
      DATABASE_URL: postgres://shop:Tq9-lantern-44@db:5432/shop
      DB_PASSWORD: Tq9-lantern-44
  db:
    image: postgres:16.4
    environment:
      POSTGRES_USER: shop
      POSTGRES_PASSWORD: «Tq9-lantern-44»
`,
      messages: [
        'POSTGRES_PASSWORD of service db is written in the compose file: everyone with the repository has it. The same value is written in DATABASE_URL of service app, DB_PASSWORD of service app.',
      ],
      fixed: `services:
  app:
    image: example/shop:2.3.1
    environment:
      DATABASE_URL: postgres://shop:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}@db:5432/shop
      DB_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}
  db:
    image: postgres:16.4
    environment:
      POSTGRES_USER: shop
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}
`,
    },
    {
      name: 'a local stack still leaks a token, a published database, and a password also used for an outside host',
      path: 'compose.yaml',
      text: `services:
  api:
    build: .
    environment:
      PAYMENTS_API_TOKEN: «tok-51Hq-acme-8842»
      REPORTS_URL: postgres://reports:Bn4-quarry-19@reports.corp.example:5432/reports
  db:
    image: mysql:8.4
    ports: ["3306:3306"]
    environment:
      MYSQL_ROOT_PASSWORD: «Vx7-harbor-20»
  cache-db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: «Bn4-quarry-19»
`,
      messageIds: ['written', 'written', 'written'],
      fixed: `services:
  api:
    build: .
    environment:
      PAYMENTS_API_TOKEN: \${PAYMENTS_API_TOKEN:?set PAYMENTS_API_TOKEN in .env or the environment}
      REPORTS_URL: postgres://reports:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}@reports.corp.example:5432/reports
  db:
    image: mysql:8.4
    ports: ["3306:3306"]
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env or the environment}
  cache-db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}
`,
    },
    {
      name: 'a folded scalar cannot be edited in place: flagged without a fix',
      path: 'compose.yaml',
      text: `services:
  app:
    image: example/app:1.0
    environment:
      JWT_SECRET: «>
        abc
        def»
`,
    },
  ],
  clean: [
    {
      name: 'well-known defaults and values that repeat the user, database or image name',
      path: 'compose.yaml',
      text: `services:
  forge:
    image: gitea/gitea:1.22.3
    environment:
      - DB_USER=forge
      - DB_PASSWD=forge
  db:
    image: postgres:16.4
    environment:
      POSTGRES_USER: forge
      POSTGRES_PASSWORD: forge
  blog-db:
    image: mariadb:11.4
    environment:
      MYSQL_DATABASE: blog
      MYSQL_ROOT_PASSWORD: someblog
      MYSQL_PASSWORD: changeme
  pg:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: mysecretpassword
  dashboards:
    image: grafana/grafana:11.2.0
    environment:
      GF_SECURITY_ADMIN_PASSWORD: grafana
`,
    },
    {
      name: 'a local stack whose database publishes no port: its password is left to the strict companion',
      path: 'compose.yaml',
      text: `services:
  backend:
    build: ./backend
    ports: ["8080:8080"]
    environment:
      DATABASE_URL: mysql://root:orca-tide-31@db:3306/app
  db:
    image: mariadb:11.4
    expose: ["3306"]
    environment:
      MYSQL_ROOT_PASSWORD: orca-tide-31
`,
    },
    {
      name: "a test stack's throwaway database",
      path: 'compose.ci.yaml',
      text: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: postgres
`,
    },
    {
      name: 'variables, files, switches, describing names, pass-through and empty values',
      path: 'compose.yaml',
      text: `services:
  db:
    image: postgres:16
    env_file: .env
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PW}
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
      POSTGRES_HOST_AUTH_METHOD: scram-sha-256
      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"
      MYSQL_RANDOM_ROOT_PASSWORD: "true"
      TOKEN_URL: https://auth.example.com/token
      AWS_ACCESS_KEY_ID: \${AWS_ACCESS_KEY_ID}
      REDIS_PASSWORD:
      EMPTY_SECRET: ""
  app:
    image: example/app:1.0
    environment:
      - SECRET_KEY
      - DB_PASSWORD=\${DB_PASSWORD:?required}
      - PIHOLE_PW=$$notinterpolated
  cart:
    image: example/cart:1.0
    environment:
      AWS_SECRET_ACCESS_KEY: dummy
      API_KEY: <your-api-key>
      APP_CREDENTIALS_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:app
      PWD: /srv/app
`,
    },
  ],
});
