import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileReport, RunReport } from './model';

/**
 * Reports written a file at a time: the CLI hands each file's report to a writer as soon as the
 * file is checked and forgets it, so that its memory does not grow with the findings. Each
 * format's `formatX(report)` is the same writer run over a whole report, so both give the same
 * bytes.
 */

/** What a report knows before its first file. */
export interface ReportStart {
  tool: RunReport['tool'];
  root: string;
  sourceRoot?: string;
  rules: RunReport['rules'];
  /** Whether a baseline is applied (its count is known only at the end). */
  baselined: boolean;
}

/** What a report knows only once every file is done. */
export interface ReportEnd {
  errors: RunReport['errors'];
  notes?: RunReport['notes'];
  baseline?: RunReport['baseline'];
}

/** Where the text of a report goes, in order. */
export type Sink = (chunk: string | Uint8Array) => void;

/**
 * The part of a report written before the part that must precede it is known (text lists the
 * files that could not be analysed first, SARIF its rules): kept aside, then copied out.
 */
export interface Spool {
  write(chunk: string | Uint8Array): void;
  /** Everything written, in order; then the spool is empty. */
  drain(sink: Sink): void;
  dispose(): void;
}

export interface ReportWriter {
  file(file: FileReport): void;
  /** Writes what is left: the parts that needed the whole run, and the spooled files. */
  end(end: ReportEnd): void;
}

export type WriterFactory = (start: ReportStart, sink: Sink, spool: Spool) => ReportWriter;

/** A spool in memory: for reports that are held whole anyway. */
export function memorySpool(): Spool {
  let parts: (string | Uint8Array)[] = [];
  return {
    write: (chunk) => void parts.push(chunk),
    drain: (sink) => {
      for (const part of parts) sink(part);
      parts = [];
    },
    dispose: () => {
      parts = [];
    },
  };
}

/** A spool in a temporary file, removed by `dispose`; created on the first write. */
export function fileSpool(): Spool {
  let dir: string | undefined;
  let fd: number | undefined;
  let written = 0;
  const chunk = 1 << 20;
  return {
    write(chunk) {
      if (chunk.length === 0) return;
      if (fd === undefined) {
        dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-report-'));
        fd = openSync(join(dir, 'part'), 'w+');
      }
      written += typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk);
    },
    drain(sink) {
      if (fd === undefined) return;
      for (let at = 0; at < written;) {
        const buffer = Buffer.allocUnsafe(Math.min(chunk, written - at));
        const n = readSync(fd, buffer, 0, buffer.length, at);
        if (n <= 0) throw new Error('the report spool ended early');
        sink(n === buffer.length ? buffer : buffer.subarray(0, n));
        at += n;
      }
      this.dispose();
    },
    dispose() {
      if (fd !== undefined) closeSync(fd);
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      fd = dir = undefined;
      written = 0;
    },
  };
}

export function startOf(report: RunReport): ReportStart {
  return {
    tool: report.tool,
    root: report.root,
    ...(report.sourceRoot ? { sourceRoot: report.sourceRoot } : {}),
    rules: report.rules,
    baselined: !!report.baseline,
  };
}

/** A whole report through a writer, as one string. */
export function renderWhole(report: RunReport, make: WriterFactory): string {
  const out: string[] = [];
  const spool = memorySpool();
  const writer = make(startOf(report), (chunk) => void out.push(chunk as string), spool);
  for (const file of report.files) writer.file(file);
  writer.end(report);
  return out.join('');
}

/**
 * The writer that keeps every file and renders the whole report at the end: for the formats
 * that need all findings before their first line (the lesson report scores them).
 */
export function wholeWriter(
  start: ReportStart,
  sink: Sink,
  render: (report: RunReport) => string,
): ReportWriter {
  const files: FileReport[] = [];
  return {
    file: (file) => void files.push(file),
    end: (end) =>
      sink(
        render({
          tool: start.tool,
          root: start.root,
          ...(start.sourceRoot ? { sourceRoot: start.sourceRoot } : {}),
          files,
          errors: end.errors,
          rules: start.rules,
          ...(end.baseline ? { baseline: end.baseline } : {}),
          ...(end.notes ? { notes: end.notes } : {}),
        }),
      ),
  };
}
