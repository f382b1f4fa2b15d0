import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Rule } from '../../server/src/engine/rule';
import { Session, type DocumentStore } from '../../server/src/features/session';
import { allRules } from '../../server/src/rules';

/** The open documents of an in-process session: what `TextDocuments` keeps for the server. */
export class Documents implements DocumentStore {
  private readonly open = new Map<string, TextDocument>();

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  all(): TextDocument[] {
    return [...this.open.values()];
  }

  set(uri: string, text: string, languageId = 'yaml'): TextDocument {
    const previous = this.open.get(uri);
    const document = TextDocument.create(
      uri,
      previous?.languageId ?? languageId,
      (previous?.version ?? 0) + 1,
      text,
    );
    this.open.set(uri, document);
    return document;
  }

  close(uri: string): void {
    this.open.delete(uri);
  }
}

/** A session as the server builds it, without stdio: what it publishes and logs is recorded. */
export function testSession(folders: string[] = [], rules: readonly Rule[] = allRules) {
  const published: PublishDiagnosticsParams[] = [];
  const logged: string[] = [];
  const documents = new Documents();
  const session = new Session(
    { publish: (p) => published.push(p), log: (m) => logged.push(m) },
    documents,
    rules,
    join(__dirname, '..', '..', 'docs', 'rules'),
  );
  session.configure({ folders: folders.map((f) => pathToFileURL(f).href), trusted: true });
  return { session, documents, published, logged };
}

export function folder(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-features-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export const uriOf = (dir: string, path: string) => pathToFileURL(join(dir, path)).href;

/** A cancellation token that is never cancelled, and a progress reporter that records. */
export const never = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

export function recordingProgress() {
  const seen: string[] = [];
  return {
    seen,
    reporter: {
      begin: (title: string) => seen.push(`begin ${title}`),
      report: (percentage: number | string) => seen.push(`report ${percentage}`),
      done: () => seen.push('done'),
    },
  };
}
