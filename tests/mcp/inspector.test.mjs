// The MCP Inspector's CLI (@modelcontextprotocol/inspector, pinned in package-lock.json), a real
// MCP client, against `secpilotd --mcp-stdio`: tools/list, tools/call with structured output
// (which the CLI checks against the tool's outputSchema), a tool error and an unknown tool.
// node_modules is installed with `npm ci` when missing or older than the lock file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
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

// Runs the CLI against a fresh secpilotd; its exit code and stdout parsed as JSON.
function inspector(...args) {
  const run = spawnSync(join(here, 'node_modules', '.bin', 'mcp-inspector'), [
    '--cli', join(build, 'bin', 'secpilotd'), '--mcp-stdio',
    '--plugins-dir', join(build, 'plugins', 'threat-intel'), '--store', join(temp, 'none.db'),
    ...args], { encoding: 'utf8', timeout: 60_000 });
  const text = run.stdout.trim() || run.stderr.split('\n').filter(l => l.startsWith('{')).pop();
  return { code: run.status, body: JSON.parse(text ?? 'null'), stderr: run.stderr };
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
