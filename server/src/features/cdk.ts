import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { isWithin } from '../engine/workspace';
import { CdkApps } from '../project/cdk-apps';
import type { CdkFinding, CdkOptions, RelatedLocation } from '../project/cdk';
import type { Project } from '../project/project';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * CDK apps in the editor: the findings of an app's synthesized templates, shown on the open
 * CDK source that declared each construct. An app is analysed once for the versions of its
 * open sources and of its cloud assembly; a change under cdk.out (or of cdk.json) the client's
 * file watcher reports analyses it again.
 */
export class EditorCdk {
  readonly apps: CdkApps;
  /** Counts the changes of cloud assemblies and cdk.json files the client reported. */
  private generation = 0;
  /** Problems already logged (an app never synthesized), so that each is said once. */
  private readonly logged = new Set<string>();

  constructor(
    project: Project,
    /** The open documents (the session's store). */
    private readonly documents: { all(): TextDocument[] },
    private readonly log: (message: string) => void,
    private readonly pathOf: (uri: string) => string,
  ) {
    const options: CdkOptions = {
      // The unsaved text of an open source: the findings land where the user sees the construct.
      text: (path) =>
        this.documents
          .all()
          .find((d) => this.pathOf(d.uri) === path)
          ?.getText(),
    };
    this.apps = new CdkApps(project, options);
  }

  /** Whether CDK wrote this file (a template of a cloud assembly): its plain findings are the app's. */
  isGenerated(path: string): boolean {
    return this.apps.isGenerated(path);
  }

  /** The findings of its app shown on this file; none for a file of no CDK app. */
  async findingsFor(path: string): Promise<CdkFinding[]> {
    const app = this.apps.appOf(path);
    if (!app) return [];
    const open = this.documents
      .all()
      .filter((d) => isWithin(app.folder, this.pathOf(d.uri)))
      .map((d) => `${d.uri}@${d.version}`)
      .sort();
    const analysis = await this.apps.analysisOf(app, [this.generation, ...open].join('\n'));
    for (const problem of analysis.problems) {
      const said = `${app.folder}\u0000${problem}`;
      if (this.logged.has(said)) continue;
      this.logged.add(said);
      this.log(`CDK app ${app.folder}: ${problem}`);
    }
    return analysis.findings.filter((f) => f.path === path);
  }

  /**
   * Files changed on disk, as the client's watcher reports them: the analyses of the apps they
   * belong to are out of date. True when one of them was a CDK file.
   */
  filesChanged(paths: readonly string[]): boolean {
    let changed = false;
    for (const path of paths) {
      if (basename(path) !== 'cdk.json' && !this.apps.isGenerated(path) && !isAssemblyFile(path)) continue;
      this.apps.forget(path);
      this.logged.clear();
      changed = true;
    }
    if (changed) this.generation++;
    return changed;
  }
}

/** A file of the default cloud assembly folder, even of an app not met yet. */
function isAssemblyFile(path: string): boolean {
  return /(^|[\\/])cdk\.out[\\/]/.test(path);
}

/** Places in other files (where CDK synthesized a finding, …) as LSP's related information: the editor links to them. */
export function relatedInformation(related: readonly RelatedLocation[]): DiagnosticRelatedInformation[] {
  return related.map((r) => ({
    location: { uri: pathToFileURL(r.path).href, range: r.range },
    message: r.message,
  }));
}
