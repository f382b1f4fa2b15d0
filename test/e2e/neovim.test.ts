import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './code-server';
import { skipWithoutEditor } from './fixtures';

/**
 * The same server in another editor: headless Neovim's built-in LSP client (Debian's neovim,
 * 0.7 here) gets the diagnostics and a hover from `node dist/server.js --stdio`.
 */
const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

/** Lua run by `nvim --headless`: writes what it saw as JSON, then quits. */
const script = (server: string, file: string, out: string) => `
local function finish(result)
  local handle = io.open(${JSON.stringify(out)}, 'w')
  handle:write(vim.fn.json_encode(result))
  handle:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(${JSON.stringify(file)}))
  vim.bo.filetype = 'yaml'
  local bufnr = vim.api.nvim_get_current_buf()
  local started = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'cloud-lessons',
    cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(server)}, '--stdio' },
    root_dir = vim.fn.fnamemodify(${JSON.stringify(file)}, ':h'),
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local found = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diagnostics, {
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
      source = d.source, severity = d.severity,
      lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message,
    })
  end
  local ms = (vim.loop.hrtime() - started) / 1e6
  local client = vim.lsp.get_client_by_id(client_id)
  local hover = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 6, character = 28 },
  }, 10000, bufnr)
  local server_name = client.server_capabilities and client.server_capabilities.hoverProvider
  client.stop()
  finish({ found = found, ms = ms, diagnostics = diagnostics, hover = hover and hover.result, hoverProvider = server_name })
end)
if not ok then finish({ error = tostring(err) }) end
`;

function nvim(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

describe('Neovim (headless) with the language server', function () {
  const binary = nvim();
  before(function () {
    if (!binary) {
      skipWithoutEditor(
        this,
        'Neovim (nvim) is not installed: apt-get install neovim, or run scripts/install-editors.sh',
      );
    }
  });

  it('shows the diagnostics and the hover', function () {
    this.timeout(60000);
    const server = join(repoRoot, 'dist', 'server.js');
    assert.ok(existsSync(server), 'dist/server.js is missing: run npm run build first');
    const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-nvim-'));
    try {
      const file = join(dir, 'template.yaml');
      const out = join(dir, 'result.json');
      const lua = join(dir, 'test.lua');
      writeFileSync(file, template);
      writeFileSync(lua, script(server, file, out));
      const run = spawnSync(
        binary as string,
        ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${lua}`],
        {
          encoding: 'utf8',
          timeout: 45000,
          env: { ...process.env, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir },
        },
      );
      assert.equal(run.signal, null, 'Neovim did not hang');
      assert.ok(existsSync(out), `Neovim wrote no result:\n${run.stdout}\n${run.stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(result.error, undefined, result.error);
      assert.equal(result.found, true, 'diagnostics arrived');
      const finding = result.diagnostics.find(
        (d: { code?: string }) => d.code === 'private-network/public-database',
      );
      assert.ok(finding, JSON.stringify(result.diagnostics));
      assert.equal(finding.source, 'cloud-lessons');
      assert.equal(finding.severity, 1, 'an error');
      assert.deepEqual([finding.lnum, finding.col, finding.end_col], [6, 26, 30]);
      assert.equal(result.hover?.contents?.kind, 'markdown');
      assert.match(result.hover.contents.value, /What it flags/);
      assert.match(result.hover.contents.value, /Why: keep databases private/);
      console.log(`    first diagnostics in Neovim after ${Math.round(result.ms)} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
