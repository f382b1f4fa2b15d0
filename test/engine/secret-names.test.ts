import assert from 'node:assert/strict';
import {
  describesSecret,
  isNonSecretValue,
  isPlaceholder,
  isSecretName,
} from '../../server/src/engine/secret-names';

describe('engine/secret-names', () => {
  // Template properties and parameters, Dockerfile ENV/ARG, compose keys and code names alike.
  const secrets: [string, string][] = [
    ['MasterUserPassword', 'a password, last word'],
    ['DB_PASSWORD', 'environment style'],
    ['db_password', 'snake case'],
    ['DB_PASS', 'pass after an account word'],
    ['SMTP_PASS', 'pass after a service'],
    ['RABBITMQ_DEFAULT_PASS', "RabbitMQ's default user password"],
    ['LDAP_ROOTPASS', 'owner and pass in one word'],
    ['PGPASSWORD', "libpq's variable, one word"],
    ['WEBPASSWORD', 'one word ending in password'],
    ['pass', 'alone, a password'],
    ['MYSQL_PWD', "the MySQL client's password variable"],
    ['DB_PWD', 'pwd after an account word'],
    ['DOMAIN_ADMIN_PW', 'pw after an account word'],
    ['SecretString', 'the secret itself, in a form'],
    ['SecretBinary', 'the secret itself, in a form'],
    ['ApiKeyValue', 'the key itself'],
    ['SECRET_KEY_BASE', "Rails' secret"],
    ['password2', 'numbered'],
    ['DB_PASSWORD_2', 'numbered'],
    ['apiKey', 'camel case'],
    ['API_KEY', 'key after api'],
    ['APIKey', 'an acronym'],
    ['x-api-key', 'a header key holding the key'],
    ['AccessKey', 'key after access (Firehose HTTP endpoints)'],
    ['AWS_SECRET_ACCESS_KEY', 'the AWS secret'],
    ['privateKey', 'key after private'],
    ['encryption_key', 'key after encryption'],
    ['NEW_RELIC_LICENSE_KEY', 'a licence key'],
    ['licenseKey', 'a licence key'],
    ['secret', 'alone'],
    ['CLIENT_SECRET', 'last word'],
    ['SalesforceOauthClientSecret', 'last word'],
    ['JWT_SECRET', 'last word'],
    ['token', 'alone'],
    ['NPM_TOKEN', 'last word'],
    ['AuthToken', 'ElastiCache auth token'],
    ['OauthToken', 'a GitHub OAuth token'],
    ['refreshToken', 'an OAuth refresh token'],
    ['apikey', 'one word'],
    ['PASSWORD_ADMIN', 'whose it is, after the secret word'],
    ['secretKeyProd', 'the environment, after the secret word'],
    ['TOKEN_GITHUB', 'the service, after the secret word'],
    ['DB_PASS_STAGING', 'an owned pass, then the environment'],
    ['token_v2', 'a version after the secret word'],
    ['secretKeyForApp', 'what it is for, after the secret word'],
    ['password_of_admin', 'whose it is, after the secret word and of'],
    ['TOKEN_FOR_GITHUB_PROD', 'what it is for, then the environment'],
  ];
  const notSecrets: [string, string][] = [
    ['PASSWORD_FILE', 'a path to the secret'],
    ['MYSQL_ROOT_PASSWORD_FILE', 'a path to the secret'],
    ['TOKEN_URL', 'where to get one'],
    ['AWS_ACCESS_KEY_ID', 'an id'],
    ['PASSWORD_MIN_LENGTH', 'a setting'],
    ['SecretArn', 'a pointer'],
    ['KmsMasterKeyId', 'a pointer'],
    ['SecretStringTemplate', 'the public part of a generated secret'],
    ['GenerateSecretString', 'settings for a generated secret'],
    ['GenerateSecret', 'a switch'],
    ['ManageMasterUserPassword', 'a switch'],
    ['MYSQL_ALLOW_EMPTY_PASSWORD', 'a switch'],
    ['IsValueSecret', 'a switch'],
    ['EnableTokenRevocation', 'a switch'],
    ['allowCredentials', 'a switch'],
    ['withCredentials', 'a switch'],
    ['forgotPassword', 'an action'],
    ['isPasswordMatch', 'a check'],
    ['sendResetPasswordEmail', 'an action'],
    ['tokenService', 'an object about tokens'],
    ['call_credentials', 'a gRPC object'],
    ['Credentials', 'API Gateway: the role an integration assumes'],
    ['credentials', "fetch's mode, a client object"],
    ['ApiKeyAuthParameters', 'a container: the key is inside'],
    ['TokenValidityUnits', 'a setting'],
    ['AccessTokenValidity', 'a setting'],
    ['TemporaryPasswordValidityDays', 'a setting'],
    ['accessTokenExpires', 'a time'],
    ['password_hash', 'a hash, not the password'],
    ['passwordField', 'the name of a form field'],
    ['ServiceToken', "CloudFormation's custom resource function ARN"],
    ['ClientRequestToken', 'an idempotency token'],
    ['nextToken', 'a page token'],
    ['lastSignificantToken', "a lexer's token"],
    ['Secrets', 'a list of secret names (ECS)'],
    ['PWD', "the shell's working directory"],
    ['OLD_PWD', 'a directory'],
    ['EVENT_TEST_PASS', 'a test passing'],
    ['allPass', 'a predicate'],
    ['bypass', 'a word that ends in pass'],
    ['pass_role_lambda_policy', 'pass as a verb'],
    ['GPG_KEY', 'a public key fingerprint'],
    ['SSH_PUB_KEY', 'a public key'],
    ['Key', 'a map or object key'],
    ['RouteKey', 'a route'],
    ['GenerateStringKey', 'the field a generated secret goes in'],
    ['', 'no name'],
    ['PASS_PROD', 'pass needs an owner before it, whatever follows'],
    ['TOKEN_SERVICE', 'an object about tokens, written the other way'],
    ['passwordTest', 'a test of passwords'],
    ['TOKEN_FOR_SERVICE_URL', 'a setting about a token: the describing word is last'],
    ['passForRole', 'pass needs an owner before it, whatever follows'],
    ['keyForLookup', 'key needs a qualifier before it'],
  ];

  for (const [name, why] of secrets) {
    it(`${name} holds a secret (${why})`, () => assert.equal(isSecretName(name), true));
  }
  for (const [name, why] of notSecrets) {
    it(`${name || '(empty)'} holds no secret (${why})`, () => assert.equal(isSecretName(name), false));
  }

  it('tells settings about secrets, which hold none, from containers of secrets', () => {
    assert.deepEqual(
      [
        'TokenValidityUnits',
        'PasswordPolicy',
        'SecretArn',
        'Credentials',
        'ApiKeyAuthParameters',
        'Environment',
      ].map(describesSecret),
      [true, true, true, false, false, false],
    );
  });

  it('knows values that are no secret in any file', () => {
    const none = ['', ' ', 'true', 'No', 'off', '1', 'null', 'random', '/run/secrets/db_password'];
    const pointers = ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', 'alias/aws/s3'];
    const placeholders = [
      '<your password here>',
      'your-api-key',
      'REPLACE_ME',
      'replace-with-token',
      '{{password}}',
      'changeme',
      'CHANGE_ME_IN_PRODUCTION',
      'please-change-this',
      'set-me',
      'yourpassword',
    ];
    const masks = ['****', 'xxxx', 'XXXXXX', '...', 'dummy', 'fake-token', 'TODO'];
    const documented = [
      '{smtp_password}',
      'token-goes-here',
      'example-signing-key',
      'not-a-real-secret',
      'REDACTED',
      'aaaaaaaa',
      'abcabcabcabc',
    ];
    for (const value of [...none, ...pointers, ...placeholders, ...masks, ...documented])
      assert.equal(isNonSecretValue(value), true, value);
    for (const value of [
      's3cr3t',
      'changeit',
      'offset-me-42',
      'example',
      'fsociety',
      'hunter22',
      'dummyvalue1',
      'sk_live_51Habc123',
    ])
      assert.equal(isNonSecretValue(value), false, value);
    assert.equal(isPlaceholder('/run/secrets/db'), false);
  });
});
