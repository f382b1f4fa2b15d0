/**
 * The editor's work comes before background work: while a document the user is editing waits
 * for its diagnostics (a check scheduled after a keystroke, or one running), a workspace scan
 * waits between two rules and between two files.
 */
export class EditorPriority {
  private holds = 0;
  private waiting: (() => void)[] = [];

  /** The editor has work on its way; the returned function says it is done (once). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.wake();
    };
  }

  get busy(): boolean {
    return this.holds > 0;
  }

  /**
   * Resolves once the editor has nothing on its way: at once when it is idle, else when the last
   * hold is released. Background work awaits it at its pauses.
   */
  idle(): Promise<void> {
    if (this.holds === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
