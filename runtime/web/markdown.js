// A small Markdown renderer that builds DOM nodes and sets only textContent and vetted
// attributes: an answer (which quotes skill output, itself untrusted) can never inject markup.
// It covers what the daemon's answers use: headings, paragraphs, emphasis, code spans and
// fenced blocks, lists (nested by indentation), block quotes, rules, pipe tables and links.
import { copyButton, h } from "./dom.js";

// Links open only http(s) and mailto URLs; anything else (javascript:, data:) stays text.
export function safeUrl(text) {
  try {
    const url = new URL(text);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const INLINE = new RegExp(
  [
    /\\([!-/:-@[-`{-~])/.source,                                      // 1: escaped punctuation
    /(`+)([^`]|[^`][\s\S]*?[^`])\2(?!`)/.source,                     // 2, 3: a code span
    /\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/.source,              // 4, 5: a link
    /\*\*(?=\S)([\s\S]*?\S)\*\*/.source,                             // 6: strong
    /(?<![\w])__(?=\S)([\s\S]*?\S)__(?![\w])/.source,                // 7: strong
    /\*(?=[^\s*])([^*]*?[^\s*]|[^\s*])\*/.source,                    // 8: emphasis
    /(?<![\w])_(?=[^\s_])([^_]*?[^\s_]|[^\s_])_(?![\w])/.source,     // 9: emphasis
    /(https?:\/\/[^\s<>()\\]*[^\s<>().,;:!?'"\\])/.source,           // 10: a bare URL
  ].join("|"),
  "g",
);

function inline(text, parent) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    parent.append(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      parent.append(m[1]);
    } else if (m[3] !== undefined) {
      parent.append(h("code", { text: m[3].replace(/^ (.*) $/s, "$1") }));
    } else if (m[4] !== undefined) {
      const href = safeUrl(m[5]);
      const target = href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" })
                          : h("span");
      inline(m[4], target);
      parent.append(target);
    } else if (m[6] !== undefined || m[7] !== undefined) {
      parent.append(inline(m[6] ?? m[7], h("strong")));
    } else if (m[8] !== undefined || m[9] !== undefined) {
      parent.append(inline(m[8] ?? m[9], h("em")));
    } else if (m[10] !== undefined) {
      const href = safeUrl(m[10]);
      parent.append(href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }, m[10])
                         : m[10]);
    }
  }
  parent.append(text.slice(last));
  return parent;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function cells(line) {
  let text = line.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function isTableStart(lines, i) {
  return lines[i].includes("|") && i + 1 < lines.length && lines[i + 1].includes("-") &&
         DELIMITER.test(lines[i + 1]);
}

function table(lines, i, out) {
  const header = cells(lines[i]);
  const align = cells(lines[i + 1]).map((d) =>
      d.startsWith(":") && d.endsWith(":") ? "center" : d.endsWith(":") ? "right" : "");
  const rows = [];
  i += 2;
  while (i < lines.length && lines[i].trim() !== "" && lines[i].includes("|")) {
    rows.push(cells(lines[i]));
    i++;
  }
  const cell = (tag, text, column) =>
      inline(text ?? "", h(tag, { class: align[column] ? `align-${align[column]}` : null }));
  const element = h("table", null,
      h("thead", null, h("tr", null, header.map((text, c) => cell("th", text, c)))),
      h("tbody", null, rows.map((row) =>
          h("tr", null, header.map((_, c) => cell("td", row[c], c))))));
  const tsv = () => [header, ...rows].map((row) => row.join("\t")).join("\n");
  out.append(h("div", { class: "table-wrap" }, element, copyButton(tsv, "Copy table")));
  return i;
}

function startsBlock(lines, i) {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) ||
         ITEM.test(line) || isTableStart(lines, i);
}

function list(lines, i, out) {
  const first = ITEM.exec(lines[i]);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const element = h(ordered ? "ol" : "ul");
  if (ordered && parseInt(first[2], 10) !== 1) element.start = parseInt(first[2], 10);
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    if (!m || m[1].length !== indent || /\d/.test(m[2]) !== ordered) break;
    const body = [m[3]];
    const contentIndent = m[1].length + m[2].length + 1;
    i++;
    // The item goes on while lines are indented past its marker (or blank, followed by such).
    while (i < lines.length) {
      const line = lines[i];
      const lead = line.length - line.trimStart().length;
      if (line.trim() === "") {
        const next = lines[i + 1];
        if (next === undefined || next.length - next.trimStart().length <= indent) break;
        body.push("");
      } else if (lead > indent) {
        body.push(line.slice(Math.min(lead, contentIndent)));
      } else if (!startsBlock(lines, i) && body[body.length - 1] !== "") {
        body.push(line);  // a lazy continuation line
      } else {
        break;
      }
      i++;
    }
    element.append(render(body, h("li"), true));
  }
  out.append(element);
  return i;
}

// Renders `lines` into `out`. `tight`: a lone paragraph goes in without <p> (list items).
function render(lines, out, tight = false) {
  let i = 0;
  const blocks = [];
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if (line.trim() === "") {
      i++;
    } else if ((m = FENCE.exec(line))) {
      const fence = m[1];
      const code = [];
      for (i++; i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`)
                                         .test(lines[i]); i++)
        code.push(lines[i]);
      i++;
      const text = code.join("\n");
      blocks.push(h("div", { class: "code-block" },
          h("pre", null, h("code", { class: m[2] ? `language-${m[2]}` : null, text })),
          copyButton(() => text, "Copy code")));
    } else if ((m = HEADING.exec(line))) {
      blocks.push(inline(m[2], h(`h${Math.min(m[1].length + 2, 6)}`)));
      i++;
    } else if (RULE.test(line)) {
      blocks.push(h("hr"));
      i++;
    } else if (isTableStart(lines, i)) {
      const holder = document.createDocumentFragment();
      i = table(lines, i, holder);
      blocks.push(...holder.childNodes);
    } else if (QUOTE.test(line)) {
      const quoted = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) quoted.push(lines[i].replace(QUOTE, ""));
      blocks.push(render(quoted, h("blockquote")));
    } else if (ITEM.test(line)) {
      const holder = document.createDocumentFragment();
      i = list(lines, i, holder);
      blocks.push(...holder.childNodes);
    } else {
      const paragraph = [];
      for (; i < lines.length && lines[i].trim() !== "" &&
             (paragraph.length === 0 || !startsBlock(lines, i)); i++)
        paragraph.push(lines[i].trim());
      blocks.push({ paragraph: paragraph.join("\n") });
    }
  }
  const lone = tight && blocks.filter((b) => b.paragraph !== undefined).length <= 1;
  for (const block of blocks) {
    if (block.paragraph === undefined) out.append(block);
    else if (lone) inline(block.paragraph, out);
    else out.append(inline(block.paragraph, h("p")));
  }
  return out;
}

// Markdown text -> a DocumentFragment of safe nodes. Headings start at <h3>: the page owns
// <h1> and <h2>.
export function renderMarkdown(text) {
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  return render(lines, document.createDocumentFragment());
}
