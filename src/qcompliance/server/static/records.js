// Records (daily checks, trainings, recalls): a table to type or paste into, a file to upload,
// and for daily records a range of days with its exceptions.
let recordFields = [];

function cellControl(field, value, name) {
  let input;
  if (field.type === "bool" || field.choices.length) {
    input = el("select", {}, el("option", { value: "", textContent: t("records.unset") }));
    const choices = field.type === "bool" ?
      [{ value: "yes", label: t("yes") }, { value: "no", label: t("no") }] : field.choices;
    for (const c of choices) input.append(el("option", { value: c.value, textContent: c.label }));
  } else {
    input = el("input", { type: field.type === "date" ? "date" : (field.type === "int" || field.type === "number") ? "number" : "text" });
    if (input.type === "number") input.step = field.type === "int" ? "1" : "any";
  }
  input.dataset.field = field.key;
  input.setAttribute("aria-label", name);
  input.value = normalCell(field, value || "");
  return input;
}

// A pasted or imported cell as the control's value: labels, 是/否 and 2026/3/1 are understood.
function normalCell(field, text) {
  const value = String(text).trim();
  if (!value) return "";
  if (field.type === "bool") {
    if (/^(是|有|yes|y|true|1|√|✓)$/i.test(value)) return "yes";
    if (/^(否|无|没有|no|n|false|0|×)$/i.test(value)) return "no";
    return "";
  }
  if (field.choices.length) {
    const found = field.choices.find((c) => c.value === value || c.label === value ||
                                            c.label.toLowerCase() === value.toLowerCase());
    return found ? found.value : "";
  }
  if (field.type === "date") {
    const m = value.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/);
    return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : "";
  }
  return value;
}

function addRow(values = {}) {
  const body = $("records-body");
  const i = body.rows.length + 1;
  const row = el("tr", {}, el("th", { scope: "row", textContent: String(i) }));
  for (const field of recordFields) {
    const name = `${field.label}，${t("records.row", i)}`;
    row.append(el("td", { className: "cell" }, el("span", { className: "cell-label", textContent: field.label, ariaHidden: "true" }),
                  cellControl(field, values[field.key], name)));
  }
  const remove = el("button", { type: "button", className: "link", textContent: t("records.remove") });
  remove.setAttribute("aria-label", `${t("records.remove")} ${t("records.row", i)}`);
  remove.addEventListener("click", () => { row.remove(); renumber(); });
  row.append(el("td", {}, remove));
  body.append(row);
  renumber();
  return row;
}

function renumber() {
  const rows = [...$("records-body").rows];
  rows.forEach((row, n) => {
    row.cells[0].textContent = String(n + 1);
    row.querySelectorAll("[data-field]").forEach((input) => {
      const field = recordFields.find((f) => f.key === input.dataset.field);
      input.setAttribute("aria-label", `${field.label}，${t("records.row", n + 1)}`);
    });
    row.querySelector("button").setAttribute("aria-label", `${t("records.remove")} ${t("records.row", n + 1)}`);
  });
  $("records-count").textContent = t("records.rows", rows.length);
}

function setRows(rows) {
  $("records-body").replaceChildren();
  for (const r of rows) addRow(r);
  renumber();
}

function recordsValue() {
  const out = [];
  for (const row of $("records-body").rows) {
    const record = {};
    for (const input of row.querySelectorAll("[data-field]")) {
      if (input.validity && input.validity.badInput) return { error: t("badnumber") };
      if (input.value.trim()) record[input.dataset.field] = input.value.trim();
    }
    if (Object.keys(record).length) out.push(record);
  }
  return out;
}

function pasteInto(event) {
  const target = event.target;
  if (!target.dataset || !target.dataset.field) return;
  const text = (event.clipboardData || window.clipboardData).getData("text");
  if (!/[\t\n]/.test(text.trim())) return;
  event.preventDefault();
  const lines = text.replace(/\r/g, "").split("\n").filter((l) => l.trim());
  const rows = [...$("records-body").rows];
  let r = rows.indexOf(target.closest("tr"));
  const c0 = recordFields.findIndex((f) => f.key === target.dataset.field);
  for (const line of lines) {
    const row = rows[r] || addRow();
    if (!rows[r]) rows.push(row);
    line.split("\t").forEach((cell, j) => {
      const field = recordFields[c0 + j];
      if (field) row.querySelector(`[data-field="${field.key}"]`).value = normalCell(field, cell);
    });
    r += 1;
  }
  renumber();
}

async function upload(q, file) {
  if (!file) return;
  if (file.size > 2 * 1024 * 1024) { showError(t("failed") + "> 2 MiB"); return; }
  const data = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = reject;
    reader.readAsDataURL(file);
  });
  setBusy(true);
  try {
    const result = await api("/v1/selfcheck/records", { key: q.key, name: file.name, content: data,
                                                      lang: state.lang, as_of: state.session.asOf || null });
    setRows(result.rows);
    showError("");
    $("records-note").textContent = t("records.imported", result.rows.length, file.name);
  } catch (problem) {
    showError(problemText(problem));
  } finally {
    setBusy(false);
    $("records-file").value = "";
  }
}

async function template(q, format) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const query = new URLSearchParams({ key: q.key, format, lang: state.lang });
  const response = await fetch("/v1/selfcheck/template?" + query, { headers });
  if (!response.ok) { showError(t("failed") + response.statusText); return; }
  download(`${q.label}.${format}`, await response.blob());
}

function dateRange(from, to, weekdays, except) {
  const out = [];
  const day = new Date(from + "T00:00:00Z");
  const end = new Date(to + "T00:00:00Z");
  while (day <= end && out.length <= 2000) {
    const iso = day.toISOString().slice(0, 10);
    const weekday = day.getUTCDay();
    if (!(weekdays && (weekday === 0 || weekday === 6)) && !except.has(iso)) out.push(iso);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

function rangeTool(q) {
  const others = recordFields.filter((f) => f.key !== "date");
  const from = el("input", { type: "date", id: "range-from" });
  const to = el("input", { type: "date", id: "range-to", value: state.session.asOf || today() });
  const weekdays = el("input", { type: "checkbox", id: "range-weekdays", checked: true });
  const except = el("textarea", { id: "range-except", rows: 2 });
  const defaults = others.map((f) => {
    const control = cellControl(f, "", f.label);
    control.id = `range-${f.key}`;
    control.removeAttribute("aria-label");
    return el("div", { className: "range-field" }, el("label", { htmlFor: control.id, textContent: f.label }), control);
  });
  const go = el("button", { type: "button", textContent: t("range.go") });
  const made = el("p", { className: "muted", role: "status" });
  go.addEventListener("click", () => {
    if (!from.value || !to.value || from.value > to.value) { showError(t("range.bad")); return; }
    const skip = new Set();
    for (const word of except.value.split(/[\s,，、;；]+/).filter(Boolean)) {
      const iso = normalCell({ type: "date", choices: [] }, word);
      if (!iso) { showError(t("range.badexcept", word)); return; }
      skip.add(iso);
    }
    showError("");
    const values = {};
    for (const f of others) { const v = $(`range-${f.key}`).value; if (v) values[f.key] = v; }
    const current = recordsValue();
    if (current.error) { showError(current.error); return; }
    const kept = current;
    const have = new Set(kept.filter((r) => r.date).map((r) => r.date));
    const days = dateRange(from.value, to.value, weekdays.checked, skip).filter((d) => !have.has(d));
    setRows([...kept, ...days.map((d) => ({ date: d, ...values }))].sort((a, b) => (b.date || "").localeCompare(a.date || "")));
    made.textContent = t("range.made", days.length);
  });
  return el("details", { className: "range" }, el("summary", { textContent: t("range.h") }),
    el("div", { className: "range-grid" },
       el("div", { className: "range-field" }, el("label", { htmlFor: "range-from", textContent: t("range.from") }), from),
       el("div", { className: "range-field" }, el("label", { htmlFor: "range-to", textContent: t("range.to") }), to)),
    el("div", { className: "choice" }, weekdays, el("label", { htmlFor: "range-weekdays", textContent: t("range.weekdays") })),
    el("label", { htmlFor: "range-except", textContent: t("range.except") }), except,
    others.length ? el("p", { className: "muted", textContent: t("range.values") }) : null,
    el("div", { className: "range-grid" }, ...defaults), go, made);
}

function renderRecords(q, body, rows) {
  recordFields = q.fields;
  const head = el("tr", {}, el("th", { scope: "col", textContent: "#" }),
                  ...recordFields.map((f) => el("th", { scope: "col", textContent: f.label + (f.unit ? `（${f.unit}）` : "") })),
                  el("th", { scope: "col" }, el("span", { className: "sr-only", textContent: t("records.remove") })));
  const table = el("table", { className: "records" }, el("thead", {}, head), el("tbody", { id: "records-body" }));
  table.addEventListener("paste", pasteInto);
  const add = el("button", { type: "button", id: "records-add", textContent: t("records.add") });
  add.addEventListener("click", () => { const row = addRow(); row.querySelector("[data-field]").focus(); });
  const file = el("input", { type: "file", id: "records-file", className: "file-input", accept: ".csv,.xlsx" });
  file.addEventListener("change", () => upload(q, file.files[0]));
  const csv = el("button", { type: "button", className: "link", textContent: t("records.csv") });
  const xlsx = el("button", { type: "button", className: "link", textContent: t("records.xlsx") });
  csv.addEventListener("click", () => template(q, "csv"));
  xlsx.addEventListener("click", () => template(q, "xlsx"));
  const set = el("fieldset", { className: "records-set" },
    el("legend", { className: "question", id: "q-label", textContent: q.question }),
    el("p", { className: "muted", textContent: t("records.hint") }),
    el("div", { className: "table-wrap" }, table),
    el("div", { className: "row tight" }, add, el("span", { id: "records-count", className: "muted" })),
    el("p", { className: "muted", textContent: t("records.paste") }),
    el("div", { className: "upload" }, el("span", { textContent: t("records.upload") }),
       el("div", { className: "file" }, file,
          el("label", { htmlFor: "records-file", className: "file-button" },
             el("span", { className: "sr-only", textContent: t("records.upload") }), t("file.pick")),
          el("span", { className: "muted file-name", textContent: t("file.none") }))),
    el("p", { className: "muted" }, csv, " ", xlsx),
    el("p", { id: "records-note", className: "good", role: "status" }),
    /(^|\.)daily_/.test(q.key) && recordFields.some((f) => f.key === "date") ? rangeTool(q) : null);
  set.setAttribute("aria-describedby", "q-help q-error");
  body.append(set);
  setRows(rows);
}
