// The page secpilotd serves, end to end: Debian's headless Chromium (driven by playwright-core)
// against a real daemon with the sample plugins and the vendor fakes, doing what a defender does
// in it. Screenshots of the main views go to <build>/web-screenshots (docs/images/web-*.png are
// copies). Run by ctest (tests/web/CMakeLists.txt) or `npm test` in tests/web.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { binaryDir, checkPrerequisites, launchBrowser, sourceDir, startStack, stopStack }
    from "./stack.mjs";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const shots = join(binaryDir, "web-screenshots");

let stack;
let context;
let page;
const consoleErrors = [];
const pageErrors = [];

const screenshot = (name) => page.screenshot({ path: join(shots, `web-${name}.png`) });
const lastTurn = () => page.locator(".turn").last();
const headers = () => ({ Authorization: `Bearer ${stack.key}` });

// Waits until the last turn's evaluation has ended, and returns its state badge's text.
async function ended(turn = lastTurn(), timeout = 30000) {
  await turn.locator(".evaluation-head .badge").and(
      page.locator(".state-completed, .state-failed, .state-cancelled")).waitFor({ timeout });
  return turn.locator(".evaluation-head .badge").textContent();
}

async function ask(text) {
  await page.locator("#prompt-input").fill(text);
  await page.locator("#prompt-input").press("Enter");
  await page.locator(".turn .prompt-text", { hasText: text }).last().waitFor();
}

async function newSession() {
  await page.locator("#new-session").click();
  await page.locator("#session-title", { hasText: "New session" }).waitFor();
}

describe("the web page", { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    mkdirSync(shots, { recursive: true });
    stack = await startStack();
    context = await launchBrowser(stack.work);
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(20000);
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => pageErrors.push(String(e)));
  });

  after(async () => {
    await context?.close();
    if (stack) await stopStack(stack);
  });

  test("the page and its files are served with strict security headers", async () => {
    const index = await fetch(`${stack.base}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type"), /^text\/html/);
    assert.equal(index.headers.get("content-security-policy"), CSP);
    assert.equal(index.headers.get("x-frame-options"), "DENY");
    assert.equal(index.headers.get("x-content-type-options"), "nosniff");
    assert.equal(index.headers.get("referrer-policy"), "no-referrer");
    assert.equal(index.headers.get("cache-control"), "no-cache");
    const etag = index.headers.get("etag");
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    const html = await index.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
    assert.doesNotMatch(html, /\sstyle=|<style/, "no inline style");

    const again = await fetch(`${stack.base}/`, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("content-security-policy"), CSP);

    const head = await fetch(`${stack.base}/ui/app.js`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.match(head.headers.get("content-type"), /^text\/javascript/);
    assert.ok(Number(head.headers.get("content-length")) > 0);
    assert.equal(await head.text(), "");

    const missing = await fetch(`${stack.base}/ui/nothing.js`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-security-policy"), CSP);
    assert.equal((await fetch(`${stack.base}/ui/..%2Fstyle.css`)).status, 404);

    // The page's code never parses server data as HTML.
    for (const name of readdirSync(join(sourceDir, "runtime", "web"))) {
      const lines = readFileSync(join(sourceDir, "runtime", "web", name), "utf8").split("\n");
      const html = lines.filter((line) =>
          /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/.test(line));
      assert.deepEqual(html, [], `${name} must build the DOM with textContent`);
    }
  });

  test("signs in with an API key kept in session storage, and shows the user and role", async () => {
    await page.goto(`${stack.base}/`);
    await page.locator("#api-key").waitFor();
    await screenshot("signin");
    await page.locator("#api-key").fill("sp_not-a-real-key");
    await page.locator("#api-key").press("Enter");
    await page.locator("#signin-status", { hasText: "not accepted" }).waitFor();

    await page.locator("#api-key").fill(stack.key);
    await page.locator("#api-key").press("Enter");
    await page.locator("#who-user", { hasText: "olivia" }).waitFor();
    assert.equal(await page.locator("#who-role").textContent(), "owner");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("secpilot.apiKey")), stack.key);
    assert.ok(!page.url().includes(stack.key), "the key is never in the URL");
    // The prompt bar has the focus, ready to type.
    assert.equal(await page.evaluate(() => document.activeElement.id), "prompt-input");
  });

  test("a free-text question is planned into two skills whose steps appear live", async () => {
    // Records each step as it is drawn, and the class it had before each change.
    await page.evaluate(() => {
      window.stepLog = [];
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === "childList") {
            for (const n of r.addedNodes) {
              if (n.classList?.contains("step")) window.stepLog.push(`added ${n.dataset.skill}`);
            }
          } else if (r.target.classList.contains("step") && r.oldValue === "step running") {
            window.stepLog.push(`finished ${r.target.dataset.skill}`);
          }
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true,
                                  attributeFilter: ["class"], attributeOldValue: true });
    });
    await ask("triage Red Canary detection 4127 and check the Mac");
    const turn = lastTurn();
    assert.equal(await ended(turn), "completed");

    const log = await page.evaluate(() => window.stepLog);
    const started = log.filter((l) => l.startsWith("added")).map((l) => l.split(" ")[1]);
    assert.equal(started.length, 2, log.join("\n"));
    assert.match(started[0], /^RedCanary\./);
    assert.match(started[1], /^Jamf\./);
    for (const skill of started) assert.ok(log.includes(`finished ${skill}`), log.join("\n"));
    assert.ok(log.indexOf(`finished ${started[0]}`) < log.indexOf(`added ${started[1]}`),
              `the Jamf step starts after the detection's: ${log.join("\n")}`);

    const plan = turn.locator(".plan");
    assert.match(await plan.textContent(), /Plan:/);
    assert.equal(await plan.locator("ol > li").count(), 2, "the plan lists its two steps");
    assert.match(await turn.locator(".step").nth(1).locator(".inputs").textContent(),
                 /mbp-fin-12/);
    assert.match(await turn.locator(".answer").textContent(), /mbp-fin-12/);
    assert.match(await turn.locator(".sources").textContent(), /Jamf\./);
    // Outputs are folded until asked for.
    const output = turn.locator(".step").first().locator("details.output");
    assert.equal(await output.evaluate((d) => d.open), false);
    await output.locator("summary").click();
    await output.locator("pre").waitFor();
    assert.match(await output.locator("pre").textContent(), /"id": 4127/);
    await output.locator("summary").click();
    // The session was named after the question, and is listed.
    await page.locator(".session-link", { hasText: "triage Red Canary detection 4127" }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot("session");
  });

  test("the / picker builds a skill call from typed input fields", async () => {
    await newSession();
    const input = page.locator("#prompt-input");
    await input.focus();
    await page.keyboard.type("/");
    await page.locator("#skill-picker [role=option]", { hasText: "Jamf." }).first().waitFor();
    await screenshot("skill-picker");
    await page.keyboard.type("ThreatIntel.Look");
    await page.locator("#skill-picker [role=option]", { hasText: "ThreatIntel.LookupIndicator" })
        .waitFor();
    assert.equal(await page.locator("#skill-picker [role=option]").count(), 1);
    await page.keyboard.press("Enter");
    const field = page.getByLabel(/^indicator/);
    await field.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), "indicator");
    await page.keyboard.type("198.51.100[.]7");
    await page.getByRole("button", { name: "Run skill", exact: true }).click();
    await page.locator(".turn .prompt-text",
                       { hasText: "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7" }).waitFor();
    assert.equal(await ended(), "completed");
    assert.match(await lastTurn().locator(".answer").textContent(), /malicious/i);
  });

  test("a call with side effects waits for an approval, and runs once approved", async () => {
    await newSession();
    await ask("/RedCanary.UpdateDetectionState id=4127 state=acknowledged");
    const turn = lastTurn();
    const card = turn.locator(".approval");
    await card.waitFor();
    await turn.locator(".badge.state-waitingForInput").waitFor();
    assert.match(await card.locator("h4").textContent(), /RedCanary\.UpdateDetectionState/);
    assert.match(await card.locator("h4 .badge").textContent(), /write/);
    const args = await card.locator("table.arguments").textContent();
    assert.match(args, /id\s*4127/);
    assert.match(args, /state\s*acknowledged/);
    assert.equal(await turn.locator(".step").count(), 0, "nothing ran before the approval");
    await screenshot("approval");

    await card.getByLabel("Reason (optional)").fill("SOC-81: analyst confirmed");
    await card.getByRole("button", { name: "Approve", exact: true }).click();
    await card.locator(".status", { hasText: "Approved by olivia" }).waitFor();
    assert.equal(await ended(turn), "completed");
    assert.equal(await turn.locator(".step.completed").count(), 1);
    assert.match(await turn.locator(".answer").textContent(), /acknowledged/);
  });

  test("a promptbook runs with its parameters, each step a turn", async () => {
    await newSession();
    await page.getByRole("button", { name: "Promptbooks", exact: true }).click();
    await page.locator("[data-promptbook=IndicatorTriage]").click();
    await page.getByLabel(/^indicator/).fill("198.51.100[.]7");
    assert.equal(await page.getByLabel(/^lookback/).inputValue(), "30d", "the default is filled");
    await screenshot("promptbook");
    await page.getByRole("button", { name: "Run promptbook", exact: true }).click();
    const banner = page.locator(".run-status");
    await page.locator(".run-status.run-completed, .run-status.run-failed")
        .waitFor({ timeout: 60000 });
    assert.match(await banner.textContent(), /Indicator triage: completed/);
    assert.equal(await page.locator(".turn").count(), 4);
    for (const turn of await page.locator(".turn").all()) assert.equal(await ended(turn), "completed");
    assert.match(await page.locator("#session-title").textContent(), /Indicator triage/i);
  });

  test("markup in skill output is shown as text, never run", async () => {
    await newSession();
    // LookupIndicator echoes its input in its output, and its answer quotes it.
    const markup = "<img/src=x/onerror=window.pwned=1><script>window.pwned=2</script>";
    await ask(`/ThreatIntel.LookupIndicator indicator='http://evil.example/${markup}'`);
    const turn = lastTurn();
    assert.equal(await ended(turn), "completed");
    await turn.locator("details.output summary").first().click();
    assert.ok((await turn.locator("details.output pre").textContent()).includes(markup),
              "the output shows the markup as text");
    assert.ok((await turn.locator(".answer").textContent()).includes(markup),
              "the answer (Markdown) shows the markup as text");
    assert.equal(await page.locator("img[src=x]").count(), 0);
    assert.equal(await page.locator("body script").count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  });

  test("Sources: toggle a plugin for oneself, see health, edit settings", async () => {
    await page.locator("#nav-sources").click();
    const card = page.locator("article.plugin[data-plugin=ThreatIntel]");
    await card.waitFor();
    assert.match(await card.locator(".badge").first().textContent(), /healthy/);
    const mine = card.getByLabel("Enabled for me");
    assert.equal(await mine.isChecked(), true);
    await mine.uncheck();
    await page.locator(".status", { hasText: "ThreatIntel disabled for you" }).waitFor();
    const disabled = await (await fetch(`${stack.base}/v1/plugins/ThreatIntel`,
                                        { headers: headers() })).json();
    assert.equal(disabled.enabled, false);
    await page.locator("article.plugin[data-plugin=ThreatIntel] .badge.off").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot("sources");
    await page.locator("article.plugin[data-plugin=ThreatIntel]").getByLabel("Enabled for me")
        .check();
    await page.locator(".status", { hasText: "ThreatIntel enabled for you" }).waitFor();
    const enabled = await (await fetch(`${stack.base}/v1/plugins/ThreatIntel`,
                                       { headers: headers() })).json();
    assert.equal(enabled.enabled, true);

    // Secrets are write-only: shown as set, never filled in.
    const redCanary = page.locator("article.plugin[data-plugin=RedCanary]");
    await redCanary.locator("summary", { hasText: "Settings" }).click();
    const secret = redCanary.locator("input[type=password]");
    await secret.waitFor();
    assert.equal(await secret.inputValue(), "");
    assert.match(await secret.getAttribute("placeholder"), /^set/);
  });

  test("uploading a broken manifest shows each error at its line", async () => {
    await page.locator("summary", { hasText: "Upload a manifest" }).click();
    const manifest = [
      "Descriptor:",
      "  Name: Broken Plugin",
      "  DisplayName: Broken",
      "SkillGroups:",
      "  - Format: GPT",
      "    Skills: []",
    ].join("\n");
    await page.getByLabel("Manifest text").fill(manifest);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const atLine2 = page.locator(".manifest-lines tr.diagnostic[data-line='2']");
    await atLine2.first().waitFor();
    assert.match(await atLine2.first().textContent(), /line 2, column \d+: .*whitespace/);
    assert.match(await page.locator(".manifest-lines tr.has-diagnostic[data-line='2']").textContent(),
                 /Name: Broken Plugin/);
    await page.locator(".manifest-lines").scrollIntoViewIfNeeded();
    await screenshot("manifest-errors");
  });

  test("sessions: search, reopen, rename, export as Markdown, delete", async () => {
    await page.locator("#nav-sessions").click();
    await page.getByLabel("Search sessions").fill("Red Canary");
    const link = page.locator(".session-link", { hasText: "triage Red Canary detection 4127" });
    await link.waitFor();
    await page.locator(".session-link", { hasText: "Indicator triage" }).waitFor({ state: "detached" });
    await link.click();
    await page.locator(".turn .step").nth(1).waitFor();  // reopened from its stored events
    assert.equal(await ended(), "completed");

    await page.getByRole("button", { name: "Rename", exact: true }).click();
    await page.getByLabel("Session name").fill("Detection 4127 on mbp-fin-12");
    await page.getByLabel("Session name").press("Enter");
    await page.locator("#session-title", { hasText: "Detection 4127 on mbp-fin-12" }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export Markdown", exact: true }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^session-.*\.md$/);
    const markdown = readFileSync(await download.path(), "utf8");
    assert.match(markdown, /^# Detection 4127 on mbp-fin-12/);
    assert.match(markdown, /RedCanary\.GetDetection/);
    assert.match(markdown, /Jamf\./);

    await page.getByLabel("Search sessions").fill("");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Yes, delete", exact: true }).click();
    await page.locator(".status", { hasText: "Session deleted." }).waitFor();
    await page.locator(".session-link", { hasText: "Detection 4127" }).waitFor({ state: "detached" });
  });

  test("Approvals, the dark theme and a phone's width", async () => {
    await page.locator("#nav-approvals").click();
    await page.locator("#view-approvals h2", { hasText: "Pending approvals" }).waitFor();
    await page.locator("#view-approvals .empty", { hasText: "Nothing waits" }).waitFor();

    await page.locator("#nav-sessions").click();
    const triage = page.locator(".session-name", { hasText: /^Indicator triage$/ });
    await triage.click();
    await page.locator(".turn").nth(3).waitFor();
    await ended();
    await page.locator("#theme-toggle").click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.equal(await page.locator("#theme-toggle").getAttribute("aria-pressed"), "true");
    await screenshot("dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot("phone");
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.locator("#theme-toggle").click();
  });

  test("signing out forgets the key", async () => {
    await page.locator("#sign-out").click();
    await page.locator("#api-key").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem("secpilot.apiKey")), null);
  });

  test("nothing broke the Content-Security-Policy and no script failed", () => {
    const violations = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepEqual(violations, []);
    assert.deepEqual(pageErrors, []);
  });
});
