/**
 * How long one rule may run on one file. Rules cannot be interrupted from outside (analysis is
 * synchronous JavaScript), so the shared walks they are built on ask `checkBudget()` as they go:
 * past the deadline it throws, the analyser stops that rule for that file with a diagnostic that
 * names it, and the other rules and files go on. Linear rules never come near it; it is the net
 * under a case nobody foresaw.
 */

let deadline = Infinity;
let calls = 0;

/** Thrown by `checkBudget` past the deadline; the analyser catches it. */
export class BudgetExceeded extends Error {}

/** Start the clock for one rule on one file (the analyser does this). */
export function startBudget(limitMs: number): void {
  deadline = Number.isFinite(limitMs) ? Date.now() + limitMs : Infinity;
  calls = 0;
}

export function endBudget(): void {
  deadline = Infinity;
}

/** Call in loops over a document's parts; cheap: it reads the clock once every 1,024 calls. */
export function checkBudget(): void {
  if ((++calls & 1023) !== 0 || deadline === Infinity) return;
  if (Date.now() > deadline) throw new BudgetExceeded('time limit');
}
