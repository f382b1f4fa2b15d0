import { commandName, effectiveCommand, type ShellCommand, type ShellWord } from '../parse/shell';

/**
 * Package-manager commands as the shell parser sees them: which manager, which subcommand,
 * which options and which package arguments. Options that take a value are known per manager
 * so that `apt-get -o Dpkg::Options::=--force-confnew install curl` reads `curl` as the package.
 */

export type PackageManager = 'apt' | 'apk' | 'yum' | 'zypper' | 'pacman' | 'pip' | 'npm' | 'gem';

export interface PackageCommand {
  manager: PackageManager;
  /** The program as written (`apt-get`, `pip3`, `python3 -m pip` reads `pip`). */
  program: ShellWord;
  /** `install`, `add`, `upgrade`, … (undefined for `pacman -S…`, which has none). */
  subcommand: ShellWord | undefined;
  /** Options anywhere after the program (`-y`, `--no-install-recommends`, `--virtual=x`). */
  options: ShellWord[];
  /** Everything that is neither an option nor an option's value nor the subcommand. */
  operands: ShellWord[];
  /** The words of the command after any wrapper (`sudo`, `env …`). */
  words: ShellWord[];
}

const programs: Record<string, PackageManager> = {
  'apt-get': 'apt',
  apt: 'apt',
  aptitude: 'apt',
  apk: 'apk',
  yum: 'yum',
  dnf: 'yum',
  microdnf: 'yum',
  tdnf: 'yum',
  zypper: 'zypper',
  pacman: 'pacman',
  npm: 'npm',
  gem: 'gem',
};

/** Options that take the next word as their value (when not written `--option=value`). */
const optionsWithValue: Record<PackageManager, Set<string>> = {
  apt: new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']),
  apk: new Set([
    '-t',
    '--virtual',
    '-X',
    '--repository',
    '-p',
    '--root',
    '--arch',
    '--keys-dir',
    '--cache-dir',
    '--repositories-file',
  ]),
  yum: new Set([
    '-c',
    '--config',
    '--enablerepo',
    '--disablerepo',
    '--installroot',
    '--releasever',
    '-x',
    '--exclude',
    '--setopt',
    '--repo',
    '--repoid',
  ]),
  zypper: new Set(['-r', '--repo', '--from', '-t', '--type']),
  pacman: new Set(['--root', '--dbpath', '--cachedir', '--config', '--overwrite', '--ignore']),
  pip: new Set([
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '-e',
    '--editable',
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--only-binary',
    '--no-binary',
    '--progress-bar',
    '--cache-dir',
    '--src',
    '--upgrade-strategy',
    '--log',
    '--timeout',
    '--retries',
    '--proxy',
    '--cert',
    '--client-cert',
    '--global-option',
    '--install-option',
    '-C',
    '--config-settings',
    '--report',
    '--python',
  ]),
  gem: new Set([
    '-v',
    '--version',
    '-i',
    '--install-dir',
    '-n',
    '--bindir',
    '-s',
    '--source',
    '-g',
    '--file',
    '--platform',
    '-P',
    '--trust-policy',
  ]),
  npm: new Set([
    '--prefix',
    '--registry',
    '--cache',
    '--omit',
    '--include',
    '-w',
    '--workspace',
    '--loglevel',
    '--tag',
    '--userconfig',
  ]),
};

/** Read a command as a package-manager command, looking through `sudo`, `env` and the like. */
export function packageCommand(command: ShellCommand): PackageCommand | undefined {
  let { words } = effectiveCommand(command);
  const name = commandName({ words });
  if (!name) return undefined;
  let manager: PackageManager | undefined = programs[name];
  let program = words[0];
  if (!manager && /^pip(\d+(\.\d+)?)?$/.test(name)) manager = 'pip';
  if (!manager && /^python(\d+(\.\d+)?)?$/.test(name)) {
    // `python3 -m pip install …`
    const m = words.findIndex((w) => w.value === '-m');
    if (m > 0 && words[m + 1]?.value === 'pip') {
      manager = 'pip';
      program = words[m + 1];
      words = words.slice(m + 1);
    }
  }
  if (!manager && name === 'uv' && words[1]?.value === 'pip') {
    manager = 'pip';
    program = words[1];
    words = words.slice(1);
  }
  if (!manager) return undefined;
  const withValue = optionsWithValue[manager];
  const options: ShellWord[] = [];
  const operands: ShellWord[] = [];
  let subcommand: ShellWord | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const value = word.value;
    if (value === undefined) {
      if (subcommand) operands.push(word);
      continue;
    }
    if (value === '--') {
      for (const rest of words.slice(i + 1)) operands.push(rest);
      break;
    }
    if (value.startsWith('-') && value.length > 1) {
      options.push(word);
      if (!value.includes('=') && withValue.has(value)) {
        const next = words[i + 1];
        if (next) options.push(next);
        i++;
      }
      continue;
    }
    if (!subcommand && manager !== 'pacman') subcommand = word;
    else operands.push(word);
  }
  return { manager, program, subcommand, options, operands, words };
}

export function hasOption(command: PackageCommand, ...names: string[]): boolean {
  return command.options.some((o) => {
    const value = o.value ?? '';
    return names.some((n) => value === n || value.startsWith(`${n}=`));
  });
}

/** The packages an install command installs, or undefined when the command installs none. */
export function installedPackages(command: PackageCommand): ShellWord[] | undefined {
  const sub = command.subcommand?.value;
  switch (command.manager) {
    case 'apt':
      return sub === 'install' ? command.operands : undefined;
    case 'apk':
      return sub === 'add' ? command.operands : undefined;
    case 'yum':
      return sub === 'install' ? command.operands : undefined;
    case 'zypper':
      return sub === 'install' || sub === 'in' ? command.operands : undefined;
    case 'pacman':
      return command.options.some((o) => /^-S[a-z]*$/.test(o.value ?? '')) ? command.operands : undefined;
    case 'pip':
      return sub === 'install' ? command.operands : undefined;
    case 'npm':
      return sub && ['install', 'i', 'add', 'isntall', 'in'].includes(sub) ? command.operands : undefined;
    case 'gem':
      return sub === 'install' || sub === 'i' ? command.operands : undefined;
  }
}

/**
 * An upgrade of everything installed (`apt-get upgrade`, `yum update`, `apk upgrade`): the
 * subcommand word, or undefined. `yum update curl` and `apk add --upgrade x` name packages and
 * are installs, not in-place upgrades of the whole image.
 */
export function fullUpgrade(command: PackageCommand): ShellWord | undefined {
  const sub = command.subcommand?.value ?? '';
  switch (command.manager) {
    case 'apt':
      return ['upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade'].includes(sub)
        ? command.subcommand
        : undefined;
    case 'apk':
      return sub === 'upgrade' && command.operands.length === 0 ? command.subcommand : undefined;
    case 'yum':
      return ['update', 'upgrade', 'update-minimal', 'upgrade-minimal', 'distro-sync'].includes(sub) &&
        command.operands.length === 0
        ? command.subcommand
        : undefined;
    case 'zypper':
      return ['update', 'up', 'dist-upgrade', 'dup', 'patch'].includes(sub) && command.operands.length === 0
        ? command.subcommand
        : undefined;
    case 'pacman':
      return command.options.find((o) => /^-S[a-z]*u/.test(o.value ?? '') && command.operands.length === 0);
    default:
      return undefined;
  }
}

/** apt subcommands that read the package lists `apt-get update` downloaded. */
const aptListReaders = new Set([
  'install',
  'reinstall',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'safe-upgrade',
  'source',
  'build-dep',
  'download',
  'satisfy',
]);

/**
 * How a command uses its manager's package index in the image: whether it leaves a fresh one in
 * the layer (`apt-get update`, `apk update`, `apk add -U`, `pacman -Sy`), and whether it needs
 * one that an earlier step left (`apt-get install`, `apk add` without `--no-cache`, `pacman -S`).
 * yum, dnf and zypper refresh their metadata by themselves: neither.
 */
export function packageIndexUse(command: PackageCommand): { leaves: boolean; needs: boolean } {
  const sub = command.subcommand?.value ?? '';
  switch (command.manager) {
    case 'apt':
      return { leaves: sub === 'update', needs: aptListReaders.has(sub) };
    case 'apk': {
      const leaves = sub === 'update' || hasOption(command, '-U', '--update-cache');
      const reads = ['add', 'upgrade', 'fix', 'fetch', 'search'].includes(sub);
      return { leaves, needs: reads && !leaves && !hasOption(command, '--no-cache') };
    }
    case 'pacman': {
      const flags = command.options.map((o) => o.value ?? '');
      const sync = flags.some((f) => /^-[a-zA-Z]*S/.test(f) || f === '--sync');
      const refresh = flags.some((f) => /^-[a-zA-Z]*y/.test(f) || f === '--refresh');
      const clean = flags.some((f) => /^-[a-zA-Z]*c/.test(f) || f === '--clean');
      const local = flags.some((f) => /^-[a-zA-Z]*U/.test(f) || f === '--upgrade');
      const leaves = sync && refresh;
      return { leaves, needs: !leaves && ((sync && !clean) || local) };
    }
    default:
      return { leaves: false, needs: false };
  }
}

/**
 * Whether a command of `manager` in one of `paths` (see `commandsAfter`) needs the package
 * index before any command refreshes it: removing or cleaning the index earlier breaks it.
 */
export function needsPackageIndexLater(paths: ShellCommand[][], manager: PackageManager): boolean {
  return paths.some((commands) => {
    for (const command of commands) {
      const packages = packageCommand(command);
      if (packages?.manager !== manager) continue;
      const use = packageIndexUse(packages);
      if (use.needs) return true;
      if (use.leaves) return false;
    }
    return false;
  });
}

/** Whether a package argument names a version, and whether it is a package at all. */
export function packagePin(
  manager: PackageManager,
  word: ShellWord,
): 'pinned' | 'unpinned' | 'not-a-package' {
  const raw = word.raw;
  const value = word.value;
  if (value === undefined) {
    // `curl=$CURL_VERSION` is pinned by the build; `$PACKAGES` cannot be judged.
    return /[=@<>~]/.test(raw.replace(/^\$\{?\w+\}?/, '')) ? 'pinned' : 'not-a-package';
  }
  if (value === '' || value.startsWith('-')) return 'not-a-package';
  switch (manager) {
    case 'apt':
      if (value.includes('/') && !/^[\w.+-]+\/[\w.-]+$/.test(value)) return 'not-a-package';
      if (/\.deb$/.test(value)) return 'not-a-package';
      return value.includes('=') ? 'pinned' : 'unpinned';
    case 'apk':
      if (/\.apk$/.test(value) || value.startsWith('/') || value.startsWith('.')) return 'not-a-package';
      return /[=~<>]/.test(value) ? 'pinned' : 'unpinned';
    case 'pip':
      if (
        value === '.' ||
        /^(\.{1,2}\/|\/|~\/)/.test(value) ||
        /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/.test(value) ||
        /^(git\+|hg\+|svn\+|bzr\+|https?:|file:)/.test(value)
      )
        return 'not-a-package';
      return /===?|@/.test(value) ? 'pinned' : 'unpinned';
    case 'npm': {
      if (
        value === '.' ||
        /^(\.{1,2}\/|\/|~\/)/.test(value) ||
        /\.(tgz|tar\.gz)$/.test(value) ||
        /^(git\+|git:|github:|gitlab:|bitbucket:|https?:|file:)/.test(value) ||
        /^[\w-]+\/[\w.-]+(#.*)?$/.test(value)
      )
        return 'not-a-package';
      const at = value.lastIndexOf('@');
      if (at <= 0) return 'unpinned';
      const version = value.slice(at + 1);
      return version === '' || version === 'latest' || version === 'next' ? 'unpinned' : 'pinned';
    }
    case 'yum':
    case 'zypper':
      // `httpd-2.4.62`, `httpd-2.4.62-1.amzn2023`, `'curl >= 8'`; groups, files and URLs are not packages.
      if (/^[@/.~]|\.rpm$|^(https?|ftp|file):/.test(value) || value.includes('*')) return 'not-a-package';
      return /[=<>]|-\d[\w.+~:^-]*$/.test(value) ? 'pinned' : 'unpinned';
    case 'gem':
      if (/\.gem$/.test(value) || /^(\.{1,2}\/|\/)/.test(value)) return 'not-a-package';
      // `rails:7.1.3`; `-v 7.1.3` is judged with the command's options.
      return value.includes(':') ? 'pinned' : 'unpinned';
    default:
      return 'pinned';
  }
}
