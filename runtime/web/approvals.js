// Approvals: a call of a skill with side effects waits until someone approves or denies it.
// The card shows exactly what will run (skill, side effects, arguments); the Approvals view
// lists every pending one the user may decide.
import { api, segment } from "./api.js";
import { clear, field, h, status, when } from "./dom.js";

function inputsTable(inputs) {
  const entries = Object.entries(inputs ?? {});
  if (entries.length === 0) return h("p", { class: "muted" }, "No arguments.");
  return h("table", { class: "arguments" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Argument"),
                                    h("th", { scope: "col" }, "Value"))),
      h("tbody", null, entries.map(([name, value]) =>
          h("tr", null, h("th", { scope: "row" }, name),
                        h("td", null, h("code", null,
                            typeof value === "string" ? value : JSON.stringify(value)))))));
}

// The card of one approval: {id, skill, inputs, sideEffects, requestedBy?, state?}.
// update(decided) shows a decision ({state, decidedBy, reason}) and removes the buttons.
export function approvalCard(approval, { canDecide = true } = {}) {
  const outcome = h("p", { class: "status", role: "status", hidden: true });
  const reason = h("input", { type: "text", maxlength: 2000, autocomplete: "off" });
  const decide = async (verb) => {
    for (const button of buttons.querySelectorAll("button")) button.disabled = true;
    try {
      const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
      const decided = await api(`/v1/approvals/${segment(approval.id)}:${verb}`,
                                { method: "POST", body });
      update(decided);
    } catch (error) {
      status(outcome, error.message, "error");
      for (const button of buttons.querySelectorAll("button")) button.disabled = false;
    }
  };
  const buttons = h("div", { class: "actions" },
      h("button", { type: "button", class: "primary", onclick: () => decide("approve") },
        "Approve"),
      h("button", { type: "button", class: "danger", onclick: () => decide("deny") }, "Deny"));
  const controls = h("div", { class: "approval-controls" },
      field("Reason (optional)", reason), buttons);
  const card = h("section", { class: "approval", dataset: { approval: approval.id },
                              "aria-label": `Approval for ${approval.skill}` },
      h("h4", null, "Approval needed: ", h("code", null, approval.skill),
        h("span", { class: `badge effects-${approval.sideEffects}` }, approval.sideEffects)),
      approval.requestedBy
          ? h("p", { class: "muted" },
              `Requested by ${approval.requestedBy} ${when(approval.createdDateTime)}`)
          : null,
      h("p", null, "This call changes something outside secpilot. It runs only if approved, " +
                   "with exactly these arguments:"),
      inputsTable(approval.inputs), canDecide ? controls : null, outcome);

  function update(decided) {
    if (!decided || decided.state === "pending") return;
    controls.remove();
    card.classList.add(`decided-${decided.state}`);
    const by = decided.decidedBy ? ` by ${decided.decidedBy}` : "";
    const why = decided.reason ? `: ${decided.reason}` : "";
    status(outcome, `${decided.state[0].toUpperCase()}${decided.state.slice(1)}${by}${why}`,
           decided.state === "approved" ? "ok" : "warn");
  }
  if (approval.state && approval.state !== "pending") update(approval);
  return { element: card, update };
}

// The Approvals view: everything pending that this user may see.
export async function showApprovals(container, me, onOpenSession) {
  const note = h("p", { class: "status", role: "status", hidden: true });
  const list = h("div", { class: "approval-list" });
  clear(container).append(
      h("h2", { tabindex: -1 }, "Pending approvals"),
      h("p", { class: "muted" }, me.role === "owner"
          ? "As an owner you see and decide everyone's pending calls."
          : "Calls from your evaluations that wait for a decision."),
      note, list);
  try {
    const { value } = await api("/v1/approvals?state=pending&limit=100");
    if (value.length === 0) list.append(h("p", { class: "empty" }, "Nothing waits for approval."));
    for (const approval of value) {
      const card = approvalCard(approval, { canDecide: me.role !== "reader" });
      if (approval.requestedBy === me.user) {
        card.element.append(h("button", { type: "button", class: "link",
                                          onclick: () => onOpenSession(approval.sessionId) },
                              "Open its session"));
      }
      list.append(card.element);
    }
  } catch (error) {
    status(note, error.message, "error");
  }
}
