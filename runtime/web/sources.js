// Sources: the plugins, with their health and load errors; enable or disable one for oneself or
// (owners) for everyone; settings forms built from the manifest, secrets write-only; upload a
// declarative manifest and see its lint errors at their lines.
import { api, segment } from "./api.js";
import { clear, field, h, status } from "./dom.js";

const HEALTH = {
  loaded: "healthy",
  declarative: "declarative",
  failed: "failed to load",
};

function settingControl(setting) {
  const common = { name: setting.name, dataset: { secret: setting.secret ? "yes" : "no" } };
  if (setting.secret) {
    // Write-only: the value is never sent back, only whether one is set.
    return h("input", { ...common, type: "password", autocomplete: "new-password",
                        placeholder: setting.set ? "set — type to replace" : "not set" });
  }
  const value = setting.value ?? "";
  if (setting.type === "bool") {
    return h("select", common,
             h("option", { value: "" }, setting.set ? "(unchanged)" : "(not set)"),
             h("option", { value: "true", selected: value === true || value === "true" }, "true"),
             h("option", { value: "false", selected: value === false || value === "false" },
               "false"));
  }
  return h("input", { ...common, type: setting.type === "number" ? "number" : "text",
                      step: setting.type === "number" ? "any" : null, autocomplete: "off",
                      placeholder: setting.default !== undefined ? String(setting.default) : "",
                      value: typeof value === "string" ? value : JSON.stringify(value) });
}

async function settingsForm(plugin, me, holder) {
  const note = h("p", { class: "status", role: "status", hidden: true });
  let settings;
  try {
    settings = (await api(`/v1/plugins/${segment(plugin.name)}/settings`)).value;
  } catch (error) {
    status(note, error.message, "error");
    return clear(holder).append(note);
  }
  if (settings.length === 0) {
    return clear(holder).append(h("p", { class: "muted" }, "This plugin has no settings."));
  }
  const owner = me.role === "owner";
  const fields = settings.map((setting) => {
    const control = settingControl(setting);
    control.disabled = !owner;
    const state = setting.secret ? (setting.set ? " (secret, set)" : " (secret, not set)")
                                 : setting.required ? " (required)" : "";
    return field(`${setting.label || setting.name}${state}`, control, setting.description);
  });
  const save = async () => {
    const body = { settings: {}, secrets: {} };
    for (const control of holder.querySelectorAll("[name]")) {
      const original = settings.find((s) => s.name === control.name);
      if (control.dataset.secret === "yes") {
        if (control.value !== "") body.secrets[control.name] = control.value;
      } else if (control.value !== "" && control.value !== String(original.value ?? "")) {
        body.settings[control.name] = control.value;
      }
    }
    try {
      const { changed } = await api(`/v1/plugins/${segment(plugin.name)}/settings`,
                                    { method: "PUT", body });
      // Drawn again from the daemon, so that secrets show as set; then the outcome.
      await settingsForm(plugin, me, holder);
      status(holder.querySelector(".status"),
             changed.length ? `Saved: ${changed.join(", ")}` : "Nothing changed.", "ok");
    } catch (error) {
      status(note, error.message, "error");
    }
  };
  clear(holder).append(
      h("div", { class: "fields" }, fields),
      owner ? h("button", { type: "button", class: "primary", onclick: save }, "Save settings")
            : h("p", { class: "muted" }, "Only owners change settings."),
      note);
}

function pluginCard(plugin, me, reload) {
  const note = h("p", { class: "status", role: "status", hidden: true });
  const toggle = async (enable, scope) => {
    try {
      await api(`/v1/plugins/${segment(plugin.name)}:${enable ? "enable" : "disable"}`,
                { method: "POST", body: { scope } });
      await reload(plugin.name, `${plugin.name} ${enable ? "enabled" : "disabled"} ` +
                                (scope === "organization" ? "for everyone" : "for you"));
    } catch (error) {
      status(note, error.message, "error");
    }
  };
  const mine = h("input", { type: "checkbox", checked: Boolean(plugin.enabled),
                            onchange: (e) => toggle(e.target.checked, "user") });
  const settingsHolder = h("div", { class: "settings" });
  const settings = h("details", { class: "plugin-settings" },
                     h("summary", null, "Settings"), settingsHolder);
  settings.addEventListener("toggle", () => {
    if (settings.open) settingsForm(plugin, me, settingsHolder);
  });
  const health = HEALTH[plugin.state] ?? plugin.state;
  return h("article", { class: `plugin state-${plugin.state}`, dataset: { plugin: plugin.name },
                        "aria-labelledby": `plugin-${plugin.name}` },
      h("header", null,
        h("h3", { id: `plugin-${plugin.name}` }, plugin.displayName || plugin.name),
        h("span", { class: `badge health-${plugin.state}` }, health),
        plugin.enabled ? null : h("span", { class: "badge off" }, "disabled for you")),
      h("p", { class: "muted" }, `${plugin.name} ${plugin.version ?? ""} · ${plugin.skills} skills`),
      h("p", null, plugin.description ?? ""),
      plugin.error ? h("p", { class: "plugin-error" }, h("strong", null, "Load error: "),
                       typeof plugin.error === "string" ? plugin.error
                                                        : JSON.stringify(plugin.error)) : null,
      plugin.warnings?.length
          ? h("ul", { class: "warnings" }, plugin.warnings.map((w) =>
              h("li", null, typeof w === "string" ? w : w.text ?? JSON.stringify(w))))
          : null,
      h("div", { class: "actions" },
        h("label", { class: "switch" }, mine, " Enabled for me"),
        me.role === "owner"
            ? [h("button", { type: "button", class: "small",
                             onclick: () => toggle(true, "organization") }, "Enable for everyone"),
               h("button", { type: "button", class: "small",
                             onclick: () => toggle(false, "organization") }, "Disable for everyone")]
            : null),
      note, settings);
}

// The manifest with a line number per line, and each diagnostic under the line it is about.
function annotated(text, errors) {
  const byLine = new Map();
  for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  const rows = text.replace(/\r\n?/g, "\n").split("\n").map((line, i) => {
    const number = i + 1;
    const notes = byLine.get(number) ?? [];
    return [
      h("tr", { class: notes.length ? "has-diagnostic" : null, dataset: { line: number } },
        h("td", { class: "line-number" }, String(number)), h("td", null, h("code", null, line))),
      notes.map((d) =>
          h("tr", { class: `diagnostic ${d.severity}`, dataset: { line: number } },
            h("td"), h("td", null, `${d.severity} at line ${d.line}, column ${d.column}: ` +
                                   `${d.message}${d.fix ? ` — ${d.fix}` : ""}`))),
    ];
  });
  const beyond = errors.filter((e) => !(e.line >= 1 && e.line <= rows.length));
  return h("div", { class: "manifest-check" },
      beyond.length ? h("ul", null, beyond.map((d) => h("li", null, d.text ?? d.message))) : null,
      h("table", { class: "manifest-lines", "aria-label": "Manifest with its lint diagnostics" },
        h("tbody", null, rows)));
}

function uploadForm(me, reload) {
  const text = h("textarea", { rows: 10, spellcheck: "false",
                               placeholder: "Descriptor:\n  Name: ...\nSkillGroups:\n  - ..." });
  const file = h("input", { type: "file", accept: ".yaml,.yml,.json" });
  const note = h("p", { class: "status", role: "status", hidden: true });
  const result = h("div", { class: "upload-result" });
  file.addEventListener("change", async () => {
    if (file.files[0]) text.value = await file.files[0].text();
  });
  const upload = async () => {
    clear(result);
    try {
      const plugin = await api("/v1/plugins", { method: "POST", body: text.value,
                                                contentType: "application/yaml" });
      await reload(plugin.name, `Uploaded ${plugin.name}.`);
    } catch (error) {
      const errors = error.problem?.errors ?? [];
      status(note, error.message, "error");
      if (errors.length) result.append(annotated(text.value, errors));
    }
  };
  const allowed = me.role === "owner" || me.role === "contributor";
  return h("details", { class: "upload" },
      h("summary", null, "Upload a manifest"),
      h("p", { class: "muted" }, "A declarative plugin (GPT, API, KQL, MCP): its manifest in " +
                                 "Security Copilot's YAML or JSON. Native plugins are installed " +
                                 "by an administrator."),
      field("Manifest file", file), field("Manifest text", text),
      h("button", { type: "button", class: "primary", onclick: upload, disabled: !allowed },
        "Upload"),
      note, result);
}

export async function showSources(container, me) {
  const note = h("p", { class: "status", role: "status", hidden: true });
  const list = h("div", { class: "plugin-list" });
  const reload = async (focusName, message) => {
    try {
      const { value } = await api("/v1/plugins");
      clear(list).append(...value.map((plugin) => pluginCard(plugin, me, reload)));
      if (message) status(note, message, "ok");
      list.querySelector(`[data-plugin="${CSS.escape(focusName ?? "")}"] input`)?.focus();
    } catch (error) {
      status(note, error.message, "error");
    }
  };
  clear(container).append(h("h2", { tabindex: -1 }, "Sources"),
                          h("p", { class: "muted" }, "Plugins this daemon has, and their health."),
                          uploadForm(me, reload), note, list);
  await reload();
}
