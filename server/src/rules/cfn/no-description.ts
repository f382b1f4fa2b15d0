import { insertPair, insertPairBefore, replaceValue } from '../../engine/edit';
import { getPair, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

const placeholder = 'TODO: what this stack provides, to whom, and who owns it';

export default defineRule({
  id: 'infrastructure-as-code/no-description',
  lesson: 'infrastructure-as-code',
  title: 'Template without a description',
  severity: 'hint',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    empty: 'The template’s Description is empty: say what the stack provides and who owns it.',
    missing:
      'The template has no Description: say what the stack provides and who owns it, for whoever finds it next.',
  },
  docs: {
    what: 'A CloudFormation or SAM template without a top-level `Description`, or with an empty one.',
    why:
      'Templates are how a team shares what it runs: the description is the first thing a colleague, an auditor or you in a year see in the console, in `aws cloudformation describe-stacks` and in the repository. ' +
      'A line that says what the stack provides and who owns it turns a list of resources into knowledge others can act on, for instance when deciding whether a stack can be deleted.',
    example: {
      language: 'yaml',
      code: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
    Type: AWS::SQS::Queue`,
    },
    useInstead: {
      language: 'yaml',
      code: `AWSTemplateFormatVersion: '2010-09-09'
Description: Order intake queue for the shop API (team checkout, #checkout-oncall)
Resources:
  Orders:
    Type: AWS::SQS::Queue`,
    },
    fix: 'Writes a `Description` with a TODO placeholder, after `AWSTemplateFormatVersion` when there is one: replace it with what the stack provides, to whom, and who owns it.',
    references: [
      {
        title: 'CloudFormation template Description',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-description-structure.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, target, report }) {
      const root = template.root;
      const description = getPair(root, 'Description');
      if (description) {
        if (scalarText(description.value)?.trim() || description.value.type !== 'scalar') return;
        report({
          at: description.key,
          messageId: 'empty',
          fix: () => ({
            title: 'Write a description',
            needs: ['Replace the TODO with what the stack provides, to whom, and who owns it'],
            edits: [replaceValue(target, description.value, placeholder)],
          }),
        });
        return;
      }
      const first = root.pairs[0];
      if (!first) return;
      report({
        at: first.key,
        messageId: 'missing',
        fix: () => {
          const version = root.pairs.findIndex((p) => p.key.value === 'AWSTemplateFormatVersion');
          const before = version >= 0 ? root.pairs[version + 1] : first;
          return {
            title: 'Add a description to fill in',
            needs: ['Replace the TODO with what the stack provides, to whom, and who owns it'],
            edits: [
              before
                ? insertPairBefore(target, root, before, 'Description', placeholder)
                : insertPair(target, root, 'Description', placeholder),
            ],
          };
        },
      });
    },
  },
});
