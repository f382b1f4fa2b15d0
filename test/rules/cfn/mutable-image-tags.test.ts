import rule from '../../../server/src/rules/cfn/mutable-image-tags';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'task definitions on images without a tag, on latest and on a tag that moves (no fix: the version is the user’s to choose)',
      path: 'template.yaml',
      text: `Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: proxy, Image: «nginx»}
        - {Name: app, Image: «public.ecr.aws/example/worker:latest»}
        - {Name: logs, Image: «public.ecr.aws/aws-observability/aws-for-fluent-bit:stable»}
        - {Name: pinned, Image: 'localhost:5000/tools:1.2.3'}
`,
      messages: [
        'Task definition Web runs container proxy from nginx without a tag, that is latest: each task pulls whatever latest is when it starts, so tasks of one service can run different code. Pin a version tag or a digest.',
        'Task definition Web runs container app from public.ecr.aws/example/worker:latest, a tag that moves to each new build: each task pulls whatever it names when it starts, so tasks of one service can run different code. Pin a version tag or a digest.',
        /runs container logs from public\.ecr\.aws\/aws-observability\/aws-for-fluent-bit:stable, a tag that moves/,
      ],
      messageIds: ['untaggedImage', 'floatingImage', 'floatingImage'],
    },
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
      name: 'task definitions on version tags, digests and images chosen at deployment',
      path: 'template.yaml',
      text: `Parameters:
  Tag:
    Type: String
  WorkerImage:
    Type: String
    Default: nginx
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: proxy, Image: 'nginx:1.27.2-alpine'}
        - {Name: worker, Image: !Ref WorkerImage}
        - {Name: app, Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/app:\${Tag}'}
        - {Name: digest, Image: 'busybox@sha256:2919d0172f7524b2d8df9e50066a682669e6d170ac0f6a49676d54358fe970b5'}
        - {Name: chosen, Image: !Ref Tag}
`,
    },
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
