import rule from '../../../server/src/rules/cfn/mutable-image-tags';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'repository without the property (YAML)',
      path: 'template.yaml',
      text: `Resources:
  «OrdersImages»:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders # one per service
`,
      messages: [/ImageTagMutability is not set and defaults to MUTABLE/],
      messageIds: ['notSet'],
      fixed: `Resources:
  OrdersImages:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders # one per service
      ImageTagMutability: IMMUTABLE
`,
    },
    {
      name: 'explicit MUTABLE in flow style keeps its quotes',
      path: 'template.yaml',
      text: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties: {RepositoryName: web, ImageTagMutability: «"MUTABLE"»}
`,
      fixed: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties: {RepositoryName: web, ImageTagMutability: "IMMUTABLE"}
`,
    },
    {
      name: 'JSON repository without Properties',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Images"»: { "Type": "AWS::ECR::Repository" }
  }
}
`,
      fixed: `{
  "Resources": {
    "Images": { "Type": "AWS::ECR::Repository", "Properties": {
      "ImageTagMutability": "IMMUTABLE"
    } }
  }
}
`,
    },
    {
      name: 'through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  TagMode:
    Type: String
    AllowedValues: [MUTABLE, IMMUTABLE]
    Default: MUTABLE
Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: «!Ref TagMode»
`,
      messages: [/MUTABLE \(the default of parameter TagMode\)/],
      messageIds: ['mutable'],
      fixed: `Parameters:
  TagMode:
    Type: String
    AllowedValues: [MUTABLE, IMMUTABLE]
    Default: IMMUTABLE
Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !Ref TagMode
`,
    },
    {
      name: 'Fn::If with MUTABLE on one branch and the default on the other',
      path: 'template.yaml',
      text: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: «!If [IsDev, MUTABLE, !Ref AWS::NoValue]»
`,
      messages: [/whichever way condition IsDev goes/],
    },
  ],
  clean: [
    {
      name: 'immutable tags',
      path: 'template.yaml',
      text: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties: {ImageTagMutability: IMMUTABLE}
`,
    },
    {
      name: 'immutable with exclusions, and mutable only in dev',
      path: 'template.yaml',
      text: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
      ImageTagMutabilityExclusionFilters: [{ImageTagMutabilityExclusionFilterType: WILDCARD, ImageTagMutabilityExclusionFilterValue: 'dev-*'}]
  Others:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !If [IsDev, MUTABLE, IMMUTABLE]
`,
    },
    {
      name: 'a parameter without a default',
      path: 'template.yaml',
      text: `Parameters:
  Mode: {Type: String}
Resources:
  Images:
    Type: AWS::ECR::Repository
    Properties: {ImageTagMutability: !Ref Mode}
`,
    },
    {
      name: 'suppressed with cfn-lint style metadata naming the checkov id',
      path: 'template.yaml',
      text: `Resources:
  Images:
    Type: AWS::ECR::Repository
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_51
            comment: the dev cache is overwritten on purpose
`,
    },
    {
      name: 'long-form Fn::If with one immutable branch, and an import',
      path: 'template.json',
      text: `{
  "Resources": {
    "A": {
      "Type": "AWS::ECR::Repository",
      "Properties": { "ImageTagMutability": { "Fn::If": ["IsDev", "MUTABLE", "IMMUTABLE"] } }
    },
    "B": {
      "Type": "AWS::ECR::Repository",
      "Properties": { "ImageTagMutability": { "Fn::ImportValue": "tag-policy" } }
    }
  }
}
`,
    },
  ],
});
