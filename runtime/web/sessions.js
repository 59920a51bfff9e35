// Sessions: the list (search, create, reopen) and the open session (rename, export as Markdown,
// delete, its turns, the prompt bar, promptbook runs).
import { api, followEvents, segment } from "./api.js";
import { clear, field, h, status, when } from "./dom.js";
import { createPromptBar } from "./prompt.js";
import { renderTurn } from "./transcript.js";

const EXAMPLES = [
  "triage Red Canary detection 4127 and check the Mac",
  "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7",
  "/Jamf.FindUnhealthyComputers min_os_version=14.0",
];

export function createSessions({ me, listElement, viewElement, onOpened }) {
  let current = null;      // the open session: {id, displayName}
  let streams = null;      // aborts the open session's event streams
  let searchTimer = 0;
  const canPrompt = me.role !== "reader";

  // ----- the list -----------------------------------------------------------------------------
  const search = h("input", { type: "search", placeholder: "Search sessions",
                              "aria-label": "Search sessions", autocomplete: "off" });
  const items = h("ul", { class: "session-list", "aria-label": "Sessions" });
  const listNote = h("p", { class: "status", role: "status", hidden: true });
  clear(listElement).append(
      h("div", { class: "sidebar-head" },
        h("h2", null, "Sessions"),
        h("button", { type: "button", class: "primary small", id: "new-session",
                      disabled: !canPrompt, onclick: () => open(null) }, "New")),
      search, listNote, items);
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refresh, 200);
  });

  async function refresh() {
    const q = search.value.trim();
    try {
      const { value } = await api(`/v1/sessions?limit=100${q ? `&q=${encodeURIComponent(q)}` : ""}`);
      clear(items).append(...value.map((session) =>
          h("li", null,
            h("button", { type: "button", class: "session-link", dataset: { session: session.id },
                          "aria-current": session.id === current?.id ? "page" : null,
                          onclick: () => open(session.id) },
              h("span", { class: "session-name" }, session.displayName),
              h("span", { class: "muted" }, when(session.lastModifiedDateTime))))));
      if (value.length === 0) items.append(h("li", { class: "empty" }, q ? "No session matches."
                                                                          : "No sessions yet."));
      status(listNote, "");
    } catch (error) {
      status(listNote, error.message, "error");
    }
  }

  // ----- the open session ---------------------------------------------------------------------
  const title = h("h2", { id: "session-title", tabindex: -1 }, "New session");
  const tools = h("div", { class: "session-tools" });
  const viewNote = h("p", { class: "status", role: "status", hidden: true });
  const transcript = h("div", { class: "transcript", "aria-live": "polite" });
  const promptBar = createPromptBar({ onSubmit: submit, onRunPromptbook: runPromptbook });
  if (!canPrompt) promptBar.element.hidden = true;
  clear(viewElement).append(h("header", { class: "session-head" }, title, tools), viewNote,
                            transcript, promptBar.element);

  function welcome() {
    return h("div", { class: "welcome" },
        h("p", null, canPrompt ? "Ask a question to start a session, for example:"
                               : "Your role may read sessions but not ask."),
        canPrompt ? h("ul", null, EXAMPLES.map((text) =>
            h("li", null, h("button", { type: "button", class: "link example",
                                        onclick: () => submit(text) }, text)))) : null);
  }

  function renderTools() {
    clear(tools);
    if (!current) return;
    tools.append(
        h("button", { type: "button", onclick: rename, disabled: !canPrompt }, "Rename"),
        h("button", { type: "button", onclick: exportMarkdown }, "Export Markdown"),
        h("button", { type: "button", class: "danger", onclick: askDelete,
                      disabled: !canPrompt }, "Delete"));
  }

  function rename() {
    const input = h("input", { type: "text", value: current.displayName, maxlength: 200 });
    const save = async () => {
      try {
        current = await api(`/v1/sessions/${segment(current.id)}`,
                            { method: "PATCH", body: { displayName: input.value.trim() } });
        title.textContent = current.displayName;
        renderTools();
        refresh();
        title.focus();
      } catch (error) {
        status(viewNote, error.message, "error");
      }
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); save(); }
      if (e.key === "Escape") { renderTools(); title.focus(); }
    });
    clear(tools).append(field("Session name", input),
        h("button", { type: "button", class: "primary", onclick: save }, "Save"),
        h("button", { type: "button", onclick: renderTools }, "Cancel"));
    input.focus();
    input.select();
  }

  // The export needs the Authorization header, so it is fetched, then saved from a blob.
  async function exportMarkdown() {
    try {
      const response = await api(`/v1/sessions/${segment(current.id)}/export?format=markdown`,
                                 { raw: true });
      const disposition = response.headers.get("Content-Disposition") ?? "";
      const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `session-${current.id}.md`;
      const url = URL.createObjectURL(await response.blob());
      const link = h("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status(viewNote, `Exported ${name}`, "ok");
    } catch (error) {
      status(viewNote, error.message, "error");
    }
  }

  function askDelete() {
    clear(tools).append(h("span", null, `Delete “${current.displayName}” and all its prompts?`),
        h("button", { type: "button", class: "danger", onclick: remove }, "Yes, delete"),
        h("button", { type: "button", onclick: renderTools }, "Keep it"));
    tools.querySelector("button").focus();
  }

  async function remove() {
    try {
      await api(`/v1/sessions/${segment(current.id)}`, { method: "DELETE" });
      await open(null);
      status(viewNote, "Session deleted.", "ok");
    } catch (error) {
      status(viewNote, error.message, "error");
    }
  }

  function addTurn(prompt, evaluationId) {
    transcript.querySelector(".welcome")?.remove();
    const turn = renderTurn(prompt, evaluationId, {
      signal: streams.signal, canDecide: canPrompt,
      onEnd: () => refresh(),
    });
    transcript.append(turn);
    return turn;
  }

  // Opens session `id` (null: a new, empty one, created when the first prompt is sent).
  async function open(id) {
    streams?.abort();
    streams = new AbortController();
    status(viewNote, "");
    promptBar.reset();
    clear(transcript);
    if (id === null) {
      current = null;
      title.textContent = "New session";
      transcript.append(welcome());
    } else {
      try {
        const session = await api(`/v1/sessions/${segment(id)}`);
        current = { id: session.id, displayName: session.displayName };
        title.textContent = session.displayName;
        for (const prompt of session.prompts ?? []) {
          const evaluation = prompt.evaluations?.at(-1);
          if (evaluation) addTurn(prompt, evaluation.id);
        }
        if (!session.prompts?.length) transcript.append(welcome());
      } catch (error) {
        current = null;
        title.textContent = "Session not found";
        status(viewNote, error.message, "error");
      }
    }
    renderTools();
    onOpened?.(current?.id ?? null);
    refresh();
    promptBar.focus();
  }

  async function ensureSession(name) {
    if (current) return current;
    current = await api("/v1/sessions", { method: "POST",
                                          body: { displayName: name.slice(0, 80) } });
    title.textContent = current.displayName;
    renderTools();
    onOpened?.(current.id);
    return current;
  }

  async function submit(content) {
    try {
      const session = await ensureSession(content);
      const { prompt, evaluation } = await api(`/v1/sessions/${segment(session.id)}/prompts`,
                                               { method: "POST", body: { content } });
      addTurn(prompt, evaluation.id).scrollIntoView({ block: "start" });
      refresh();
    } catch (error) {
      promptBar.report(error.message, "error");
    }
  }

  // Runs a promptbook in the open session (or a new one it names), showing each step's turn.
  async function runPromptbook(book, parameters) {
    const body = { parameters };
    if (current) body.sessionId = current.id;
    const run = await api(`/v1/promptbooks/${segment(book.name)}:run`, { method: "POST", body });
    if (!current || current.id !== run.sessionId) await open(run.sessionId);
    const banner = h("p", { class: "run-status", role: "status",
                            dataset: { run: run.id } }, `${book.displayName || book.name}: running`);
    transcript.append(banner);
    const seen = new Set([...transcript.querySelectorAll(".turn")]
        .map((turn) => turn.dataset.evaluation));
    const total = run.steps?.length ?? 0;
    followEvents(`/v1/promptbooks/runs/${segment(run.id)}/events`, (type, data) => {
      if (type === "step.submitted" && !seen.has(data.evaluationId)) {
        seen.add(data.evaluationId);
        banner.textContent = `${book.displayName || book.name}: step ${data.step} of ${total}` +
                             (data.name ? ` (${data.name})` : "");
        transcript.insertBefore(renderTurn({ content: data.prompt }, data.evaluationId,
                                           { signal: streams.signal, canDecide: canPrompt }),
                                banner);
      } else if (type === "done") {
        banner.textContent = `${book.displayName || book.name}: ${data.state}` +
                             (data.error ? ` — ${data.error}` : "");
        banner.classList.add(`run-${data.state}`);
        refresh();
      }
    }, streams.signal).catch((error) => (banner.textContent = error.message));
  }

  return {
    open,
    refresh,
    close: () => streams?.abort(),
    get currentId() {
      return current?.id ?? null;
    },
    // Whether session `id` (null: a new one) is what the view shows.
    showing: (id) => streams !== null && (current?.id ?? null) === id,
  };
}
