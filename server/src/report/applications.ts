import type { RuntimeKind } from '../engine/applications';
import type { Range } from '../engine/text';

/**
 * What the lesson report's application view knows of each deployable unit the application model
 * links: its code, its image, what runs it and beside what, and which parts of the report's
 * files are its own. The project builds these facts (project/app-view.ts), with paths as the
 * report writes them; the lesson report scores them (scoreLessons), so that the CLI and the
 * editor's report agree.
 */

/** A place in a file of the report: the path as the report writes paths. */
export interface ReportPlace {
  path: string;
  range: Range;
}

export interface ApplicationRuntime {
  kind: RuntimeKind;
  /** `ECS service ShopApiService`, `compose service api`, `Lambda function Checkout`. */
  name: string;
  /** How many copies, in words: `2 tasks`, `1 container`. */
  copies: string;
  at: ReportPlace;
  loadBalanced: boolean;
  /** The names of the variables it is given, never their values. */
  environment: string[];
  /** False when it is given more than the files say (an env file that cannot be read, S3 environment files). */
  environmentKnown: boolean;
  /** Lasting volumes it mounts, in words: `EFS volume uploads at /mnt/uploads`. */
  mounts: string[];
}

/** A part of a compose file or template that belongs to the application: what runs it. */
export interface ApplicationRegion extends ReportPlace {
  kind: 'compose' | 'cfn';
  /** For a template resource, its type (rules that judge that type are the application's). */
  resourceType?: string;
}

export interface ApplicationFacts {
  /** The folder of the code, as the report writes paths (`.` for the report's own folder). */
  root: string;
  dockerfile?: string;
  /** Variable names the image sets (`ENV`). */
  imageEnvironment: string[];
  runtimes: ApplicationRuntime[];
  backing: { name: string; at: ReportPlace }[];
  /** Files of the report all of whose findings are the application's: its code, its Dockerfile. */
  files: string[];
  /** Parts of other files whose findings are the application's (its compose service, its ECS service). */
  regions: ApplicationRegion[];
}

/** A runtime in words (how many copies, the variable names it is given, what it mounts), in a format's text and code. */
export function runtimeWords(
  runtime: ApplicationRuntime,
  format: { text: (text: string) => string; code: (name: string) => string },
): string {
  const { text, code } = format;
  const unknown = text('variables the files do not show');
  const names = runtime.environment.map(code).join(', ');
  const given =
    runtime.environment.length > 0
      ? `${text('given')} ${names}${runtime.environmentKnown ? '' : ` ${text('and')} ${unknown}`}`
      : runtime.environmentKnown
        ? text('given no variables')
        : `${text('given')} ${unknown}`;
  return [
    text(`${runtime.copies}${runtime.loadBalanced ? ' behind a load balancer' : ''}`),
    given,
    ...(runtime.mounts.length > 0 ? [text(`mounts ${runtime.mounts.join(', ')}`)] : []),
  ].join('; ');
}
