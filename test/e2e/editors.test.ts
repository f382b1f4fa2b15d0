import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSession, uriOf } from '../features/harness';
import { repoRoot } from './code-server';
import { skipWithoutEditor } from './fixtures';

/**
 * The configurations docs/editors.md documents, run as written in the installed editors on a
 * copy of examples/: each block marked `<!-- tested: NAME -->` is taken from the page, its
 * `/path/to/cloud-lessons` replaced with this repository. Every example file must show the
 * findings the server computes for it, and a hover must answer on the busiest line.
 */

const guide = join(repoRoot, 'docs', 'editors.md');
const server = join(repoRoot, 'dist', 'server.js');

/** The code block that follows `<!-- tested: name -->` in docs/editors.md. */
function documented(name: string): string {
  const text = readFileSync(guide, 'utf8');
  const match = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(text);
  assert.ok(match, `docs/editors.md has a block marked "tested: ${name}"`);
  assert.ok(match[1].includes('/path/to/cloud-lessons/dist/server.js'), `${name} names the server's path`);
  return match[1].replaceAll('/path/to/cloud-lessons', repoRoot);
}

/** The example files each editor opens, with the language its configuration gives them. */
const exampleFiles = [
  'infra/template.yaml',
  'shop-api/Dockerfile',
  'docker-compose.yml',
  'shop-api/server.js',
  'catalog-service/app.py',
];
/** The busiest spot of examples/: the logical id OrdersDb (0-based line and column). */
const busiest = { file: 'infra/template.yaml', line: 29, character: 4 };

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** A fresh copy of examples/ as a repository of its own (the configurations look for `.git`). */
function examplesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-editors-'));
  const copy = join(dir, 'examples');
  cpSync(join(repoRoot, 'examples'), copy, { recursive: true });
  mkdirSync(join(copy, '.git'));
  return copy;
}

/** The rule ids the server reports for each example file, computed in-process. */
async function expectedCodes(copy: string): Promise<Record<string, string[]>> {
  const { session, documents } = testSession([copy]);
  const expected: Record<string, string[]> = {};
  for (const file of exampleFiles) {
    const uri = uriOf(copy, file);
    documents.set(uri, readFileSync(join(copy, file), 'utf8'), 'plaintext');
    const analysis = await session.analysisOf(documents.get(uri)!);
    expected[file] = [...new Set(analysis!.result.findings.map((f) => f.ruleId))].sort();
  }
  return expected;
}

interface EditorResult {
  error?: string;
  files: { file: string; found: boolean; codes: string[]; mode: string }[];
  hover?: string;
  clients?: number;
}

function checkResult(result: EditorResult, expected: Record<string, string[]>, copy: string): void {
  assert.equal(result.error, undefined, result.error);
  for (const file of exampleFiles) {
    const seen = result.files.find((f) => f.file === join(copy, file));
    assert.ok(seen, `${file} was opened`);
    assert.equal(seen.found, true, `${file} (${seen.mode}) shows diagnostics`);
    assert.deepEqual([...new Set(seen.codes)].sort(), expected[file], `${file}: the server's findings`);
  }
  assert.ok(result.hover, 'a hover on OrdersDb');
  assert.match(
    result.hover,
    /^- \*\*[^*]+\*\* · [a-z-]+\/[a-z-]+ · (error|warning) {2}\n/,
    'the most severe first',
  );
  assert.doesNotMatch(result.hover, /command:/, 'plain links only in other editors');
  assert.match(result.hover, /\[Rule page\]\(file:/);
}

// ---------------------------------------------------------------------------------------------
// Neovim

/** Lua run after the documented configuration: opens each file, waits for its diagnostics, hovers. */
const neovimProbe = (files: string[], hoverFile: string, out: string) => `
local function clients_of(bufnr)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = bufnr }) end
  local list = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do table.insert(list, client) end
  return list
end
local function all_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
end
local function finish(result)
  local handle = io.open(${JSON.stringify(out)}, 'w')
  handle:write(vim.fn.json_encode(result))
  handle:close()
  for _, client in ipairs(all_clients()) do client.stop() end
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  local result = { files = {} }
  for _, file in ipairs(vim.fn.json_decode(${JSON.stringify(JSON.stringify(files))})) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local bufnr = vim.api.nvim_get_current_buf()
    local found = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
    local codes = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(codes, d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '')
    end
    table.insert(result.files, { file = file, found = found, codes = codes, mode = vim.bo[bufnr].filetype })
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(${JSON.stringify(hoverFile)}))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = clients_of(bufnr)[1]
  local hover = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = ${busiest.line}, character = ${busiest.character} },
  }, 20000, bufnr)
  result.hover = hover and hover.result and hover.result.contents.value
  result.clients = #all_clients()
  finish(result)
end)
if not ok then finish({ error = tostring(err), files = {} }) end
`;

function neovimHas(binary: string, api: string): boolean {
  const run = spawnSync(
    binary,
    [
      '--headless',
      '-u',
      'NONE',
      '-i',
      'NONE',
      '-c',
      `lua io.stdout:write(${api} and 'yes' or 'no')`,
      '-c',
      'qall!',
    ],
    { encoding: 'utf8', timeout: 20000 },
  );
  return `${run.stdout}${run.stderr}`.includes('yes');
}

describe('the documented editor configurations (docs/editors.md)', function () {
  const nvim = onPath('nvim');
  const emacs = onPath('emacs');
  let copy: string;
  let expected: Record<string, string[]>;

  before(async function () {
    this.timeout(60000);
    assert.ok(existsSync(server), 'dist/server.js is missing: run npm run build first');
    copy = examplesCopy();
    expected = await expectedCodes(copy);
  });
  after(() => {
    if (copy) rmSync(join(copy, '..'), { recursive: true, force: true });
  });

  const neovimConfigurations: [string, string, string][] = [
    ['Neovim 0.7–0.10 (vim.lsp.start_client)', 'neovim-start-client', 'vim.lsp.start_client'],
    ['Neovim 0.8–0.10 (vim.lsp.start)', 'neovim-start', 'vim.lsp.start'],
    ['Neovim 0.11+ (vim.lsp.config, vim.lsp.enable)', 'neovim-config', 'vim.lsp.config'],
  ];
  for (const [title, name, api] of neovimConfigurations) {
    it(`${title} shows the findings of examples/`, function () {
      this.timeout(180000);
      if (!nvim) skipWithoutEditor(this, 'Neovim (nvim) is not installed: run scripts/install-editors.sh');
      if (!neovimHas(nvim as string, api)) {
        const version = spawnSync(nvim as string, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
        console.log(`    skipped: ${version} has no ${api}`);
        this.skip();
      }
      const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-nvim-'));
      try {
        const init = join(dir, 'init.lua');
        const probe = join(dir, 'probe.lua');
        const out = join(dir, 'result.json');
        writeFileSync(init, documented(name));
        writeFileSync(
          probe,
          neovimProbe(
            exampleFiles.map((f) => join(copy, f)),
            join(copy, busiest.file),
            out,
          ),
        );
        const run = spawnSync(
          nvim as string,
          ['--headless', '-u', init, '-i', 'NONE', '-c', `luafile ${probe}`],
          {
            cwd: copy,
            encoding: 'utf8',
            timeout: 170000,
            env: {
              ...process.env,
              XDG_STATE_HOME: dir,
              XDG_CACHE_HOME: dir,
              XDG_DATA_HOME: dir,
              XDG_CONFIG_HOME: dir,
            },
          },
        );
        assert.equal(run.signal, null, `Neovim did not finish:\n${run.stdout}\n${run.stderr}`);
        assert.ok(existsSync(out), `Neovim wrote no result:\n${run.stdout}\n${run.stderr}`);
        const result = JSON.parse(readFileSync(out, 'utf8')) as EditorResult;
        checkResult(result, expected, copy);
        assert.equal(result.clients, 1, 'one server for the repository');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Emacs

  it('Emacs with eglot shows the findings of examples/', function () {
    this.timeout(180000);
    if (!emacs) skipWithoutEditor(this, 'Emacs (emacs-nox) is not installed: run scripts/install-editors.sh');
    const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-emacs-'));
    try {
      const config = join(dir, 'cloud-lessons.el');
      const probe = join(dir, 'probe.el');
      const out = join(dir, 'result.json');
      writeFileSync(config, documented('emacs-eglot'));
      writeFileSync(probe, emacsProbe(config, out));
      const run = spawnSync(emacs as string, ['--batch', '-l', probe], {
        cwd: copy,
        encoding: 'utf8',
        timeout: 170000,
        env: { ...process.env, HOME: dir },
      });
      assert.equal(run.signal, null, `Emacs did not finish:\n${run.stdout}\n${run.stderr}`);
      assert.ok(existsSync(out), `Emacs wrote no result:\n${run.stdout}\n${run.stderr}`);
      const result = JSON.parse(readFileSync(out, 'utf8')) as EditorResult;
      if (result.error?.startsWith('missing package'))
        skipWithoutEditor(this, `${result.error}: run scripts/install-editors.sh`);
      checkResult(result, expected, copy);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const emacsProbe = (config: string, out: string) => `
(require 'package)
;; Debian's elpa-* packages, as a user's package.el would find them.
(package-initialize)
(require 'json)
(defun cloud-lessons-probe--write (result)
  (with-temp-file ${JSON.stringify(out)} (insert (json-encode result))))
(condition-case err
    (progn
      (dolist (feature '(eglot yaml-mode dockerfile-mode))
        (unless (require feature nil t)
          (error "missing package %s" feature)))
      (load ${JSON.stringify(config)} nil t)
      (let ((files '()))
        (dolist (file '(${exampleFiles.map((f) => JSON.stringify(join(copy, f))).join(' ')}))
          (find-file file)
          ;; eglot-ensure connects after the command that opened the file, and Flymake starts
          ;; once the buffer is displayed: batch Emacs has no command loop and no redisplay, so
          ;; run their hooks as an interactive Emacs would.
          (let ((deadline (+ (float-time) 30)))
            (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
              (run-hooks 'post-command-hook 'window-configuration-change-hook)
              (accept-process-output nil 0.05)))
          (push (list (cons 'file file)
                      (cons 'mode (symbol-name major-mode))
                      (cons 'found (if (flymake-diagnostics) t :json-false))
                      (cons 'codes
                            (vconcat
                             (mapcar (lambda (d)
                                       (let ((text (flymake-diagnostic-text d)))
                                         (if (string-match "\\\\[\\\\([^]]+\\\\)\\\\]" text)
                                             (match-string 1 text)
                                           text)))
                                     (flymake-diagnostics)))))
                files))
        (find-file ${JSON.stringify(join(copy, busiest.file))})
        (let* ((server (eglot-current-server))
               (hover (jsonrpc-request
                       server :textDocument/hover
                       (list :textDocument (list :uri (eglot--path-to-uri (buffer-file-name)))
                             :position (list :line ${busiest.line} :character ${busiest.character})))))
          (cloud-lessons-probe--write
           (list (cons 'files (vconcat (nreverse files)))
                 (cons 'hover (plist-get (plist-get hover :contents) :value)))))
        (ignore-errors (eglot-shutdown-all))))
  (error (cloud-lessons-probe--write
          (list (cons 'error (error-message-string err)) (cons 'files [])))))
`;
});
