import { isNonSecretValue, isSecretName } from '../secret-names';
import { trimTrailing } from '../text';

/**
 * Secrets that a Dockerfile copies into an image: key and credential files, and config files
 * that hold a credential. Which names and values are secrets is judged in secret-names.ts, as
 * for templates, compose files and code.
 */

/** Files whose name says they hold keys or credentials, when copied into an image. */
export function secretFileKind(path: string): 'key' | 'config' | undefined {
  const base = trimTrailing(path, '/').replace(/^.*\//, '');
  if (/^id_(rsa|dsa|ecdsa|ed25519)$/.test(base)) return 'key';
  if (/\.(p12|pfx|jks|keystore)$/i.test(base)) return 'key';
  if (/\.key$/i.test(base) && !/(gpg|pgp|pub|public|asc)/i.test(base)) return 'key';
  if (/(^|\/)\.aws\/credentials$|(^|\/)\.docker\/config\.json$/.test(path) || base === '.git-credentials')
    return 'key';
  if (/^\.env(\.(?!example$|sample$|template$|dist$|defaults?$|schema$)[\w.-]+)?$/.test(base))
    return 'config';
  if (['.npmrc', '.pypirc', '.netrc', '.dockercfg', '.yarnrc.yml'].includes(base)) return 'config';
  return undefined;
}

/** Whether the text of a copied config file holds a credential (a token, a password, a secret=value). */
export function configHoldsCredential(text: string): boolean {
  if (
    /_authToken\s*=|_auth\s*=|_password\s*=|npmAuthToken\s*:|^[ \t]*password[ \t]*[=:]|^[ \t]*machine[ \t]+\S+.*\bpassword\b/im.test(
      text,
    )
  )
    return true;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (m && isSecretName(m[1]) && !isNonSecretValue(m[2].replace(/^["']|["']$/g, ''))) return true;
  }
  return false;
}
