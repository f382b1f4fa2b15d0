import { join } from 'node:path';

/** One frame of a recorded stack trace: a file and a one-based line and column. */
export interface Frame {
  file: string;
  line: number;
  column: number;
}

// `new ShopStack (/home/ci/shop/lib/shop-stack.ts:14:5)`, `at /x/app.js:3:1`,
// `file:///x/app.mjs:3:1`, `C:\x\app.ts:3:1`, and the Python frames jsii appends (`f (/x/app.py:7)`).
const framePattern = /(?:^|\(|\s)((?:file:\/\/)?(?:[A-Za-z]:)?(?:[^\s():]|:(?!\d))+):(\d+)(?::(\d+))?\)?\s*$/;

export function parseFrame(text: string): Frame | undefined {
  // A frame is a line of a stack trace: anything longer is not one.
  if (text.length > 4096) return undefined;
  const match = framePattern.exec(text.trim());
  if (!match) return undefined;
  let file = match[1];
  if (file.startsWith('file://')) file = decodeURIComponent(file.slice(7));
  return { file, line: Number(match[2]), column: match[3] ? Number(match[3]) : 1 };
}

/** Frames of the construct library, node itself, jsii or a package: never the user's code. */
function isLibraryFrame(file: string): boolean {
  const slashed = file.replace(/\\/g, '/');
  return (
    slashed.startsWith('node:') ||
    /\/node_modules\//.test(slashed) ||
    /\/(aws-cdk-lib|constructs|jsii|@jsii|jsii-runtime|aws_cdk|site-packages)\//.test(slashed) ||
    !/\//.test(slashed)
  );
}

/**
 * Where a path recorded on another machine or in another folder is in this app: the path itself
 * when it is inside `appFolder` and exists, else the longest suffix of it that exists under
 * `appFolder` (`/home/ci/build/lib/shop-stack.ts` → `<app>/lib/shop-stack.ts`).
 */
export function resolveRecordedPath(
  recorded: string,
  appFolder: string,
  exists: (path: string) => boolean,
): string | undefined {
  const parts = recorded.replace(/\\/g, '/').split('/').filter(Boolean);
  const folder = appFolder.replace(/\\/g, '/').replace(/\/$/, '');
  const whole = `/${parts.join('/')}`;
  if ((whole === folder || whole.startsWith(`${folder}/`)) && exists(whole)) return whole;
  for (let i = parts.length - 1; i >= 0; i--) {
    // Longest first: the suffix that keeps the most folders is the least likely to be a namesake.
    const candidate = join(appFolder, ...parts.slice(parts.length - 1 - i));
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The first frame of a creation stack outside the construct library that resolves to a file of
 * the app: where the user's code created the construct.
 */
export function userFrame(
  stack: readonly string[],
  appFolder: string,
  exists: (path: string) => boolean,
): Frame | undefined {
  for (const text of stack) {
    const frame = parseFrame(text);
    if (!frame || isLibraryFrame(frame.file)) continue;
    const file = resolveRecordedPath(frame.file, appFolder, exists);
    if (file) return { ...frame, file };
  }
  return undefined;
}
