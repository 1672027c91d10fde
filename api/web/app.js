// The clerk's page: pick a template, load or paste report JSON, see every
// problem in Chinese and where it is in the tables, preview the PDF, and
// download PDF or Word. Plain JS talking to this server's /api/v1 only.
"use strict";

const $ = (id) => document.getElementById(id);
const api = "/api/v1";

const state = {
  templates: [],
  preview: null, // last /preview answer
  pdfURL: null, // blob: URL of the PDF shown in the page
  seq: 0, // discards answers to requests that were overtaken
};

// Exposed for the browser test and for curious clerks in the console.
window.gongwen = { state, lastPDF: null };

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

// call fetches an API route and turns every failure into an Error whose
// .problem is the server's problem document (when there is one).
async function call(path, opts = {}) {
  let resp;
  try {
    resp = await fetch(api + path, opts);
  } catch (e) {
    throw Object.assign(new Error("无法连接服务：" + e.message), { problem: null });
  }
  if (resp.status === 401) $("token-box").hidden = false;
  if (resp.ok) return resp;
  let problem = null;
  if ((resp.headers.get("Content-Type") || "").startsWith("application/problem+json")) {
    problem = await resp.json();
  }
  const msg = problem ? problem.title + (problem.detail ? "：" + problem.detail : "") : "服务返回 " + resp.status;
  throw Object.assign(new Error(msg), { problem, status: resp.status });
}

function setStatus(text, kind) {
  const s = $("status");
  s.textContent = text;
  s.className = kind || "";
}

// ---- templates ----

async function loadTemplates() {
  try {
    const resp = await call("/templates", { headers: headers(false) });
    state.templates = (await resp.json()).templates;
  } catch (e) {
    setStatus(e.message, "error");
    return;
  }
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

async function loadExample() {
  const id = $("template").value;
  if (!id) return;
  try {
    const resp = await call("/templates/" + id, { headers: headers(false) });
    const t = await resp.json();
    setReport(JSON.stringify(t.example, null, 2));
    setStatus("已载入示例：" + t.name);
  } catch (e) {
    setStatus(e.message, "error");
  }
}

function setReport(text) {
  $("report").value = text;
  saveDraft();
  check();
}

// The text is kept in this browser between visits so that a closed tab or
// a reload loses nothing; it never leaves the machine except to this server.
const draftKey = "gongwen.draft";

function saveDraft() {
  try { localStorage.setItem(draftKey, $("report").value); } catch (e) { /* private mode or full: not fatal */ }
}

function restoreDraft() {
  let text = null;
  try { text = localStorage.getItem(draftKey); } catch (e) { /* unavailable */ }
  if (text && text.trim() && !$("report").value.trim()) {
    $("report").value = text;
    setStatus("已恢复上次未完成的内容。");
    check();
  }
}

// formatJSON re-indents the text when it is valid JSON (pasted reports are
// often on one line); otherwise it leaves it alone and lets check() say why.
function formatJSON() {
  try {
    setReport(JSON.stringify(JSON.parse($("report").value), null, 2));
  } catch (e) {
    check();
  }
}

// ---- checking ----

let timer = 0;
function checkSoon() {
  clearTimeout(timer);
  timer = setTimeout(check, 500);
}

async function check() {
  clearTimeout(timer);
  const body = $("report").value;
  const seq = ++state.seq;
  if (!body.trim()) {
    state.preview = null;
    showProblems([]);
    drawDocument(null);
    setStatus("");
    return;
  }
  setStatus("正在校验…", "busy");
  try {
    const resp = await call("/preview", { method: "POST", headers: headers(true), body });
    const p = await resp.json();
    if (seq !== state.seq) return;
    state.preview = p;
    showProblems(p.problems);
    drawDocument(p.document, p.problems);
    const errors = p.problems.filter((x) => x.severity === "error").length;
    if (errors) setStatus("发现 " + errors + " 处错误，改正后才能生成（或勾选“有错误也生成”）。", "error");
    else setStatus("校验通过，可以生成。", "ok");
  } catch (e) {
    if (seq !== state.seq) return;
    state.preview = null;
    showProblems(e.problem ? e.problem.problems : []);
    drawDocument(null);
    setStatus(e.message, "error");
  }
  document.body.dataset.checked = String(seq);
}

const severityNames = { error: "错误", warning: "警告", notice: "提示" };

const severityRank = { error: 0, warning: 1, notice: 2 };

function problemItem(p) {
  const li = document.createElement("li");
  li.className = "problem " + p.severity;
  li.dataset.path = p.path;
  const sev = document.createElement("span");
  sev.className = "severity";
  sev.textContent = severityNames[p.severity] || p.severity;
  const msg = document.createElement("span");
  msg.className = "message";
  msg.textContent = p.message;
  li.append(sev, msg);
  if (p.path) {
    const where = document.createElement("code");
    where.textContent = p.path;
    where.title = "JSON 路径（JSON Pointer）";
    li.append(where);
  }
  li.tabIndex = 0;
  li.addEventListener("click", () => reveal(p.path));
  li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") reveal(p.path); });
  return li;
}

function showProblems(problems) {
  // Errors first: they are what blocks the document. Notices (changes the
  // engine made, such as full-width punctuation) need no action and are
  // folded away so they do not bury the errors.
  problems = [...problems].sort((a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3));
  const list = $("problems");
  list.replaceChildren();
  const counts = { error: 0, warning: 0, notice: 0 };
  let notices = null;
  for (const p of problems) {
    counts[p.severity] = (counts[p.severity] || 0) + 1;
    if (p.severity !== "notice") {
      list.append(problemItem(p));
      continue;
    }
    if (!notices) {
      const li = document.createElement("li");
      li.className = "notices";
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      notices = document.createElement("ol");
      details.append(summary, notices);
      li.append(details);
      list.append(li);
    }
    notices.append(problemItem(p));
  }
  if (notices) {
    notices.parentElement.querySelector("summary").textContent =
      counts.notice + " 个提示：系统已自动处理（例如把半角标点改为全角），无需修改。点击查看";
  }
  const parts = [];
  for (const k of ["error", "warning", "notice"]) if (counts[k]) parts.push(counts[k] + " 个" + severityNames[k]);
  $("problem-count").textContent = parts.length ? "（" + parts.join("，") + "）" : "";
  $("problems-empty").hidden = counts.error + counts.warning > 0 || !$("report").value.trim();
}

// covers reports whether a problem at path concerns the element bound to
// elPath: the same value, a value inside it (a paragraph's text), or the
// whole row or object containing it.
function covers(path, elPath) {
  // A problem about the whole document ("") marks nothing in particular.
  if (!elPath || !path) return false;
  return path === elPath || path.startsWith(elPath + "/") || elPath.startsWith(path + "/");
}

function reveal(path) {
  showTab("doc");
  const els = [...document.querySelectorAll("#doc-view [data-path]")].filter((el) => covers(path, el.dataset.path));
  // Prefer the most specific element (a cell over its whole row).
  els.sort((a, b) => b.dataset.path.length - a.dataset.path.length);
  const el = els.find((e) => e.dataset.path === path) || els[0];
  if (el) {
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("flash");
  } else {
    highlightInText(path);
  }
}

// highlightInText selects the key a problem points at in the JSON text,
// for problems on values the document does not show (e.g. a typo'd key).
function highlightInText(path) {
  const ta = $("report");
  const key = path.split("/").pop().replace(/~1/g, "/").replace(/~0/g, "~");
  if (!key) return;
  const i = ta.value.indexOf('"' + key + '"');
  if (i < 0) return;
  ta.focus();
  ta.setSelectionRange(i, i + key.length + 2);
}

// ---- the document model as HTML ----

function drawDocument(doc, problems = []) {
  const view = $("doc-view");
  view.replaceChildren();
  if (!doc) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = $("report").value.trim() ? "报告无法解析，暂不能显示正文和表格；请先按左侧问题改正。" : "载入或粘贴报告后，这里显示正文和三张统计表。";
    view.append(p);
    return;
  }
  const page = document.createElement("article");
  page.className = "page";
  for (const b of doc.blocks) page.append(b.kind === "table" ? drawTable(b) : drawParagraph(b));
  view.append(page);
  markProblems(problems);
}

function drawParagraph(b) {
  const tag = b.style === "title" ? "h2" : b.style === "heading1" ? "h3" : "p";
  const el = document.createElement(tag);
  el.className = "st-" + (b.style || "body");
  if (b.path) el.dataset.path = b.path;
  for (const r of b.runs || []) {
    const span = document.createElement("span");
    if (r.style) span.className = "st-" + r.style;
    span.textContent = r.text;
    el.append(span);
  }
  return el;
}

function drawTable(b) {
  const wrap = document.createElement("figure");
  wrap.className = "table";
  const table = document.createElement("table");
  if (b.name) table.setAttribute("aria-label", b.name);
  const cols = document.createElement("colgroup");
  const total = (b.columns || []).reduce((a, c) => a + c, 0) || 1;
  for (const w of b.columns || []) {
    const col = document.createElement("col");
    col.style.width = (100 * w / total).toFixed(2) + "%";
    cols.append(col);
  }
  table.append(cols);
  const head = document.createElement("thead");
  const body = document.createElement("tbody");
  (b.rows || []).forEach((row, i) => {
    const tr = document.createElement("tr");
    for (const c of row) {
      const td = document.createElement(c.header ? "th" : "td");
      if (c.rowSpan > 1) td.rowSpan = c.rowSpan;
      if (c.colSpan > 1) td.colSpan = c.colSpan;
      if (c.align) td.classList.add("al-" + c.align);
      td.textContent = c.text;
      if (c.path) td.dataset.path = c.path;
      tr.append(td);
    }
    (i < (b.headerRows || 0) ? head : body).append(tr);
  });
  table.append(head, body);
  if (b.name) {
    const cap = document.createElement("figcaption");
    cap.textContent = b.name;
    wrap.append(cap);
  }
  wrap.append(table);
  return wrap;
}

function markProblems(problems) {
  const rank = { error: 3, warning: 2, notice: 1 };
  for (const el of document.querySelectorAll("#doc-view [data-path]")) {
    const mine = problems.filter((p) => covers(p.path, el.dataset.path));
    if (!mine.length) continue;
    const worst = mine.reduce((a, p) => (rank[p.severity] > rank[a.severity] ? p : a));
    el.classList.add("has-" + worst.severity);
    el.title = mine.map((p) => (severityNames[p.severity] || "") + "：" + p.message).join("\n");
  }
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
  const body = $("report").value;
  if (!body.trim()) {
    setStatus("请先载入或粘贴报告。", "error");
    return null;
  }
  const q = new URLSearchParams({ format });
  if ($("allow-problems").checked) q.set("allowProblems", "true");
  if (format === "pdf") q.set("pdfStandard", $("pdf-standard").value);
  setStatus(format === "pdf" ? "正在生成 PDF…" : "正在生成 Word 文档…", "busy");
  try {
    const resp = await call("/render?" + q, { method: "POST", headers: headers(true), body });
    const blob = await resp.blob();
    const n = resp.headers.get("Gongwen-Errors");
    setStatus("已生成 " + (format === "pdf" ? "PDF" : "Word 文档") + "（" + Math.round(blob.size / 1024) + " KB）" +
      (n ? "，含 " + n + " 个未改正的错误，已记录在文件属性中。" : "。"), n ? "warn" : "ok");
    return { blob, name: fileName(resp, "report." + format) };
  } catch (e) {
    if (e.problem && e.problem.problems && e.problem.problems.length) {
      showProblems(e.problem.problems);
      if (state.preview) markProblems(e.problem.problems);
    }
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
  const frame = document.createElement("iframe");
  frame.title = out.name;
  frame.src = state.pdfURL;
  const view = $("pdf-view");
  const cap = document.createElement("p");
  cap.className = "pdf-name";
  cap.textContent = out.name + " · ";
  const open = document.createElement("a");
  open.href = state.pdfURL;
  open.target = "_blank";
  open.rel = "noopener";
  open.textContent = "在新窗口打开";
  cap.append(open);
  view.replaceChildren(cap, frame);
  showTab("pdf");
  document.body.dataset.pdf = "ready";
}

async function download(format) {
  const out = await renderFile(format);
  if (!out) return;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(out.blob);
  a.download = out.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

// ---- wiring ----

function showTab(which) {
  $("tab-doc").setAttribute("aria-selected", String(which === "doc"));
  $("tab-pdf").setAttribute("aria-selected", String(which === "pdf"));
  $("doc-view").hidden = which !== "doc";
  $("pdf-view").hidden = which !== "pdf";
}

document.addEventListener("DOMContentLoaded", () => {
  $("load-example").addEventListener("click", loadExample);
  $("validate").addEventListener("click", check);
  $("report").addEventListener("input", () => { saveDraft(); checkSoon(); });
  $("format").addEventListener("click", formatJSON);
  $("file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    setReport(await f.text());
    setStatus("已打开文件：" + f.name);
    ev.target.value = "";
  });
  $("render-pdf").addEventListener("click", previewPDF);
  $("download-pdf").addEventListener("click", () => download("pdf"));
  $("download-docx").addEventListener("click", () => download("docx"));
  $("tab-doc").addEventListener("click", () => showTab("doc"));
  $("tab-pdf").addEventListener("click", () => showTab("pdf"));
  $("token").addEventListener("change", loadTemplates);
  $("token-box").addEventListener("submit", (ev) => { ev.preventDefault(); loadTemplates(); });
  loadTemplates().then(async () => {
    restoreDraft();
    // A first visit starts with the template's example, ready to render.
    if (!$("report").value.trim()) await loadExample();
    document.body.dataset.ready = "true";
  });
});
