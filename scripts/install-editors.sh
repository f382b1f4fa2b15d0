#!/usr/bin/env bash
# Installs the editors the end-to-end tests drive: Debian's Chromium, Neovim, and Emacs with
# eglot, yaml-mode and dockerfile-mode (for docs/editors.md's configurations), strace (the
# isolation test watches what the CLI and the server read), and code-server 4.100.3 (a full
# VS Code with a Node 20 extension host) from the npm registry, outside the repository's
# dependencies. Safe to run again: what is already there is kept.
#
#   CLOUD_LESSONS_EDITORS  where code-server goes (default: ~/.cache/cloud-lessons-editors)
#
# The tests look for code-server in the same place, so nothing else needs configuring.
set -euo pipefail

editors="${CLOUD_LESSONS_EDITORS:-$HOME/.cache/cloud-lessons-editors}"
code_server_version=4.100.3

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v nvim >/dev/null || need_apt+=(neovim)
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v strace >/dev/null || need_apt+=(strace)
command -v emacs >/dev/null || need_apt+=(emacs-nox)
for package in elpa-eglot elpa-yaml-mode elpa-dockerfile-mode; do
  dpkg -s "$package" >/dev/null 2>&1 || need_apt+=("$package")
done
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]} > 0)); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "install-editors: missing ${need_apt[*]} (need root for apt-get); the tests that use them will skip" >&2
  fi
fi

target="$editors/code-server-$code_server_version"
if [ -x "$target/node_modules/.bin/code-server" ]; then
  echo "install-editors: code-server $code_server_version already in $target"
  exit 0
fi
if ! command -v rg >/dev/null; then
  echo "install-editors: no ripgrep, so code-server cannot be installed here" >&2
  exit 0
fi

# @vscode/ripgrep downloads rg from GitHub in its postinstall; it uses a cached tarball when one
# is in its cache folder, so give it Debian's rg in the shape it expects.
tmp="${TMPDIR:-/tmp}"
rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
rg_tarball="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$rg_tarball" ]; then
  mkdir -p "$rg_cache"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$rg_tarball" -C "$staging" rg
  rm -rf "$staging"
fi

mkdir -p "$target"
cd "$target"
[ -f package.json ] || echo '{"name":"cloud-lessons-editors","private":true}' >package.json
# As root code-server's postinstall refuses to run without unsafe-perm; node-pty's postinstall
# calls npx node-gyp, which needs --yes to run without a prompt.
echo "install-editors: installing code-server $code_server_version into $target"
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$code_server_version"
test -x "$target/node_modules/.bin/code-server"
# (--version writes a default config file: keep it out of the user's home.)
version_config="$(mktemp -d)"
echo "install-editors: code-server $(XDG_CONFIG_HOME="$version_config" "$target/node_modules/.bin/code-server" --version | tail -1)"
rm -rf "$version_config"
