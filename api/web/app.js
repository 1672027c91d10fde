// The clerk's editor: the document itself is the form. Every value of the
// template — each count in its printed table cell, the prose sections, the
// organ, year, title and signature — is an input built from the template's
// form description (GET /api/v1/templates/{id}: the page knows no
// particular document). Each change is checked by the server's own
// validation (POST /api/v1/preview), the messages appear beside the cells,
// and the draft is kept in this browser. Plain JS, no framework, no CDN.
"use strict";

const $ = (id) => document.getElementById(id);
const api = "/api/v1";

const state = {
  templates: [], // [{id, name, description}]
  details: new Map(), // template id → {form, example, name}
  template: null, // the current template's detail
  data: {}, // the report being edited
  previous: null, // last year's report JSON text, for the cross-year checks
  previousName: "",
  problems: [],
  computed: null, // the last check's data after defaults
  fileName: "",
  errors: 0,
  checked: false, // the current data has been checked
  jsonBroken: false, // the JSON tab holds text that does not parse
  dirty: false, // changed since opened, loaded or saved as a file
  touched: [], // the paths the clerk edited, most recent last
  seq: 0, // discards answers to requests that were overtaken
  pdfURL: null,
};

// Exposed for the browser test and for curious clerks in the console.
window.gongwen = { state, lastPDF: null };

// ---- talking to the server ----

function headers(json) {
  // The page speaks Chinese whatever the browser's language: without this
  // the API would follow the browser's Accept-Language (an English-locale
  // browser would get English problems on a Chinese page).
  const h = { "Accept-Language": "zh-CN" };
  if (json) h["Content-Type"] = "application/json";
  const tok = $("token").value.trim();
  if (tok) h["Authorization"] = "Bearer " + tok;
  return h;
}

// clerkMessage says what went wrong in the clerk's words: the server's
// problem documents are for programs and may name API parameters.
function clerkMessage(status, problem) {
  switch (status) {
    case 0: return "无法连接服务，请检查网络后重试。";
    case 401: return "需要访问令牌：请在页面右上角填写管理员提供的令牌。";
    case 413: return "报告太大，服务无法接收。";
    case 422: return "报告还有错误，未生成文件。请按右侧“问题”逐项改正，或勾选“有错误也生成”。";
    case 400: return "报告数据的格式有误，请按右侧“问题”改正。";
    case 503: return (problem && problem.title ? problem.title + "。" : "服务暂时不可用。") + "请稍后重试，或联系管理员。";
  }
  return (problem && problem.title ? problem.title + "。" : "出错了（" + status + "）。") + "如果反复出现，请联系管理员。";
}

// call fetches an API route; a failure is an Error with .status, the
// server's .problem document and a message for the clerk.
async function call(path, opts = {}) {
  let resp;
  try {
    resp = await fetch(api + path, opts);
  } catch (e) {
    throw Object.assign(new Error(clerkMessage(0)), { status: 0, problem: null });
  }
  if (resp.status === 401) $("token-box").hidden = false;
  if (resp.ok) return resp;
  let problem = null;
  if ((resp.headers.get("Content-Type") || "").startsWith("application/problem+json")) {
    try { problem = await resp.json(); } catch (e) { /* not JSON after all */ }
  }
  throw Object.assign(new Error(clerkMessage(resp.status, problem)), { problem, status: resp.status });
}

// reportBody is the request body for a check or render: the report alone,
// or a form with last year's report for the cross-year checks.
function reportBody(text) {
  if (!state.previous) return { headers: headers(true), body: text };
  const fd = new FormData();
  fd.append("report", new Blob([text], { type: "application/json" }), "report.json");
  fd.append("previous", new Blob([state.previous], { type: "application/json" }), "previous.json");
  return { headers: headers(false), body: fd };
}

function setStatus(text, kind) {
  const s = $("status");
  s.textContent = text;
  s.className = kind || "";
}

// ---- JSON Pointers over the report ----

function tokens(p) {
  return p === "" ? [] : p.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function getAt(obj, p) {
  let v = obj;
  for (const t of tokens(p)) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[t];
  }
  return v;
}

// setAt sets the value at p, making the objects on the way; undefined
// removes it (an empty cell is absent from the report, not 0).
function setAt(obj, p, val) {
  const ts = tokens(p);
  let v = obj;
  for (let i = 0; i < ts.length - 1; i++) {
    if (v[ts[i]] === null || typeof v[ts[i]] !== "object") {
      if (val === undefined) return;
      v[ts[i]] = {};
    }
    v = v[ts[i]];
  }
  const last = ts[ts.length - 1];
  if (val === undefined) delete v[last];
  else v[last] = val;
}

// ---- values: what the clerk types ↔ what the report holds ----

// parseValue keeps what the clerk typed when it is not a clean number, so
// that the server's check names the cell and says what is wrong with it.
function parseValue(text, kind) {
  const s = text.trim();
  if (s === "") return undefined;
  if (kind === "count" || kind === "integer") {
    if (/^\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
    return s;
  }
  if (kind === "amount") {
    const n = Number(s);
    if (/^\d+(\.\d+)?$/.test(s) && String(n) === s) return n;
    return s; // e.g. 4166.241619 stays exactly as written
  }
  return text;
}

function showValue(v) {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

// ---- templates ----

async function loadTemplates() {
  const resp = await call("/templates", { headers: headers(false) });
  state.templates = (await resp.json()).templates;
  const sel = $("template");
  sel.replaceChildren();
  for (const t of state.templates) {
    const o = document.createElement("option");
    o.value = t.id;
    o.textContent = t.name;
    o.title = t.description || t.id;
    sel.append(o);
  }
}

async function templateDetail(id) {
  if (!state.details.has(id)) {
    const resp = await call("/templates/" + id, { headers: headers(false) });
    state.details.set(id, await resp.json());
  }
  return state.details.get(id);
}

async function useTemplate(id) {
  const d = await templateDetail(id);
  state.template = d;
  $("template").value = id;
  buildForm(d.form);
}

// ---- the form ----

// fields: every input by its report path; nav: the value cells of each
// table with their grid positions, for the arrow and Enter keys.
let fields = new Map();

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "for") e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}

let uid = 0;
const nextID = (prefix) => prefix + "-" + (++uid);

function buildForm(form) {
  fields = new Map();
  const page = $("form");
  page.replaceChildren();
  if (form.fields && form.fields.length) {
    const box = el("section", { class: "fields-box", "aria-label": "基本信息" });
    for (const f of form.fields) box.append(fieldEditor(f));
    page.append(box);
  }
  for (const b of form.blocks || []) {
    switch (b.kind) {
      case "heading":
        page.append(el("h2", { class: "st-heading1", text: b.text }));
        break;
      case "text":
        page.append(el("p", { class: "st-" + (b.style || "body"), text: b.text }));
        break;
      case "fields": {
        const box = el("div", { class: "fields-inline st-" + (b.style || "body") });
        for (const f of b.fields) box.append(fieldEditor(f, b.style));
        page.append(box);
        break;
      }
      case "paragraphs":
        // A section the document prints without a heading (the preface)
        // still needs a visible name on the form.
        if (!page.lastElementChild || page.lastElementChild.tagName !== "H2") {
          page.append(el("p", { class: "prose-label", text: b.label + (b.computed ? "（可不填，留空则使用标准文字）" : "") }));
        }
        page.append(proseSection(b));
        break;
      case "table":
        page.append(tableEditor(b.table));
        break;
    }
  }
  if (form.elsewhere && form.elsewhere.length) {
    page.append(el("p", { class: "hint elsewhere", text: "本表单没有“" + form.elsewhere.join("”“") + "”的填写栏，请在“JSON（高级）”页中填写。" }));
  }
  fillForm(true);
}

function register(path, input, info) {
  input.dataset.path = path;
  fields.set(path, { input, ...info });
  input.addEventListener(input.type === "checkbox" ? "change" : "input", () => onEdit(path));
}

// fit grows a paragraph's text area to its text, so a long paragraph reads
// as on paper rather than in a scrolling slot.
function fit(ta) {
  if (!(ta instanceof HTMLTextAreaElement) || !ta.isConnected) return;
  ta.style.height = "auto";
  ta.style.height = ta.scrollHeight + 4 + "px";
}

// fieldEditor is the input of one value, by its type: a line of text, a
// choice, a yes/no box, or a list with one item per line.
function fieldEditor(f, style) {
  const id = nextID("f");
  const common = { id, class: "field-input" + (style ? " in-" + style : ""), "aria-required": f.required ? "true" : undefined };
  let input;
  let text = f.label + (f.required ? "" : "（可选）");
  switch (f.type) {
    case "choice":
      input = el("select", common, el("option", { value: "", text: f.required ? "请选择" : "（不填）" }),
        ...f.options.map((o) => el("option", { value: o, text: o })));
      break;
    case "boolean":
      input = el("input", { ...common, type: "checkbox", class: "field-check" });
      text = f.label;
      break;
    case "lines":
      input = el("textarea", { ...common, rows: 2 });
      text += "（每行一个）";
      break;
    default:
      input = el("input", {
        ...common, type: "text", autocomplete: "off",
        inputMode: f.type === "integer" ? "numeric" : undefined,
        placeholder: f.type === "date" ? "例如 2025-01-20" : "",
      });
  }
  register(f.path, input, { kind: f.type, computed: f.computed });
  const label = el("label", { for: id, text });
  return f.type === "boolean"
    ? el("div", { class: "field field-inline", "data-for": f.path }, input, label)
    : el("div", { class: "field", "data-for": f.path }, label, input);
}

// readInput is the value an input holds, as the report stores it.
function readInput(f) {
  switch (f.kind) {
    case "boolean":
      return f.input.checked ? true : undefined;
    case "lines": {
      const items = f.input.value.split("\n").map((x) => x.trim()).filter(Boolean);
      return items.length ? items : undefined;
    }
    case "choice":
      return f.input.value || undefined;
  }
  return parseValue(f.input.value, f.kind);
}

// writeInput shows a report value in its input.
function writeInput(f, v) {
  if (f.kind === "boolean") {
    f.input.checked = v === true;
    return;
  }
  const s = f.kind === "lines" && Array.isArray(v) ? v.join("\n") : showValue(v);
  if (f.input.value !== s) {
    f.input.value = s;
    fit(f.input);
  }
}

// ---- prose sections: paragraphs with an optional run-in heading ----

const sections = new Map(); // path → {block, box}

function proseSection(b) {
  const box = el("section", { class: "prose", "aria-label": b.label, "data-section": b.path });
  sections.set(b.path, { block: b, box });
  drawParagraphs(b.path);
  return box;
}

function paragraphs(path) {
  const v = getAt(state.data, path);
  return Array.isArray(v) ? v : [];
}

function drawParagraphs(path, focusIndex) {
  const { block: b, box } = sections.get(path);
  for (const p of box.querySelectorAll("[data-path]")) fields.delete(p.dataset.path);
  box.replaceChildren();
  const paras = paragraphs(path);
  const n = Math.max(paras.length, 1);
  for (let i = 0; i < n; i++) {
    const where = b.label + " 第" + (i + 1) + "段";
    const hid = nextID("h"), tid = nextID("t");
    const heading = el("input", { id: hid, type: "text", class: "run-in", autocomplete: "off", "aria-label": where + " 小标题（可选）", placeholder: "小标题（可选）" });
    const text = el("textarea", { id: tid, class: "para", rows: 3, "aria-label": where });
    if (i === 0 && paras.length === 0) {
      const standard = b.computed && state.computed ? getAt(state.computed, path) : null;
      text.placeholder = standard && standard[0] ? "留空则使用标准文字：" + standard.map((p) => p.text).join("")
        : b.computed ? "留空则使用标准文字" : b.required ? "请填写" + b.label : "可不填";
    }
    register(path + "/" + i + "/heading", heading, { kind: "text", para: { path, i } });
    register(path + "/" + i + "/text", text, { kind: "text", para: { path, i } });
    const add = el("button", { type: "button", class: "small", text: "＋ 在下面加一段", "aria-label": where + "：在下面加一段" });
    add.addEventListener("click", () => addParagraph(path, i + 1));
    const row = el("div", { class: "para-row", "data-para": path + "/" + i }, heading, text, el("div", { class: "para-tools" }, add));
    if (paras.length > 0) {
      const del = el("button", { type: "button", class: "small", text: "删除此段", "aria-label": where + "：删除此段" });
      del.addEventListener("click", () => removeParagraph(path, i));
      row.lastChild.append(del);
    }
    box.append(row);
  }
  for (const [p, f] of fields) {
    if (!p.startsWith(path + "/")) continue;
    f.input.value = showValue(getAt(state.data, p));
    f.input.addEventListener("input", () => fit(f.input));
    requestAnimationFrame(() => fit(f.input));
  }
  if (focusIndex !== undefined) {
    const f = fields.get(path + "/" + focusIndex + "/text");
    if (f) f.input.focus();
  }
}

function addParagraph(path, at) {
  beforeChange(null);
  const paras = paragraphs(path).slice();
  if (paras.length === 0) paras.push({ text: "" });
  paras.splice(at, 0, { text: "" });
  setAt(state.data, path, paras);
  drawParagraphs(path, at);
  afterChange();
}

function removeParagraph(path, i) {
  beforeChange(null);
  const paras = paragraphs(path).slice();
  paras.splice(i, 1);
  setAt(state.data, path, paras.length ? paras : undefined);
  drawParagraphs(path, Math.min(i, Math.max(paras.length - 1, 0)));
  afterChange();
}

// ---- tables ----

function tableEditor(t) {
  const ncols = t.columns.length;
  const table = el("table", { class: "form-table", "data-cols": ncols });
  const cap = el("caption", { text: t.name });
  table.append(cap);
  const cols = el("colgroup");
  const total = t.columns.reduce((a, c) => a + c, 0) || 1;
  for (const w of t.columns) {
    const col = el("col");
    col.style.width = (100 * w / total).toFixed(2) + "%";
    cols.append(col);
  }
  table.append(cols);
  const head = el("thead"), body = el("tbody");
  const nav = [];
  t.rows.forEach((row, r) => {
    const tr = el("tr", { "data-r": r });
    for (const c of row) {
      let td;
      if (c.path) {
        td = el("td", { class: "value" + (c.computed ? " computed" : "") });
        const input = el("input", {
          type: "text", autocomplete: "off", spellcheck: false, inputMode: c.kind === "amount" ? "decimal" : "numeric",
          "aria-label": c.name, "data-r": r, "data-c": c.col, "data-cs": c.colSpan,
        });
        if (c.computed) input.setAttribute("aria-describedby", "hint-computed");
        register(c.path, input, { kind: c.kind || "count", computed: c.computed, nav });
        nav.push(input);
        td.append(input);
        if (c.computed) td.append(el("span", { class: "auto-tag", "aria-hidden": "true", text: "自动" }));
      } else {
        td = el("th", { text: c.text });
        if (r < t.headerRows) td.scope = c.colSpan > 1 ? "colgroup" : "col";
        else if (c.align === "left") td.scope = c.rowSpan > 1 ? "rowgroup" : "row";
      }
      if (c.rowSpan > 1) td.rowSpan = c.rowSpan;
      if (c.colSpan > 1) td.colSpan = c.colSpan;
      if (c.align) td.classList.add("al-" + c.align);
      td.dataset.r0 = r;
      td.dataset.rs = c.rowSpan;
      tr.append(td);
    }
    (r < t.headerRows ? head : body).append(tr);
  });
  table.append(head, body);
  table.addEventListener("keydown", (ev) => tableKey(ev, nav));
  return el("div", { class: "table-wrap" }, table);
}

// tableKey moves between value cells as in a spreadsheet: Enter and the
// up/down arrows along the column, left/right along the row when the
// caret is at the edge of the number.
function tableKey(ev, nav) {
  const input = ev.target;
  if (!(input instanceof HTMLInputElement) || !nav.includes(input) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
  const r = +input.dataset.r, c = +input.dataset.c;
  const covers = (x) => +x.dataset.c <= c && c < +x.dataset.c + +x.dataset.cs;
  let target = null;
  switch (ev.key) {
    case "Enter":
    case "ArrowDown":
    case "ArrowUp": {
      const up = ev.key === "ArrowUp" || (ev.key === "Enter" && ev.shiftKey);
      const rows = nav.filter((x) => covers(x) && (up ? +x.dataset.r < r : +x.dataset.r > r));
      target = up ? rows[rows.length - 1] : rows[0];
      if (!target && ev.key === "Enter" && !up) target = nav[nav.indexOf(input) + 1]; // past the last row: on in reading order
      if (!target && ev.key === "Enter") { ev.preventDefault(); return; }
      break;
    }
    case "ArrowLeft":
      if (input.selectionStart !== 0 || input.selectionEnd !== 0) {
        if (input.selectionStart !== 0 || input.selectionEnd !== input.value.length) return;
      }
      target = nav.filter((x) => +x.dataset.r === r && +x.dataset.c < c).pop();
      break;
    case "ArrowRight":
      if (input.selectionEnd !== input.value.length) return;
      target = nav.find((x) => +x.dataset.r === r && +x.dataset.c > c);
      break;
    default:
      return;
  }
  if (!target) return;
  ev.preventDefault();
  target.focus();
  target.select();
}

// ---- data → form ----

// fillForm shows the report's values in the inputs; the one the clerk is
// typing in is left alone unless force (undo, a new report).
function fillForm(force) {
  for (const path of sections.keys()) {
    if (!document.contains(sections.get(path).box)) { sections.delete(path); continue; }
    const shown = sections.get(path).box.querySelectorAll(".para-row").length;
    if (force || Math.max(paragraphs(path).length, 1) !== shown) drawParagraphs(path);
  }
  for (const [path, f] of fields) {
    if (!force && f.input === document.activeElement) continue;
    writeInput(f, getAt(state.data, path));
  }
  showComputed();
}

// showComputed shows, in each empty input the template fills in (totals,
// the title), what will be printed there, and marks the cell as computed.
function showComputed() {
  for (const [path, f] of fields) {
    if (!f.computed) continue;
    const v = state.computed ? getAt(state.computed, path) : undefined;
    const cell = f.input.closest("td");
    f.input.placeholder = v === undefined || v === null ? (cell ? "" : "留空则自动生成") : showValue(v);
    const empty = f.input.value.trim() === "";
    if (cell) cell.classList.toggle("is-computed", empty);
    else f.input.classList.toggle("is-computed", empty);
  }
}

// ---- editing, undo, autosave ----

const hist = { undo: [], redo: [], current: "{}", lastPath: null, lastTime: 0 };

// beforeChange records the report before an edit; typing into one input
// within a second is one step to undo.
function beforeChange(path) {
  const now = Date.now();
  if (path === null || path !== hist.lastPath || now - hist.lastTime > 1000) {
    hist.undo.push(hist.current);
    if (hist.undo.length > 300) hist.undo.shift();
    hist.redo = [];
  }
  hist.lastPath = path;
  hist.lastTime = now;
}

function afterChange() {
  hist.current = JSON.stringify(state.data);
  state.dirty = true;
  state.checked = false;
  state.jsonBroken = false;
  $("json-broken").hidden = true;
  showJSON();
  saveDraftSoon();
  checkSoon();
  updateButtons();
}

function onEdit(path) {
  const f = fields.get(path);
  beforeChange(path);
  state.touched = state.touched.filter((p) => p !== path).slice(-50);
  state.touched.push(path);
  const v = readInput(f);
  if (f.para) {
    // A paragraph always has its text; a blank heading is no heading.
    const paras = paragraphs(f.para.path).slice();
    while (paras.length <= f.para.i) paras.push({ text: "" });
    const p = { ...paras[f.para.i] };
    const key = path.endsWith("/heading") ? "heading" : "text";
    if (key === "heading" && v === undefined) delete p.heading;
    else p[key] = v === undefined ? "" : v;
    paras[f.para.i] = p;
    const empty = paras.length === 1 && !p.text && !p.heading;
    setAt(state.data, f.para.path, empty ? undefined : paras);
  } else {
    setAt(state.data, path, v);
  }
  if (f.computed) showComputed();
  afterChange();
}

// restore makes an earlier state of the report current (undo, redo), on
// the template it names: an undo may cross a change of template.
async function restore(json) {
  state.data = JSON.parse(json);
  hist.current = json;
  hist.lastPath = null;
  state.dirty = true;
  state.checked = false;
  const id = state.data.template;
  if (typeof id === "string" && state.template && id !== state.template.id && state.templates.some((t) => t.id === id)) {
    await useTemplate(id);
  }
  fillForm(true);
  showJSON();
  saveDraftSoon();
  check();
  updateButtons();
}

function undo() {
  if (!hist.undo.length) return;
  hist.redo.push(hist.current);
  restore(hist.undo.pop()).then(() => setStatus("已撤销。"));
}

function redo() {
  if (!hist.redo.length) return;
  hist.undo.push(hist.current);
  restore(hist.redo.pop()).then(() => setStatus("已重做。"));
}

// The draft is kept in this browser so that a closed tab or a reload
// loses nothing; it never leaves the machine except to this server.
const draftKey = "gongwen.draft.v2";
let saveTimer = 0;

function saveDraftSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveDraft, 300);
}

function saveDraft() {
  clearTimeout(saveTimer);
  if (isEmpty(state.data)) return;
  try {
    localStorage.setItem(draftKey, JSON.stringify({
      template: state.template && state.template.id, data: state.data, previous: state.previous,
      previousName: state.previousName, savedAt: new Date().toISOString(),
    }));
  } catch (e) { /* private mode or full: not fatal */ }
}

function storedDraft() {
  try {
    const d = JSON.parse(localStorage.getItem(draftKey) || "null");
    return d && d.data && !isEmpty(d.data) ? d : null;
  } catch (e) {
    return null;
  }
}

function isEmpty(data) {
  return !data || Object.keys(data).filter((k) => k !== "template").length === 0;
}

// ---- replacing the report (new, example, file, last year, draft) ----

function askReplace(what) {
  if (!state.dirty || isEmpty(state.data)) return Promise.resolve(true);
  const dlg = $("confirm");
  $("confirm-text").textContent = "当前填写的内容还没有用“保存 JSON”存成文件。" + what + "会替换它（之后可以用“撤销”找回）。";
  dlg.returnValue = "";
  dlg.showModal();
  return new Promise((resolve) => dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true }));
}

// replaceReport makes data the report being edited, on the template it
// names (or the current one); the old report stays one undo away.
async function replaceReport(data, { dirty = false, message = "" } = {}) {
  const id = typeof data.template === "string" && state.templates.some((t) => t.id === data.template)
    ? data.template : (state.template ? state.template.id : state.templates[0].id);
  hist.undo.push(hist.current);
  hist.redo = [];
  state.data = data;
  hist.current = JSON.stringify(data);
  hist.lastPath = null;
  state.computed = null;
  state.problems = [];
  state.touched = [];
  if (!state.template || state.template.id !== id) await useTemplate(id);
  fillForm(true);
  showJSON();
  state.dirty = dirty;
  state.checked = false;
  state.jsonBroken = false;
  $("json-broken").hidden = true;
  showProblems([]);
  saveDraft();
  updateButtons();
  if (message) setStatus(message);
  await check();
}

async function newReport() {
  if (!(await askReplace("新建"))) return;
  setPrevious(null, "");
  const id = $("template").value;
  await replaceReport({ template: id }, { message: "已新建空白报告。" });
}

async function loadExample() {
  if (!(await askReplace("载入示例"))) return;
  const d = await templateDetail($("template").value);
  setPrevious(null, "");
  await replaceReport(JSON.parse(JSON.stringify(d.example)), { message: "已载入示例：" + d.name });
}

async function openFile(f) {
  if (!(await askReplace("打开文件"))) return;
  const text = await f.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    data = null;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    // Let the server say where the JSON breaks, in the clerk's words.
    state.jsonBroken = true;
    $("report").value = text;
    $("json-broken").hidden = false;
    setStatus("文件“" + f.name + "”不是有效的报告 JSON，见右侧问题。", "error");
    await check(text);
    return;
  }
  setPrevious(null, "");
  await replaceReport(data, { message: "已打开文件：" + f.name });
}

// startFromLastYear asks the server for this year's draft made from last
// year's report, as the template says (POST /api/v1/next-year), and keeps
// last year's report to check this year's figures against.
async function startFromLastYear(f) {
  if (!(await askReplace("以去年报告为基础"))) return;
  const text = await f.text();
  setStatus("正在根据去年的报告生成今年的草稿…", "busy");
  let draft;
  try {
    const resp = await call("/next-year", { method: "POST", headers: headers(true), body: text });
    draft = await resp.json();
  } catch (e) {
    if (e.problem && e.problem.problems && e.problem.problems.length) showProblems(e.problem.problems);
    const kind = e.problem && e.problem.type ? e.problem.type.split("/").pop() : "";
    const why = kind === "no-next-year" ? "这份报告所用的格式不支持以去年报告为基础。"
      : e.status === 400 || e.status === 422 ? "它不是可用的报告 JSON，见右侧问题。" : e.message;
    setStatus("无法以“" + f.name + "”为基础：" + why, "error");
    return;
  }
  setPrevious(text, f.name);
  await replaceReport(draft, {
    dirty: true,
    message: "已根据“" + f.name + "”生成" + (draft.year ? " " + draft.year + " 年度" : "") + "草稿：文字保留供修改，数字已清空，“上年结转”已按去年的“结转下年度继续办理”填入。",
  });
}

function setPrevious(text, name) {
  state.previous = text;
  state.previousName = name;
  $("previous-info").hidden = !text;
  $("previous-name").textContent = name;
}

function saveJSON() {
  const name = (state.fileName || "报告草稿") + ".json";
  const blob = new Blob([JSON.stringify(state.data, null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  state.dirty = false;
  setStatus("已保存为文件：" + name, "ok");
}

// ---- the JSON tab, kept in step with the form ----

function showJSON() {
  const ta = $("report");
  if (document.activeElement === ta && !state.jsonBroken) return;
  ta.value = JSON.stringify(state.data, null, 2);
}

let jsonTimer = 0;
function onJSONInput() {
  clearTimeout(jsonTimer);
  jsonTimer = setTimeout(() => {
    const text = $("report").value;
    let data = null;
    try {
      data = JSON.parse(text);
    } catch (e) { /* the server says where */ }
    if (data && typeof data === "object" && !Array.isArray(data)) {
      beforeChange("#json");
      state.data = data;
      hist.current = JSON.stringify(data);
      state.jsonBroken = false;
      $("json-broken").hidden = true;
      state.dirty = true;
      if (typeof data.template === "string" && state.template && data.template !== state.template.id &&
        state.templates.some((t) => t.id === data.template)) {
        useTemplate(data.template).then(() => fillForm(true));
      } else {
        fillForm(true);
      }
      saveDraftSoon();
      check();
    } else {
      state.jsonBroken = true;
      $("json-broken").hidden = false;
      check(text);
    }
    updateButtons();
  }, 400);
}

// ---- checking, through the server's own validation ----

let checkTimer = 0;
function checkSoon() {
  clearTimeout(checkTimer);
  state.checkPending = true;
  checkTimer = setTimeout(() => check(), 300);
}

async function check(rawText) {
  clearTimeout(checkTimer);
  state.checkPending = false;
  const seq = ++state.seq;
  if (rawText === undefined && isEmpty(state.data)) {
    state.problems = [];
    state.computed = null;
    state.checked = false;
    showProblems([]);
    setStatus("请逐项填写报告，或点击“载入示例”“打开 JSON 文件…”“以去年报告为基础…”开始。");
    document.body.dataset.checked = String(seq);
    updateButtons();
    return;
  }
  const text = rawText !== undefined ? rawText : JSON.stringify(state.data);
  setStatus("正在检查…", "busy");
  let problems = [], computed = null, fileName = "";
  try {
    const resp = await call("/preview", { method: "POST", ...reportBody(text) });
    const p = await resp.json();
    problems = p.problems;
    computed = p.data || null;
    fileName = p.fileName || "";
    if (p.templateId && state.template && p.templateId !== state.template.id && rawText === undefined && seq === state.seq) {
      // A report that names no template was claimed by another one.
      await useTemplate(p.templateId);
      fillForm(true);
    }
  } catch (e) {
    if (seq !== state.seq) return;
    problems = e.problem && e.problem.problems ? e.problem.problems : [];
    state.problems = problems;
    state.computed = null;
    state.checked = rawText === undefined;
    showProblems(problems);
    state.errors = Math.max(1, problems.filter((x) => x.severity === "error").length);
    setStatus(e.message, "error");
    document.body.dataset.checked = String(seq);
    updateButtons();
    return;
  }
  if (seq !== state.seq) return;
  state.problems = problems;
  state.computed = computed;
  state.fileName = fileName;
  state.checked = rawText === undefined;
  showComputed();
  for (const path of sections.keys()) if (paragraphs(path).length === 0) drawParagraphs(path);
  showProblems(problems);
  const errors = problems.filter((x) => x.severity === "error").length;
  const warnings = problems.filter((x) => x.severity === "warning").length;
  state.errors = errors;
  if (errors) setStatus("还有 " + errors + " 处错误，改正后才能生成。", "error");
  else if (warnings) setStatus("没有错误，可以生成；有 " + warnings + " 处提醒请核对。", "warn");
  else setStatus("检查通过，可以生成。", "ok");
  document.body.dataset.checked = String(seq);
  updateButtons();
}

function updateButtons() {
  const canRender = state.checked && !state.jsonBroken && (state.errors === 0 || $("allow-problems").checked);
  for (const id of ["render-pdf", "download-pdf", "download-docx", "download-ofd"]) $(id).disabled = !canRender;
  $("undo").disabled = hist.undo.length === 0;
  $("redo").disabled = hist.redo.length === 0;
}

// ---- problems: in the list, and beside the cells ----

const severityNames = { error: "错误", warning: "提醒", notice: "提示" };
const severityRank = { error: 0, warning: 1, notice: 2 };

// targetsOf finds the inputs a problem is about: the value itself, the
// values inside a row or section it names, or the value that contains it.
function targetsOf(path) {
  if (!path) return [];
  if (fields.has(path)) return [fields.get(path).input];
  const inside = [...fields.keys()].filter((p) => p.startsWith(path + "/"));
  if (inside.length) return inside.map((p) => fields.get(p).input);
  let best = null;
  for (const p of fields.keys()) if (path.startsWith(p + "/") && (!best || p.length > best.length)) best = p;
  return best ? [fields.get(best).input] : [];
}

function clearMarks() {
  for (const m of document.querySelectorAll("#form .msg, #form .msg-row")) m.remove();
  for (const td of document.querySelectorAll("#form td[data-rs], #form th[data-rs]")) {
    const rs = +td.dataset.rs;
    if (rs > 1) td.rowSpan = rs;
  }
  for (const [, f] of fields) {
    f.input.removeAttribute("aria-invalid");
    f.input.classList.remove("has-error", "has-warning");
    const cell = f.input.closest("td");
    if (cell) cell.classList.remove("has-error", "has-warning");
    f.input.setAttribute("aria-describedby", f.computed && cell ? "hint-computed" : "");
    if (!f.input.getAttribute("aria-describedby")) f.input.removeAttribute("aria-describedby");
  }
}

function showProblems(problems) {
  problems = [...problems].sort((a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3));
  clearMarks();
  const list = $("problems");
  list.replaceChildren();
  const counts = { error: 0, warning: 0, notice: 0 };
  const rowMessages = new Map(); // table row → messages to show under it
  let notices = null;
  for (const p of problems) {
    counts[p.severity] = (counts[p.severity] || 0) + 1;
    const targets = p.severity === "notice" ? [] : targetsOf(p.path);
    // A sum that does not add up is most likely wrong in the cell the
    // clerk just typed in: the message goes beside that one first.
    const edited = (p.related || []).length ? state.touched.filter((q) => p.related.includes(q) && fields.has(q)).pop() : null;
    if (edited && !targets.includes(fields.get(edited).input)) targets.unshift(fields.get(edited).input);
    if (targets.length) markProblem(p, targets, rowMessages);
    const item = problemItem(p, targets[0]);
    if (p.severity !== "notice") {
      list.append(item);
      continue;
    }
    if (!notices) {
      notices = el("ol");
      list.append(el("li", { class: "notices" }, el("details", {}, el("summary"), notices)));
    }
    notices.append(item);
  }
  for (const [tr, msgs] of rowMessages) placeRowMessages(tr, msgs);
  if (notices) {
    notices.parentElement.querySelector("summary").textContent =
      counts.notice + " 个提示：系统已自动处理（例如把半角标点改为全角），无需修改。点击查看";
  }
  const parts = [];
  for (const k of ["error", "warning", "notice"]) if (counts[k]) parts.push(counts[k] + " 个" + severityNames[k]);
  $("problem-count").textContent = parts.length ? "（" + parts.join("，") + "）" : "";
  const empty = $("problems-empty");
  empty.hidden = counts.error + counts.warning > 0;
  empty.textContent = isEmpty(state.data) ? "填写后，这里列出需要改正的地方。" : "没有需要改正的地方。";
}

// markProblem outlines the inputs and puts the message beside them: under
// the table row (a row of its own, so the printed columns keep their
// widths), or under the field or paragraph. Each input's
// aria-describedby names its messages.
function markProblem(p, targets, rowMessages) {
  const id = nextID("msg");
  const msg = el("p", { id, class: "msg " + p.severity },
    el("span", { class: "sev", text: severityNames[p.severity] + "：" }), clerkWords(p.message));
  for (const input of targets) {
    if (p.severity === "error") input.setAttribute("aria-invalid", "true");
    const cls = "has-" + p.severity;
    input.classList.add(cls);
    const cell = input.closest("td");
    if (cell) cell.classList.add(cls);
    const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids.unshift(id);
    input.setAttribute("aria-describedby", ids.join(" "));
  }
  const first = targets[0];
  const tr = first.closest("tr");
  if (tr) {
    if (!rowMessages.has(tr)) rowMessages.set(tr, []);
    rowMessages.get(tr).push(msg);
    return;
  }
  const holder = first.closest(".field, .para-row");
  (holder || first.parentElement).append(msg);
}

// placeRowMessages inserts a message row under tr; cells spanning down
// past tr (a group label) grow by one row so the table stays a grid.
function placeRowMessages(tr, msgs) {
  const table = tr.closest("table");
  const r = +tr.dataset.r;
  let covered = 0;
  for (const cell of table.querySelectorAll("[data-r0]")) {
    const r0 = +cell.dataset.r0, rs = +cell.dataset.rs;
    if (r0 <= r && r < r0 + rs - 1) {
      cell.rowSpan = cell.rowSpan + 1;
      covered += cell.colSpan;
    }
  }
  const td = el("td", { colSpan: +table.dataset.cols - covered, class: "msg-cell" }, ...msgs);
  tr.after(el("tr", { class: "msg-row" }, td));
}

// clerkWords drops what only a programmer needs from a message: the
// JSON key after the form's name of a field, and a parser's English
// explanation after the line and column (the API keeps both for them).
const clerkWords = (m) => m.replace(/（字段 [^）]*）/g, "").replace(/（[\x20-\x7e]* [\x20-\x7e]*）/g, "");

function problemItem(p, target) {
  const b = el("button", { type: "button", class: "problem " + p.severity },
    el("span", { class: "severity", text: severityNames[p.severity] || p.severity }),
    el("span", { class: "message", text: clerkWords(p.message) }));
  b.addEventListener("click", () => reveal(p, target));
  return el("li", {}, b);
}

function reveal(p, target) {
  if (target && document.contains(target)) {
    showTab("form");
    target.scrollIntoView({ block: "center" });
    target.focus();
    return;
  }
  // Not on the form (e.g. a misspelt name in an opened file): show it in
  // the JSON.
  showTab("json");
  const ta = $("report");
  const key = (p.path || "").split("/").pop().replace(/~1/g, "/").replace(/~0/g, "~");
  const i = key ? ta.value.indexOf('"' + key + '"') : -1;
  ta.focus();
  if (i >= 0) ta.setSelectionRange(i, i + key.length + 2);
}

// ---- rendering ----

function fileName(resp, fallback) {
  const cd = resp.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ }
  }
  const plain = /filename="([^"]+)"/.exec(cd);
  return plain ? plain[1] : fallback;
}

async function renderFile(format) {
  const q = new URLSearchParams({ format });
  if ($("allow-problems").checked) q.set("allowProblems", "true");
  if (format === "pdf") q.set("pdfStandard", $("pdf-standard").value);
  if (format === "docx") q.set("docxFonts", $("docx-fonts").value);
  const kind = { pdf: "PDF", docx: "Word 文档", ofd: "OFD 文件" }[format] || format;
  setStatus("正在生成 " + kind + "…", "busy");
  try {
    const resp = await call("/render?" + q, { method: "POST", ...reportBody(JSON.stringify(state.data)) });
    const blob = await resp.blob();
    const n = resp.headers.get("Gongwen-Errors");
    setStatus("已生成 " + kind + "（" + Math.max(1, Math.round(blob.size / 1024)) + " KB）" +
      (n ? "，含 " + n + " 处未改正的错误，已记录在文件属性中。" : "。"), n ? "warn" : "ok");
    return { blob, name: fileName(resp, "report." + format) };
  } catch (e) {
    if (e.problem && e.problem.problems && e.problem.problems.length) showProblems(e.problem.problems);
    setStatus(e.message, "error");
    return null;
  }
}

async function previewPDF() {
  const out = await renderFile("pdf");
  if (!out) return;
  const magic = await out.blob.slice(0, 5).text();
  window.gongwen.lastPDF = { size: out.blob.size, magic, name: out.name, blob: out.blob };
  if (state.pdfURL) URL.revokeObjectURL(state.pdfURL);
  state.pdfURL = URL.createObjectURL(new Blob([out.blob], { type: "application/pdf" }));
  const frame = el("iframe", { title: out.name, src: state.pdfURL });
  const open = el("a", { href: state.pdfURL, target: "_blank", rel: "noopener", text: "在新窗口打开" });
  $("pdf-view").replaceChildren(el("p", { class: "pdf-name" }, out.name + " · ", open), frame);
  showTab("pdf");
  document.body.dataset.pdf = "ready";
}

async function download(format) {
  const out = await renderFile(format);
  if (!out) return;
  const a = el("a", { href: URL.createObjectURL(out.blob), download: out.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

// ---- tabs ----

const tabs = ["form", "json", "pdf"];

function showTab(which) {
  for (const t of tabs) {
    const tab = $("tab-" + t);
    tab.setAttribute("aria-selected", String(t === which));
    tab.tabIndex = t === which ? 0 : -1;
    $(t + "-view").hidden = t !== which;
  }
  if (which === "json") showJSON();
}

function tabKey(ev) {
  const i = tabs.findIndex((t) => $("tab-" + t) === ev.target);
  if (i < 0 || (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft")) return;
  const next = tabs[(i + (ev.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  showTab(next);
  $("tab-" + next).focus();
  ev.preventDefault();
}

// ---- wiring ----

document.addEventListener("DOMContentLoaded", async () => {
  $("new").addEventListener("click", newReport);
  $("load-example").addEventListener("click", loadExample);
  $("open").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    ev.target.value = "";
    if (f) await openFile(f);
  });
  $("start-from-last-year").addEventListener("click", () => $("last-year-file").click());
  $("last-year-file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    ev.target.value = "";
    if (f) await startFromLastYear(f);
  });
  $("previous-remove").addEventListener("click", () => { setPrevious(null, ""); saveDraft(); check(); });
  $("save-json").addEventListener("click", saveJSON);
  $("undo").addEventListener("click", undo);
  $("redo").addEventListener("click", redo);
  $("render-pdf").addEventListener("click", previewPDF);
  $("download-pdf").addEventListener("click", () => download("pdf"));
  $("download-docx").addEventListener("click", () => download("docx"));
  $("download-ofd").addEventListener("click", () => download("ofd"));
  $("allow-problems").addEventListener("change", updateButtons);
  $("report").addEventListener("input", onJSONInput);
  for (const t of tabs) {
    $("tab-" + t).addEventListener("click", () => showTab(t));
    $("tab-" + t).addEventListener("keydown", tabKey);
  }
  $("template").addEventListener("change", async (ev) => {
    const id = ev.target.value;
    if (!(await askReplace("换用模板"))) {
      ev.target.value = state.template.id;
      return;
    }
    await useTemplate(id);
    setPrevious(null, "");
    await replaceReport({ template: id }, { message: "已换用模板：" + state.template.name });
  });
  $("restore-draft").addEventListener("click", async () => {
    // The draft found on arrival, even if typing since has been autosaved
    // over it.
    const d = state.offeredDraft;
    $("draft-banner").hidden = true;
    if (!d || !(await askReplace("恢复草稿"))) return;
    setPrevious(d.previous || null, d.previousName || "");
    await replaceReport(d.data, { dirty: true, message: "已恢复上次的草稿。" });
  });
  $("discard-draft").addEventListener("click", () => {
    $("draft-banner").hidden = true;
    try { localStorage.removeItem(draftKey); } catch (e) { /* unavailable */ }
  });
  document.addEventListener("keydown", (ev) => {
    if (!(ev.ctrlKey || ev.metaKey) || ev.altKey || ev.target === $("report")) return;
    const k = ev.key.toLowerCase();
    if (k === "z" && !ev.shiftKey) { ev.preventDefault(); undo(); }
    else if (k === "y" || (k === "z" && ev.shiftKey)) { ev.preventDefault(); redo(); }
  });
  window.addEventListener("pagehide", saveDraft);
  $("token").addEventListener("change", start);
  $("token-box").addEventListener("submit", (ev) => { ev.preventDefault(); start(); });
  await start();
});

async function start() {
  try {
    await loadTemplates();
  } catch (e) {
    setStatus(e.message, "error");
    return;
  }
  const d = storedDraft();
  const first = (state.templates.find((t) => t.default) || state.templates[0]).id;
  const id = d && state.templates.some((t) => t.id === d.template) ? d.template : first;
  await useTemplate(id);
  state.data = { template: id };
  hist.current = JSON.stringify(state.data);
  fillForm(true);
  showJSON();
  await check();
  state.offeredDraft = d;
  if (d) {
    $("draft-when").textContent = "保存于 " + new Date(d.savedAt).toLocaleString("zh-CN");
    $("draft-banner").hidden = false;
  }
  window.gongwen.readyAt = performance.now();
  document.body.dataset.ready = "true";
}
