/**
 * The one place secrets are masked. Rules that find a secret report where its value is; the
 * analyser builds a Masker from those values, and every text that leaves the engine about that
 * file — messages, parse errors, fix titles, log lines, and the hovers and reports the front-ends
 * build from them — goes through it, so that a secret found once is hidden everywhere.
 */

/** Enough of a secret to recognise it, never enough to use it. */
export function maskSecret(value: string): string {
  if (value.startsWith('-----BEGIN') || /PRIVATE KEY/.test(value)) return 'a PEM private key block';
  // scheme://user:password@host…: the password goes, up to the last @ (passwords may hold one).
  const withPassword = /^([a-z][a-z0-9+.-]*:\/\/)([^:/@\s]*):(.+)@([^@\s]*)$/i.exec(value);
  if (withPassword) return `${withPassword[1]}${withPassword[2]}:****@${withPassword[4]}`;
  // scheme://token@host…: a token as the user part is the secret.
  const withToken = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@([^@\s]*)$/i.exec(value);
  if (withToken) return `${withToken[1]}${stars(withToken[2])}@${withToken[3]}`;
  return stars(value);
}

function stars(value: string): string {
  const visible = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, visible)}${'*'.repeat(Math.min(12, Math.max(4, value.length - visible)))}`;
}

/** The parts of a secret worth hiding on their own: the value, and the password or token of a URL. */
function secretParts(value: string): string[] {
  const parts = [value];
  const withPassword = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:(.+)@[^@\s]*$/i.exec(value);
  if (withPassword) parts.push(withPassword[1]);
  const withToken = /^[a-z][a-z0-9+.-]*:\/\/([^/@:\s]+)@/i.exec(value);
  if (withToken) parts.push(withToken[1]);
  for (const line of value.split(/\r?\n|\r/)) if (line.trim().length >= 8) parts.push(line.trim());
  return parts.filter((part) => part.length >= 4);
}

/** Replaces every secret of one file wherever it appears in a text. */
export class Masker {
  private readonly secrets: string[];

  constructor(values: Iterable<string>) {
    const parts = new Set<string>();
    for (const value of values) for (const part of secretParts(value)) parts.add(part);
    // Longest first, so that a URL is masked as a whole before its password alone.
    this.secrets = [...parts].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.secrets.length === 0;
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.secrets)
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    return out;
  }
}

export const noSecrets = new Masker([]);
