import rule from '../../../server/src/rules/cfn/unencrypted-topic';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a topic with no key and no subscription in the template',
      path: 'template.yaml',
      text: `Resources:
  «StockChanges»:
    Type: AWS::SNS::Topic
    Properties: {TopicName: stock-changes}
`,
      messages: [
        'SNS topic StockChanges keeps messages unencrypted while it delivers them (no KmsMasterKeyId).',
      ],
      messageIds: ['topicWithoutKey'],
    },
    {
      name: 'a mail subscription beside a queue, a SAM function subscriber, a protocol chosen by parameter',
      path: 'template.json',
      text: `{
  "Parameters": {"Via": {"Type": "String", "Default": "sms"}},
  "Resources": {
    «"Mixed"»: {
      "Type": "AWS::SNS::Topic",
      "Properties": {"Subscription": [
        {"Protocol": "email", "Endpoint": "team@example.com"},
        {"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["Inbox", "Arn"]}}
      ]}
    },
    «"Invoices"»: {"Type": "AWS::SNS::Topic"},
    "Biller": {
      "Type": "AWS::Serverless::Function",
      "Properties": {"Events": {"Billed": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Invoices"}}}}}
    },
    «"Pager"»: {"Type": "AWS::SNS::Topic"},
    "PagerSub": {
      "Type": "AWS::SNS::Subscription",
      "Properties": {"TopicArn": {"Ref": "Pager"}, "Protocol": {"Ref": "Via"}, "Endpoint": "+15555550123"}
    }
  }
}
`,
      messageIds: ['topicWithoutKey', 'topicWithoutKey', 'topicWithoutKey'],
    },
  ],
  clean: [
    {
      name: 'a topic with a key, and topics whose subscribers only read mail or text messages',
      path: 'template.yaml',
      text: `Resources:
  Keyed:
    Type: AWS::SNS::Topic
    Properties: {KmsMasterKeyId: !Ref TopicKey}
  Humans:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - {Protocol: email-json, Endpoint: audit@example.com}
        - {Protocol: sms, Endpoint: '+15555550199'}
  Weekly:
    Type: AWS::SNS::Topic
  WeeklyMail:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Weekly, Protocol: email, Endpoint: weekly@example.com}
`,
    },
    {
      name: 'other unencrypted stores are unencrypted-storage findings, not this rule',
      path: 'template.yaml',
      text: `Resources:
  Disk:
    Type: AWS::EC2::Volume
    Properties: {Size: 10, AvailabilityZone: eu-west-1a}
  Plain:
    Type: AWS::SQS::Queue
    Properties: {SqsManagedSseEnabled: false}
`,
    },
  ],
});
