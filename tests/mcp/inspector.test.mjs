// The MCP Inspector's CLI (@modelcontextprotocol/inspector, pinned in package-lock.json), a real
// MCP client, against `secpilotd --mcp-stdio` and against the daemon's Streamable HTTP endpoint
// /mcp: tools/list, tools/call with structured output (which the CLI checks against the tool's
// outputSchema), a tool error and an unknown tool, in the legacy, modern and auto-detected
// protocol eras. node_modules is installed with `npm ci` when missing or older than the lock file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const build = process.env.SECPILOT_BINARY_DIR;
const installed = join(here, 'node_modules', '.package-lock.json');
if (!existsSync(installed) ||
    statSync(join(here, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs)
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });

const temp = mkdtempSync(join(tmpdir(), 'secpilot-mcp-'));
process.on('exit', () => rmSync(temp, { recursive: true, force: true }));

// Runs the CLI with `target` (a command or a URL) and `args`; its exit code and output as JSON.
function run_inspector(target, args) {
  const run = spawnSync(join(here, 'node_modules', '.bin', 'mcp-inspector'),
    ['--cli', '-q', ...target, ...args],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, MCP_INSPECTOR_SECRET_STORE: 'memory' } });
  const text = run.stdout.trim() || run.stderr.split('\n').filter(l => l.startsWith('{')).pop();
  return { code: run.status, body: JSON.parse(text ?? 'null'), stderr: run.stderr };
}

// Against a fresh `secpilotd --mcp-stdio`.
function inspector(...args) {
  return run_inspector([join(build, 'bin', 'secpilotd'), '--mcp-stdio',
    '--plugins-dir', join(build, 'plugins', 'threat-intel'), '--store', join(temp, 'none.db')], args);
}

// The daemon for the HTTP tests: its own store with a contributor's and a reader's key.
const daemon = {};
before(async () => {
  const secpilotd = join(build, 'bin', 'secpilotd');
  const store = join(temp, 'daemon.db');
  const key = (role) => {
    const made = spawnSync(secpilotd, ['--store', store, '--create-key', role, '--role', role,
      '--user', 'alice'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    return made.stdout.trim();
  };
  daemon.contributor = key('contributor');
  daemon.reader = key('reader');
  daemon.process = spawn(secpilotd, ['--store', store, '--listen', '127.0.0.1:0',
    '--plugins-dir', join(build, 'plugins', 'threat-intel')], { stdio: ['ignore', 'pipe', 'inherit'] });
  daemon.url = await new Promise((resolve, reject) => {
    let seen = '';
    daemon.process.stdout.on('data', (chunk) => {
      seen += chunk;
      const port = /listening on port (\d+)/.exec(seen);
      if (port) resolve(`http://127.0.0.1:${port[1]}/mcp`);
    });
    daemon.process.once('exit', (code) => reject(new Error(`secpilotd exited with ${code}`)));
  });
});
after(() => daemon.process?.kill('SIGTERM'));

// Against the daemon's /mcp with `key` (none: no Authorization header).
function over_http(key, ...args) {
  const auth = key ? ['--header', `Authorization: Bearer ${key}`] : [];
  return run_inspector([daemon.url, '--transport', 'http', ...auth], args);
}

test('tools/list shows the skills with schemas and annotations', () => {
  const { code, body, stderr } = inspector('--method', 'tools/list');
  assert.equal(code, 0, stderr);
  const lookup = body.tools.find(t => t.name === 'ThreatIntel.LookupIndicator');
  assert.ok(lookup, JSON.stringify(body));
  assert.deepEqual(lookup.inputSchema.required, ['indicator']);
  assert.equal(lookup.outputSchema.type, 'object');
  assert.equal(lookup.annotations.readOnlyHint, true);
});

test('tools/call returns structuredContent and the same JSON as text', () => {
  const { code, body, stderr } = inspector('--method', 'tools/call', '--tool-name',
    'ThreatIntel.LookupIndicator', '--tool-arg', 'indicator=203.0.113[.]45');
  assert.equal(code, 0, stderr);
  assert.equal(body.isError, false);
  assert.equal(body.structuredContent.verdict, 'malicious');
  assert.deepEqual(JSON.parse(body.content[0].text), body.structuredContent);
});

test('a call without its required input is a tool error the model can read', () => {
  const { code, body, stderr } = inspector('--method', 'tools/call', '--tool-name',
    'ThreatIntel.LookupIndicator');
  assert.notEqual(code, 0, stderr);  // the CLI prints the result and fails on isError
  assert.equal(body.isError, true);
  assert.match(body.content[0].text, /missing required input 'indicator'/);
});

test('an unknown tool is refused', () => {
  const { code, body } = inspector('--method', 'tools/call', '--tool-name', 'ThreatIntel.Nope');
  assert.notEqual(code, 0);
  assert.match(JSON.stringify(body), /ThreatIntel\.Nope/);
});

test('the modern era over stdio: no handshake, _meta on every request', () => {
  const { code, body, stderr } = inspector('--protocol-era', 'modern', '--method', 'tools/call',
    '--tool-name', 'ThreatIntel.LookupIndicator', '--tool-arg', 'indicator=203.0.113.45');
  assert.equal(code, 0, stderr);
  assert.equal(body.structuredContent.verdict, 'malicious');
  assert.equal(body._meta['io.modelcontextprotocol/serverInfo'].name, 'secpilot');
});

for (const era of ['legacy', 'modern', 'auto']) {
  test(`over HTTP (${era} era): tools/list and tools/call with structured output`, () => {
    const list = over_http(daemon.contributor, '--protocol-era', era, '--method', 'tools/list');
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.body.tools.some(t => t.name === 'ThreatIntel.LookupIndicator'),
      JSON.stringify(list.body));
    const call = over_http(daemon.contributor, '--protocol-era', era, '--method', 'tools/call',
      '--tool-name', 'ThreatIntel.LookupIndicator', '--tool-arg', 'indicator=198.51.100[.]7');
    assert.equal(call.code, 0, call.stderr);
    assert.equal(call.body.isError, false);
    assert.equal(call.body.structuredContent.verdict, 'malicious');
    assert.deepEqual(JSON.parse(call.body.content[0].text), call.body.structuredContent);
  });
}

test('over HTTP: a tool error, a reader who may only list, and no key at all', () => {
  const missing = over_http(daemon.contributor, '--method', 'tools/call', '--tool-name',
    'ThreatIntel.LookupIndicator');
  assert.notEqual(missing.code, 0);
  assert.equal(missing.body.isError, true);
  assert.match(missing.body.content[0].text, /missing required input 'indicator'/);

  assert.equal(over_http(daemon.reader, '--method', 'tools/list').code, 0);
  const refused = over_http(daemon.reader, '--method', 'tools/call', '--tool-name',
    'ThreatIntel.LookupIndicator', '--tool-arg', 'indicator=198.51.100.7');
  assert.equal(refused.body.isError, true, JSON.stringify(refused.body));
  assert.match(refused.body.content[0].text, /reader/);

  const anonymous = over_http(null, '--method', 'tools/list');
  assert.equal(anonymous.code, 3, 'the CLI exits 3 when the server asks for authorization');
});

test('promptbooks are prompts: prompts/list and prompts/get render one', () => {
  const target = [join(build, 'bin', 'secpilotd'), '--mcp-stdio',
    '--plugins-dir', join(build, 'plugins'), '--store', join(temp, 'none.db')];
  const listed = run_inspector(target, ['--method', 'prompts/list']);
  assert.equal(listed.code, 0, listed.stderr);
  const triage = listed.body.prompts.find(p => p.name === 'IndicatorTriage');
  assert.ok(triage, JSON.stringify(listed.body));
  assert.ok(triage.arguments.some(a => a.name === 'indicator' && a.required));
  const got = run_inspector(target, ['--method', 'prompts/get', '--prompt-name', 'IndicatorTriage',
    '--prompt-args', 'indicator=198.51.100.7']);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.body.messages[0].role, 'user');
  assert.equal(got.body.messages[0].content.text,
    '/ThreatIntel.LookupIndicator indicator=198.51.100.7');
});
