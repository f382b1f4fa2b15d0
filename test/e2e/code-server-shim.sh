#!/bin/sh
# Stands in for a VS Code executable when @vscode/test-electron's runTests() launches one: it takes
# the same arguments and runs the tests in code-server's extension host instead.
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/../../node_modules/tsx/dist/cli.mjs" "$here/run-in-code-server.ts" "$@"
