// One turn of a session: the prompt, then its evaluation as it happens — the plan's
// explanation, each step of the process log as it starts and finishes, approvals, the answer
// (Markdown, rendered safely) and the skills it came from. Everything is drawn from the
// evaluation's event stream, which replays the stored history first: a reopened session and a
// live one look the same.
import { api, followEvents, segment } from "./api.js";
import { approvalCard } from "./approvals.js";
import { append, clear, compact, copyButton, h } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

const STATE_LABELS = {
  created: "queued",
  running: "running",
  waitingForInput: "waiting for approval",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

function cellText(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

const isRecord = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// Rows in a skill's output, as {columns, rows}: a KQL result ({columns: [{name}], rows: [[..]]}),
// an array of objects, or an object's first member that is one. Null when there is none.
export function tabular(output) {
  if (isRecord(output) && Array.isArray(output.columns) && Array.isArray(output.rows) &&
      output.rows.every(Array.isArray)) {
    return { columns: output.columns.map((c) => (isRecord(c) ? c.name : String(c))),
             rows: output.rows };
  }
  const records = Array.isArray(output) ? output
      : isRecord(output) ? Object.values(output).find((v) => Array.isArray(v) && v.length)
      : null;
  if (!records?.length || !records.every(isRecord)) return null;
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
}

function resultTable({ columns, rows }) {
  const tsv = () => [columns, ...rows.map((row) => row.map(cellText))]
      .map((row) => row.join("\t")).join("\n");
  return h("div", { class: "table-wrap" },
      h("table", { class: "result" },
        h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", null, rows.map((row) =>
            h("tr", null, row.map((value) => h("td", null, cellText(value))))))),
      copyButton(tsv, "Copy table"));
}

function outputDetails(output) {
  const text = JSON.stringify(output, null, 2);
  const rows = tabular(output);
  return h("details", { class: "output" },
      h("summary", null, "Output", rows ? ` (${rows.rows.length} rows)` : ""),
      rows ? resultTable(rows) : null,
      h("div", { class: "code-block" }, h("pre", null, h("code", { text })),
        copyButton(() => text, "Copy output")));
}

// A turn for `prompt` ({content, sequence}) whose evaluation is `evaluationId`. Follows the
// events until the evaluation ends or `signal` aborts. onEnd(done) runs when it ends.
export function renderTurn(prompt, evaluationId, { signal, canDecide = true, onEnd } = {}) {
  const badge = h("span", { class: "badge state-created", role: "status" }, "queued");
  const cancel = h("button", { type: "button", class: "small", hidden: true }, "Cancel");
  const explanation = h("div", { class: "plan", hidden: true });
  const log = h("ol", { class: "process-log", "aria-label": "Process log" });
  const approvals = h("div", { class: "approvals" });
  const answer = h("div", { class: "markdown" });
  let answerText = "";
  const answerBox = h("section", { class: "answer", hidden: true, "aria-label": "Answer" },
      h("div", { class: "answer-head" }, h("h3", null, "Answer"),
        copyButton(() => answerText, "Copy answer")),
      answer);
  const error = h("p", { class: "error", hidden: true });
  const sources = h("p", { class: "sources", hidden: true });
  const steps = new Map();
  const cards = new Map();

  const element = h("article", { class: "turn", dataset: { evaluation: evaluationId } },
      h("div", { class: "prompt" }, h("p", { class: "prompt-text" }, prompt.content)),
      h("section", { class: "evaluation", "aria-label": "Evaluation" },
        h("div", { class: "evaluation-head" }, badge, cancel),
        explanation, log, approvals, answerBox, error, sources));

  const setState = (state) => {
    badge.className = `badge state-${state}`;
    badge.textContent = STATE_LABELS[state] ?? state;
    cancel.hidden = !["created", "running", "waitingForInput"].includes(state) || !canDecide;
  };
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    try {
      await api(`/v1/evaluations/${segment(evaluationId)}:cancel`, { method: "POST" });
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
      cancel.disabled = false;
    }
  });

  const handlers = {
    state: (data) => setState(data.state),
    // The planned steps in one line each; the planner's full reasoning (every candidate and
    // why it was chosen or left out) folded beneath.
    plan: (data) => {
      const steps = (data.steps ?? []).map((step) =>
          h("li", null, h("code", null, step.skill), step.reason ? ` — ${step.reason}` : ""));
      explanation.hidden = false;
      append(clear(explanation), [
        h("strong", null, "Plan: "),
        data.abstention?.message,
        steps.length ? h("ol", null, steps) : null,
        data.explanation ? h("details", { class: "plan-why" }, h("summary", null, "Why these skills"),
                             h("pre", { text: data.explanation })) : null,
      ]);
    },
    "step.started": (data) => {
      const status = h("span", { class: "step-status running" }, "running…");
      const item = h("li", { class: "step running", dataset: { seq: data.seq, skill: data.skill } },
          h("div", { class: "step-head" }, h("code", { class: "skill" }, data.skill), status),
          h("code", { class: "inputs" }, compact(data.inputs)));
      steps.set(data.seq, { item, status });
      log.append(item);
    },
    "step.finished": (data) => {
      let step = steps.get(data.seq);
      if (!step) {  // a stream resumed after the start: draw it now
        handlers["step.started"](data);
        step = steps.get(data.seq);
      }
      step.item.className = `step ${data.state}`;
      step.status.className = `step-status ${data.state}`;
      step.status.textContent = `${data.state} in ${data.durationMs} ms`;
      if (data.error) {
        step.item.append(h("p", { class: "step-error" },
                           `${data.error.status}: ${data.error.message}`));
      }
      if (data.output !== undefined) step.item.append(outputDetails(data.output));
    },
    "approval.requested": (data) => {
      const card = approvalCard(data, { canDecide });
      cards.set(data.id, card);
      approvals.append(card.element);
    },
    "approval.decided": (data) => cards.get(data.id)?.update(data),
    answer: (data) => {
      answerText = data.content ?? "";
      answerBox.hidden = false;
      answer.replaceChildren(renderMarkdown(answerText));
    },
    done: (data) => {
      setState(data.state);
      if (data.error) {
        error.hidden = false;
        error.textContent = data.error;
      }
      const used = [...new Set([...steps.values()]
          .filter((s) => s.item.classList.contains("completed"))
          .map((s) => s.item.dataset.skill))];
      if (used.length) {
        sources.hidden = false;
        sources.replaceChildren(h("strong", null, "Sources: "),
            ...used.flatMap((skill, i) => [i ? ", " : "", h("code", null, skill)]));
      }
      element.classList.add("ended");
      onEnd?.(data);
    },
  };

  followEvents(`/v1/evaluations/${segment(evaluationId)}/events`,
               (type, data) => handlers[type]?.(data), signal)
      .catch((e) => {
        error.hidden = false;
        error.textContent = `Cannot follow this evaluation: ${e.message}`;
      });
  return element;
}
