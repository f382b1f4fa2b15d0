import type { Resource } from './parse/cloudformation';
import type { MessageData } from './rule';

/**
 * A resource written inside `Fn::ForEach::<loop>` has a logical id with `${…}` in it
 * (`DynamoDB${TableName}`), which names no single resource: a message names it as the copies the
 * loop makes, `DynamoDB${TableName} (one for each item of Fn::ForEach::Tables)`.
 */
export function loopCopiesName(resource: Resource): string {
  return resource.loop === undefined
    ? resource.logicalId
    : `${resource.logicalId} (one for each item of Fn::ForEach::${resource.loop})`;
}

/**
 * The message data with the logical id of a finding's resource, where a value is exactly that id,
 * named as the loop's copies. Messages that already speak of the loop keep their data as it is.
 */
export function withLoopNames(
  data: MessageData,
  resource: Resource | undefined,
  message: string | undefined,
): MessageData {
  if (resource?.loop === undefined || message?.includes('Fn::ForEach')) return data;
  let named: MessageData | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (value !== resource.logicalId) continue;
    named ??= { ...data };
    named[key] = loopCopiesName(resource);
  }
  return named ?? data;
}
