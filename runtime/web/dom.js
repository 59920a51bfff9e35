// Small DOM helpers. Text from the server only ever reaches the page as text nodes or attribute
// values set here: nothing is ever parsed as HTML.

// h("button", {class: "x", onclick: f, hidden: true}, "text", child, [more]) -> element.
// Strings become text nodes; booleans and non-string values set properties; "text" sets
// textContent; "on..." adds a listener.
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (typeof value !== "string" && name in element) element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

// A button that copies text() to the clipboard, and says whether it could.
export function copyButton(text, label = "Copy") {
  const button = h("button", { type: "button", class: "copy", "aria-label": label }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return button;
}

// JSON on one line, for inputs shown beside a skill's name.
export function compact(value) {
  return JSON.stringify(value ?? {});
}

// "2026-11-28T11:01:49.554Z" -> a short local time; "" stays "".
export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// A labelled field: <label for=id>text</label> + control, with an optional hint.
let nextId = 0;
export function field(labelText, control, hint) {
  control.id ||= `field-${++nextId}`;
  const hintElement = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute("aria-describedby", hintElement.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, labelText), control,
           hintElement);
}

// A line that reports an operation's outcome to people and to screen readers.
export function status(element, message, kind = "info") {
  element.textContent = message;
  element.className = `status ${kind}`;
  element.hidden = !message;
}
