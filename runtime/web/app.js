// The page's entry point: sign in with an API key, show who is signed in, switch between the
// views (Sessions, Sources, Approvals) and themes. The address bar holds only the view and the
// open session's id (#sessions/ID), never the key.
import { api, credentials, whenUnauthorized } from "./api.js";
import { showApprovals } from "./approvals.js";
import { clear, h, status } from "./dom.js";
import { createSessions } from "./sessions.js";
import { showSources } from "./sources.js";

const $ = (id) => document.getElementById(id);

// ----- theme: the system's (prefers-color-scheme) until the toggle picks one -----------------
const THEME = "secpilot.theme";
function effectiveTheme() {
  return document.documentElement.dataset.theme ||
         (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
}
function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const dark = effectiveTheme() === "dark";
  $("theme-toggle").setAttribute("aria-pressed", String(dark));
  $("theme-toggle").textContent = dark ? "Light theme" : "Dark theme";
}
$("theme-toggle").addEventListener("click", () => {
  const next = effectiveTheme() === "dark" ? "light" : "dark";
  localStorage.setItem(THEME, next);
  applyTheme(next);
});
applyTheme(localStorage.getItem(THEME));

// ----- signed in ----------------------------------------------------------------------------
let me = null;
let sessions = null;

function route() {
  const [view, id] = location.hash.replace(/^#/, "").split("/");
  return { view: ["sources", "approvals"].includes(view) ? view : "sessions", id: id || null };
}

async function show({ view, id }) {
  $("app").dataset.view = view;  // the sessions sidebar shows with the Sessions view only
  for (const name of ["sessions", "sources", "approvals"]) {
    $(`view-${name}`).hidden = name !== view;
    $(`nav-${name}`).setAttribute("aria-current", name === view ? "page" : "false");
  }
  if (view === "sessions") {
    if (!sessions.showing(id)) await sessions.open(id);
  } else if (view === "sources") {
    await showSources($("view-sources"), me);
    $("view-sources").querySelector("h2").focus();
  } else {
    await showApprovals($("view-approvals"), me,
                        (sessionId) => go({ view: "sessions", id: sessionId }));
    $("view-approvals").querySelector("h2").focus();
  }
}

function go(target) {
  const hash = target.view === "sessions" && target.id ? `#sessions/${target.id}`
                                                       : `#${target.view}`;
  if (location.hash !== hash) location.hash = hash;  // hashchange calls show()
  else show(target);
}

function signedOut(message) {
  sessions?.close();
  sessions = null;
  me = null;
  credentials.clear();
  $("app").hidden = true;
  $("who").hidden = true;
  $("nav").hidden = true;
  $("sign-out").hidden = true;
  $("signin").hidden = false;
  clear($("session-list"));
  clear($("view-sessions"));
  status($("signin-status"), message ?? "", message ? "error" : "info");
  $("api-key").value = "";
  $("api-key").focus();
}

async function signIn() {
  try {
    me = await api("/v1/me");
  } catch (error) {
    signedOut(error.status === 401 ? "That key was not accepted." : error.message);
    return;
  }
  $("signin").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  $("nav").hidden = false;
  $("sign-out").hidden = false;
  clear($("who")).append(h("span", { id: "who-user" }, me.user), " ",
                         h("span", { class: `badge role-${me.role}`, id: "who-role" }, me.role));
  sessions = createSessions({
    me,
    listElement: $("session-list"),
    viewElement: $("view-sessions"),
    onOpened: (id) => {
      const hash = id ? `#sessions/${id}` : "#sessions";
      if (route().view === "sessions" && location.hash !== hash) history.replaceState(null, "", hash);
    },
  });
  await show(route());
}

whenUnauthorized(() => signedOut("The key stopped working (revoked?): sign in again."));
window.addEventListener("hashchange", () => me && show(route()));
for (const name of ["sessions", "sources", "approvals"]) {
  $(`nav-${name}`).addEventListener("click",
                                    () => go({ view: name, id: sessions?.currentId ?? null }));
}
$("signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) return;
  credentials.set(key);
  signIn();
});
$("sign-out").addEventListener("click", () => signedOut());

if (credentials.key) signIn();
else signedOut();
