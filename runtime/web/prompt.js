// The prompt bar: free text (Enter sends, Shift+Enter breaks the line); "/" opens a picker of
// skills whose choice brings up a form with one typed field per input; Promptbooks lists the
// promptbooks, each with a form for its parameters.
import { api, segment } from "./api.js";
import { clear, field, h, status } from "./dom.js";

// A value as the direct-invocation syntax takes it: bare, or in double quotes with \" and \\.
export function quote(value) {
  return value !== "" && /^[^\s"'\\]+$/.test(value)
      ? value
      : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const MULTILINE = new Set(["script", "kql", "object", "array"]);

// A control for one input or parameter ({name, type, required, default, placeholder}).
function control(spec) {
  const type = String(spec.type ?? "string").toLowerCase();
  const common = { name: spec.name, required: Boolean(spec.required) };
  const initial = spec.default === undefined || spec.default === null ? "" : spec.default;
  if (type === "boolean" || type === "bool") {
    return h("select", common, h("option", { value: "" }, "(default)"),
             h("option", { value: "true", selected: initial === true }, "true"),
             h("option", { value: "false", selected: initial === false }, "false"));
  }
  if (MULTILINE.has(type)) {
    return h("textarea", { ...common, rows: 4, spellcheck: "false",
                           placeholder: spec.placeholder ?? "",
                           text: typeof initial === "string" ? initial : JSON.stringify(initial) });
  }
  const inputType = type === "number" || type === "integer" ? "number"
                  : type === "url" ? "url" : type === "email" ? "email" : "text";
  return h("input", { ...common, type: inputType, autocomplete: "off", spellcheck: "false",
                      step: type === "number" ? "any" : null,
                      placeholder: spec.placeholder ?? "", value: String(initial) });
}

function fieldFor(spec) {
  const label = `${spec.name}${spec.required ? " (required)" : ""}`;
  const type = spec.type ? ` — ${spec.type}` : "";
  return field(label, control(spec), `${spec.description ?? ""}${type}`.trim());
}

// The values a form's controls hold, leaving out the empty ones.
function values(form) {
  const out = {};
  for (const element of form.querySelectorAll("[name]")) {
    if (element.value !== "") out[element.name] = element.value;
  }
  return out;
}

export function createPromptBar({ onSubmit, onRunPromptbook }) {
  let skills = null;  // a promise of the enabled skills, asked for when the picker first opens
  let matches = [];
  let active = -1;

  const input = h("textarea", {
    id: "prompt-input", rows: 2, autocomplete: "off",
    placeholder: "Ask about an incident or an indicator, or type / to pick a skill",
    "aria-label": "Prompt", "aria-autocomplete": "list", "aria-controls": "skill-picker",
    "aria-expanded": "false",
  });
  const picker = h("ul", { id: "skill-picker", class: "picker", role: "listbox", hidden: true,
                           "aria-label": "Skills" });
  const panel = h("div", { class: "prompt-panel", hidden: true });
  const note = h("p", { class: "status", role: "status", hidden: true });
  const send = h("button", { type: "submit", class: "primary" }, "Send");
  const books = h("button", { type: "button", "aria-expanded": "false" }, "Promptbooks");
  const form = h("form", { class: "prompt-bar", "aria-label": "Prompt" },
      picker, panel, note,
      h("div", { class: "prompt-row" }, input,
        h("div", { class: "prompt-buttons" }, books, send)));

  const closePanel = () => {
    panel.hidden = true;
    clear(panel);
    books.setAttribute("aria-expanded", "false");
  };
  const closePicker = () => {
    picker.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    [...picker.children].forEach((option, i) => option.setAttribute("aria-selected", i === index));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", picker.children[index].id);
      picker.children[index].scrollIntoView({ block: "nearest" });
    }
  };

  async function openPicker() {
    skills ??= api("/v1/skills").then(({ value }) => value.filter((s) => s.enabled !== false));
    let list;
    try {
      list = await skills;
    } catch (error) {
      skills = null;
      status(note, `Cannot list the skills: ${error.message}`, "error");
      return;
    }
    // What is typed now, not when the list was asked for: keystrokes go on meanwhile.
    if (!/^\/\S*$/.test(input.value)) return;
    const query = input.value.slice(1).toLowerCase();
    matches = list.filter((s) => `${s.name} ${s.displayName ?? ""}`.toLowerCase()
                                       .includes(query)).slice(0, 50);
    clear(picker).append(...matches.map((skill, i) =>
        h("li", { id: `skill-option-${i}`, role: "option", "aria-selected": "false",
                  onmousedown: (e) => { e.preventDefault(); choose(skill); } },
          h("code", null, skill.name), h("span", { class: "muted" }, skill.displayName ?? ""))));
    if (matches.length === 0) picker.append(h("li", { class: "muted" }, "No skill matches."));
    picker.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(matches.length ? 0 : -1);
  }

  // The form for one skill's inputs; Run sends "/Plugin.Skill name=value ...".
  async function choose(summary) {
    closePicker();
    let skill;
    try {
      skill = await api(`/v1/skills/${segment(summary.name)}`);
    } catch (error) {
      status(note, error.message, "error");
      return;
    }
    const fields = h("div", { class: "fields" }, (skill.inputs ?? []).map(fieldFor));
    const skillForm = h("div", { class: "skill-form", role: "group",
                                 "aria-label": `Inputs of ${skill.name}` },
        h("h3", null, h("code", null, skill.name),
          skill.sideEffects && !["none", "read"].includes(skill.sideEffects)
              ? h("span", { class: `badge effects-${skill.sideEffects}` },
                  `${skill.sideEffects}: needs approval`)
              : null),
        h("p", { class: "muted" }, skill.description ?? ""), fields,
        h("div", { class: "actions" },
          h("button", { type: "button", class: "primary", onclick: run }, "Run skill"),
          h("button", { type: "button", onclick: () => { closePanel(); input.focus(); } },
            "Close")));
    function run() {
      if (![...fields.querySelectorAll("[name]")].every((c) => c.reportValidity())) return;
      const args = Object.entries(values(fields)).map(([k, v]) => `${k}=${quote(v)}`);
      closePanel();
      input.value = "";
      onSubmit([`/${skill.name}`, ...args].join(" "));
    }
    clear(panel).append(skillForm);
    panel.hidden = false;
    fields.querySelector("[name]")?.focus();
  }

  async function showPromptbooks() {
    if (!panel.hidden && books.getAttribute("aria-expanded") === "true") return closePanel();
    let list;
    try {
      list = (await api("/v1/promptbooks")).value;
    } catch (error) {
      status(note, error.message, "error");
      return;
    }
    books.setAttribute("aria-expanded", "true");
    const items = list.map((book) =>
        h("li", null,
          h("button", { type: "button", class: "link", dataset: { promptbook: book.name },
                        onclick: () => promptbookForm(book) }, book.displayName || book.name),
          h("span", { class: "muted" }, ` ${book.steps} steps — ${book.description ?? ""}`)));
    clear(panel).append(h("h3", null, "Promptbooks"),
        items.length ? h("ul", { class: "promptbooks" }, items)
                     : h("p", { class: "empty" }, "No promptbooks are installed."));
    panel.hidden = false;
    panel.querySelector("button")?.focus();
  }

  function promptbookForm(book) {
    const fields = h("div", { class: "fields" }, (book.parameters ?? []).map(fieldFor));
    const run = async () => {
      if (![...fields.querySelectorAll("[name]")].every((c) => c.reportValidity())) return;
      try {
        await onRunPromptbook(book, values(fields));
        closePanel();
      } catch (error) {
        status(note, error.message, "error");
      }
    };
    clear(panel).append(
        h("div", { class: "skill-form", role: "group", "aria-label": `Run ${book.name}` },
          h("h3", null, book.displayName || book.name),
          h("p", { class: "muted" }, book.description ?? ""), fields,
          h("div", { class: "actions" },
            h("button", { type: "button", class: "primary", onclick: run }, "Run promptbook"),
            h("button", { type: "button", onclick: closePanel }, "Close"))));
    fields.querySelector("[name]")?.focus();
  }

  function submit() {
    const content = input.value.trim();
    if (!content) return;
    input.value = "";
    closePicker();
    status(note, "");
    onSubmit(content);
  }

  books.addEventListener("click", showPromptbooks);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("input", () => {
    if (/^\/\S*$/.test(input.value)) openPicker();
    else closePicker();
  });
  input.addEventListener("blur", closePicker);
  input.addEventListener("keydown", (e) => {
    const open = !picker.hidden && matches.length > 0;
    if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + matches.length) % matches.length);
    } else if (open && (e.key === "Enter" || e.key === "Tab") && active >= 0) {
      e.preventDefault();
      choose(matches[active]);
    } else if (e.key === "Escape") {
      closePicker();
      closePanel();
    } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });

  return {
    element: form,
    focus: () => input.focus(),
    reset: () => {
      skills = null;
      closePanel();
      closePicker();
      status(note, "");
    },
    report: (message, kind) => status(note, message, kind),
  };
}
