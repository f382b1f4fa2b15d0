import { referenceTarget } from '../../engine/cfn/references';
import { perTemplate } from '../../engine/cfn/resources';
import { property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Protocols whose subscriber gets the message in plain text, whatever the topic does at rest. */
const plainTextProtocols = new Set(['email', 'email-json', 'sms']);

/**
 * The protocols of every subscription the template gives each topic: inline `Subscription`
 * items, `AWS::SNS::Subscription` resources and SAM `SNS` events (which subscribe a function).
 * A protocol that is not a plain string counts as unknown (`?`).
 */
const topicProtocols = perTemplate((template) => {
  const byTopic = new Map<string, string[]>();
  const add = (topic: string | undefined, protocol: string | undefined) => {
    if (!topic) return;
    const list = byTopic.get(topic) ?? [];
    list.push(protocol?.toLowerCase() ?? '?');
    byTopic.set(topic, list);
  };
  for (const resource of template.resources) {
    if (resource.type === 'AWS::SNS::Topic') {
      for (const item of asSeq(get(resource.properties, 'Subscription'))?.items ?? [])
        add(resource.logicalId, scalarText(get(item, 'Protocol')));
    } else if (resource.type === 'AWS::SNS::Subscription') {
      add(
        referenceTarget(get(resource.properties, 'TopicArn')),
        scalarText(get(resource.properties, 'Protocol')),
      );
    } else if (resource.type === 'AWS::Serverless::Function') {
      for (const event of asMap(get(resource.properties, 'Events'))?.pairs ?? []) {
        if (scalarText(get(event.value, 'Type')) === 'SNS')
          add(referenceTarget(getPath(event.value, 'Properties', 'Topic')), 'lambda');
      }
    }
  }
  return byTopic;
});

/** A topic whose subscribers, all in the template, are e-mail addresses and phones. */
export function deliversOnlyPlainText(template: Template, topic: Resource): boolean {
  const protocols = topicProtocols(template).get(topic.logicalId) ?? [];
  return protocols.length > 0 && protocols.every((p) => plainTextProtocols.has(p));
}

export default defineRule({
  id: 'encrypt-everything/unencrypted-topic',
  lesson: 'encrypt-everything',
  title: 'SNS topic without a KMS key',
  severity: 'info',
  equivalents: ['CKV_AWS_26'],
  fix: 'no',
  strictOnly: true,
  resourceTypes: ['AWS::SNS::Topic'],
  messages: {
    topicWithoutKey:
      'SNS topic {{id}} keeps messages unencrypted while it delivers them (no KmsMasterKeyId).',
  },
  docs: {
    what:
      'An SNS topic without `KmsMasterKeyId`. A topic whose subscriptions in the template are all `email`, `email-json` or `sms` is left alone: the message leaves SNS as a plain-text mail or text message anyway, so encrypting the moments it waits in SNS protects nothing. ' +
      'A topic with no subscription in the template, or one of another protocol, is reported. ' +
      'In the `strict` preset only; other data stored unencrypted is `encrypt-everything/unencrypted-storage`, in every preset.',
    why:
      'SNS keeps a message only while it delivers it, so server-side encryption protects data for seconds or, with retries, hours, on storage AWS manages; most topics carry notifications rather than records, and on real templates reviewers judged the setting a compliance requirement rather than a change to ask of every team. ' +
      'Where a standard asks for encryption at rest everywhere (PCI DSS, HIPAA), or the messages carry personal data, turn this rule on. ' +
      'Use a customer-managed key when AWS services such as S3, EventBridge or CloudWatch alarms publish to the topic: the AWS-managed `alias/aws/sns` key has a policy that does not let them use it, and their messages would be dropped.',
    example: {
      language: 'yaml',
      code: `OrderEvents:
  Type: AWS::SNS::Topic`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrderEvents:
  Type: AWS::SNS::Topic
  Properties:
    KmsMasterKeyId: !Ref TopicKey   # a customer-managed key whose policy lets the publishers use it`,
    },
    references: [
      {
        title: 'Amazon SNS: encryption at rest',
        url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, report }) {
      for (const topic of resources) {
        if (property(topic, 'KmsMasterKeyId') || deliversOnlyPlainText(template, topic)) continue;
        report({
          at: topic.idNode,
          resource: topic,
          messageId: 'topicWithoutKey',
          data: { id: topic.logicalId },
        });
      }
    },
  },
});
