import type { Finding } from '../engine/analyze';
import { severities, type SettledFix } from '../engine/rule';

/** A finding with its fix, computed once for the hover or the light bulb. */
export interface RankedFinding {
  finding: Finding;
  fix: SettledFix | undefined;
}

const fixRank = (fix: SettledFix | undefined) => (fix === undefined ? 2 : fix.kind === 'safe' ? 0 : 1);

/**
 * Findings at one spot, most severe first. At one severity a finding with a safe fix comes
 * before one with a scaffold, and that before one with no fix, so that the hover's first block
 * is the finding whose fix the light bulb preselects; then the order of the document.
 */
export function mostSevereFirst(findings: readonly Finding[]): RankedFinding[] {
  return findings
    .map((finding) => ({ finding, fix: finding.fix?.() }))
    .sort(
      (a, b) =>
        severities.indexOf(a.finding.severity) - severities.indexOf(b.finding.severity) ||
        fixRank(a.fix) - fixRank(b.fix) ||
        a.finding.span.start - b.finding.span.start ||
        a.finding.ruleId.localeCompare(b.finding.ruleId),
    );
}
