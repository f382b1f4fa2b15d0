import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Start a bundle of this folder with V8's code cache: compiling the 2.5 MB bundles is most of a
 * cold start, and the cache turns it into a read. The cache lives in `.cache/` beside the bundle,
 * keyed by the bundle's size and time and by the Node version, and is written once (a few seconds
 * in, or at exit) when it is missing or V8 refused it. Where it cannot be written, every start
 * compiles as without it; `CLOUD_LESSONS_CODE_CACHE=0` requires the bundle as it is.
 */
export function boot(bundle: string): void {
  const file = join(__dirname, bundle);
  if (process.env.CLOUD_LESSONS_CODE_CACHE === '0') {
    require(file);
    return;
  }
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const folder = join(__dirname, '.cache');
  const prefix = `${bundle}-`;
  const cacheFile = join(
    folder,
    `${prefix}${process.version}-${process.arch}-${size}-${Math.floor(mtimeMs)}.bin`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // Not written yet.
  }
  // The bundles have no dynamic import() (scripts/build.mjs turns them into require calls).
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) rememberLater(script, folder, prefix, cacheFile);
  const main = new Module(file);
  main.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(main.exports, main.exports, createRequire(file), main, file, __dirname);
}

/**
 * Write the cache once the bundle has run for a while (its lazily compiled functions are then in
 * it too), or at exit if that comes first. Older caches of the bundle are removed.
 */
function rememberLater(script: Script, folder: string, prefix: string, cacheFile: string): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    try {
      const data = script.createCachedData();
      mkdirSync(folder, { recursive: true });
      for (const old of readdirSync(folder))
        if (old.startsWith(prefix) && join(folder, old) !== cacheFile) unlinkSync(join(folder, old));
      // Written aside and renamed: two processes starting at once never read half a file.
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, data);
      renameSync(partial, cacheFile);
    } catch {
      // A read-only install: every start compiles, as without the cache.
    }
  };
  setTimeout(write, 3000).unref();
  process.once('exit', write);
}
