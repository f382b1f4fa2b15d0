import rule from '../../../server/src/rules/cfn/no-description';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'YAML template: the description goes after the format version',
      path: 'template.yaml',
      text: `«AWSTemplateFormatVersion»: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
      messages: [
        'The template has no Description: say what the stack provides and who owns it, for whoever finds it next.',
      ],
      messageIds: ['missing'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Description: 'TODO: what this stack provides, to whom, and who owns it'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'JSON template without a format version',
      path: 'template.json',
      text: `{
  «"Resources"»: {
    "Orders": { "Type": "AWS::SQS::Queue" }
  }
}
`,
      messageIds: ['missing'],
      fixed: `{
  "Description": "TODO: what this stack provides, to whom, and who owns it",
  "Resources": {
    "Orders": { "Type": "AWS::SQS::Queue" }
  }
}
`,
    },
    {
      name: 'an empty description, with a comment kept',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
«Description»: '' # fill in
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
      messages: [/Description is empty/],
      messageIds: ['empty'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Description: 'TODO: what this stack provides, to whom, and who owns it' # fill in
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
    },
  ],
  clean: [
    {
      name: 'a described template',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Description: >
  Order intake for the shop API.
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'suppressed for the file in template Metadata',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  cloud-lessons:
    ignore: [infrastructure-as-code/no-description]
Resources:
  Orders:
    Type: AWS::SQS::Queue
`,
    },
  ],
});
