// What the web tests run against: the Red Canary and Jamf Pro fakes (secpilot-fake-vendors), a
// real secpilotd on an ephemeral loopback port with the sample plugins and a store in a fresh
// folder, an owner key, and Debian's Chromium driven by playwright-core. Loopback only.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.SECPILOT_SOURCE_DIR ?? join(here, "..", "..");
export const binaryDir = process.env.SECPILOT_BINARY_DIR ?? join(sourceDir, "build", "default");
export const chromiumPath = process.env.SECPILOT_CHROMIUM ?? "/usr/bin/chromium";

// The flags the brief of the web tests fixes: no sandbox (root in CI), nothing that phones home.
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// Says what is missing and how to get it, instead of failing somewhere deep inside.
export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(chromiumPath)) {
    missing.push(`${chromiumPath} (Debian's chromium): run scripts/setup.sh`);
  }
  if (!existsSync(join(here, "node_modules", "playwright-core", "package.json"))) {
    missing.push(`${join(here, "node_modules")}: run scripts/setup.sh (npm ci in tests/web)`);
  }
  for (const built of ["bin/secpilotd", "bin/secpilot-fake-vendors", "plugins/red-canary",
                       "plugins/jamf", "plugins/threat-intel", "promptbooks"]) {
    if (!existsSync(join(binaryDir, built))) {
      missing.push(`${join(binaryDir, built)}: build secpilot first (cmake --build ${binaryDir})`);
    }
  }
  if (missing.length) throw new Error(`the web tests cannot run; missing:\n  ${missing.join("\n  ")}`);
}

// Resolves with the process's stdout once it matches `pattern`; rejects if it exits first.
function waitForOutput(child, pattern, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`${what} printed no ${pattern} in time:\n${text}`)), ms);
    const onData = (chunk) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stdout.resume();  // later output is not needed, but must not fill the pipe
        resolve(match);
      }
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${text}`));
    });
  });
}

// Whatever happens to the test (a failure, ctest's timeout), the daemon and the fakes go too.
const running = new Set();
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(1));

function track(stack, child) {
  stack.children.push(child);
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

export async function startStack() {
  const stack = { work: mkdtempSync(join(tmpdir(), "secpilot-web-")), children: [] };
  try {
    await start(stack);
    return stack;
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
}

async function start(stack) {
  const { work } = stack;
  const settings = join(work, "vendors.yaml");
  const vendors = track(stack, spawn(join(binaryDir, "bin", "secpilot-fake-vendors"),
                                     ["--settings-out", settings],
                                     { stdio: ["ignore", "pipe", "inherit"] }));
  await waitForOutput(vendors, /Jamf:[\s\S]*egress:[^\n]*\n/, "secpilot-fake-vendors");

  const store = join(work, "secpilot.db");
  const secpilotd = join(binaryDir, "bin", "secpilotd");
  const created = spawnSync(secpilotd, ["--store", store, "--create-key", "olivia", "--role",
                                        "owner", "--user", "olivia"], { encoding: "utf8" });
  if (created.status !== 0) throw new Error(`secpilotd --create-key failed: ${created.stderr}`);
  stack.key = created.stdout.trim();

  const log = join(work, "secpilotd.log");
  const daemon = track(stack, spawn(secpilotd, ["--config", settings, "--store", store,
                                                "--listen", "127.0.0.1:0",
                                                "--plugins-dir", join(binaryDir, "plugins")],
                                    { stdio: ["ignore", "pipe", openSync(log, "a")] }));
  stack.log = () => readFileSync(log, "utf8");
  const [, port] = await waitForOutput(daemon, /secpilotd: listening on port (\d+)\n/, "secpilotd")
      .catch((e) => { throw new Error(`${e.message}\nlog:\n${stack.log()}`); });
  stack.base = `http://127.0.0.1:${port}`;
}

export async function launchBrowser(work) {
  const { chromium } = await import("playwright-core");
  // A fresh profile (--user-data-dir) in the test's own folder.
  return chromium.launchPersistentContext(join(work, "chromium-profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    colorScheme: "light",
  });
}

export async function stopStack(stack) {
  for (const child of stack.children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(stack.work, { recursive: true, force: true });
}
