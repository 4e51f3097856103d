// One question at a time: real form controls, the error beside the answer it judges.
function setBusy(busy) {
  state.busy = busy;
  for (const b of document.querySelectorAll("#ask button, #start-form button, #done button")) b.disabled = busy;
  $("ask").setAttribute("aria-busy", busy ? "true" : "false");
}

async function step(focus = true) {
  setBusy(true);
  let result;
  try {
    result = await api("/v1/selfcheck/next", request(state.session));
  } catch (problem) {
    setBusy(false);
    if ($("ask").hidden) { show("start"); $("start-problems").textContent = problemText(problem); }
    else showError(t("failed") + problemText(problem));
    return;
  }
  setBusy(false);
  state.toml = result.profile_toml;
  if (result.done) {
    state.current = null;
    state.done = result;
    await showResult();
    return;
  }
  state.current = result.question;
  if ($("ask").hidden) show("ask");
  renderQuestion(result.question);
  if (focus) focusAnswer();
}

function showError(message) {
  const box = $("q-error");
  box.textContent = message;
  box.hidden = !message;
  for (const input of $("q-body").querySelectorAll("input, select, textarea")) {
    if (input.closest("tr[data-id]")) continue;  // a grouped row keeps its own error
    if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
}

function focusAnswer() {
  const body = $("q-body");
  const first = body.querySelector("input:checked") || body.querySelector("input, select, textarea");
  if (first) first.focus();
}

function choice(type, name, value, label, detail, checked, n) {
  const input = el("input", { type, name, value, checked, id: `c-${n}` });
  const text = el("label", { htmlFor: input.id }, label,
                  detail ? el("span", { className: "detail", textContent: detail }) : null);
  return el("div", { className: "choice" }, input, text);
}

function prefill(q) {
  if (q.given !== null && q.given !== undefined) return q.given;
  const drafts = state.session.drafts || {};
  if (q.id in drafts) return drafts[q.id];
  return q.likely;
}

function renderQuestion(q) {
  $("q-form").dataset.key = q.id;
  $("q-form").dataset.type = q.type;
  $("progress-text").textContent = t("progress", q.n, q.about);
  $("progress").max = q.about; $("progress").value = q.n - 1;
  $("section").textContent = q.section || "";
  $("notes").replaceChildren(...q.notes.map((n) => el("li", { textContent: n.trim() })));
  $("plain").hidden = !q.plain;
  const help = [q.help, q.unit && q.type !== "records" ? t("unit", q.unit) : null].filter(Boolean).join(" ");
  const value = prefill(q);
  $("q-likely").hidden = !(q.likely && (q.given === null || q.given === undefined) && value === q.likely);
  const body = $("q-body");
  body.replaceChildren();
  $("unknown").hidden = q.type === "group";  // each row has its own "don't know"
  if (q.type === "group") renderGroup(q, body);
  else if (q.type === "records") renderRecords(q, body, Array.isArray(value) ? value : []);
  else if (q.choices.length) {
    const multi = q.type === "list";
    const set = el("fieldset", { className: "choices" },
                   el("legend", { className: "question", id: "q-label", textContent: q.question }));
    set.setAttribute("aria-describedby", "q-help q-error");
    const picked = typeof value === "string" ? value.split(",") : [];
    q.choices.forEach((c, i) => set.append(choice(multi ? "checkbox" : "radio", "answer", c.value, c.label,
                                                  c.detail, picked.includes(c.value), i)));
    if (multi) {
      set.append(choice("checkbox", "none", "none", t("none"), null, value === "无" || value === "none", "none"));
      set.addEventListener("change", (event) => {
        const box = event.target;
        if (box.name === "none" && box.checked) for (const b of set.querySelectorAll("input[name=answer]")) b.checked = false;
        if (box.name === "answer" && box.checked) set.querySelector("input[name=none]").checked = false;
      });
    }
    body.append(set);
  } else {
    const input = el("input", { id: "answer", name: "answer", autocomplete: "off" });
    input.setAttribute("aria-describedby", "q-help q-error");
    if (q.type === "date") input.type = "date";
    else if (q.type === "int" || q.type === "number") {
      input.type = "number"; input.step = q.type === "int" ? "1" : "any"; input.inputMode = q.type === "int" ? "numeric" : "decimal";
    } else input.type = "text";
    input.value = typeof value === "string" && value !== "?" ? value : "";
    const row = el("div", { className: "with-unit" }, input,
                   q.unit ? el("span", { className: "unit", textContent: q.unit }) : null);
    body.append(el("label", { className: "question", id: "q-label", htmlFor: "answer", textContent: q.question }), row);
  }
  // The help goes right under the question it explains.
  const question = body.querySelector(".question");
  if (help && question) question.after(el("p", { className: "muted help", id: "q-help", textContent: help }));
  showError(q.error || "");
}

// Several yes/no questions of one section: one table, a row each with 是 / 否 / 不知道 as
// radio buttons (arrow keys move within a row, Tab to the next), the error beside its row.
function renderGroup(q, body) {
  const drafts = state.session.drafts || {};
  const table = el("table", { className: "yesno" },
                   el("caption", { className: "question", id: "q-label", textContent: q.question }));
  const rows = el("tbody");
  q.rows.forEach((row, i) => {
    const given = row.given !== null && row.given !== undefined ? row.given : drafts[row.id];
    const head = el("th", { scope: "row" },
      el("span", { className: "row-question", id: `r${i}-q`, textContent: row.question }),
      row.help ? el("span", { className: "muted help", id: `r${i}-h`, textContent: row.help }) : null,
      el("span", { className: "error row-error", id: `r${i}-e`, hidden: !row.error, textContent: row.error || "" }));
    const line = el("tr", {}, head);
    line.dataset.id = row.id;
    const options = [...row.choices, { value: "?", label: t("unknown") }];
    for (const c of options) {
      const input = el("input", { type: "radio", name: `r${i}`, value: c.value, id: `r${i}-${c.value === "?" ? "unknown" : c.value}`,
                                  checked: given === c.value });
      input.setAttribute("aria-describedby", [`r${i}-q`, row.help ? `r${i}-h` : null, `r${i}-e`].filter(Boolean).join(" "));
      if (row.error) input.setAttribute("aria-invalid", "true");
      line.append(el("td", {}, el("label", { className: "pick", htmlFor: input.id }, input, el("span", { textContent: c.label }))));
    }
    rows.append(line);
  });
  table.append(rows);
  body.append(table);
}

function groupValue() {
  const out = {};
  let missing = null;
  for (const line of $("q-body").querySelectorAll("tr[data-id]")) {
    const picked = line.querySelector("input:checked");
    const error = line.querySelector(".row-error");
    error.textContent = picked ? "" : t("group.pick");
    error.hidden = !!picked;
    for (const input of line.querySelectorAll("input")) {
      if (picked) input.removeAttribute("aria-invalid"); else input.setAttribute("aria-invalid", "true");
    }
    if (picked) out[line.dataset.id] = picked.value;
    else if (!missing) missing = line.querySelector("input");
  }
  if (missing) { missing.focus(); return { missing: true }; }
  return { rows: out };
}

function currentAnswer() {
  const q = state.current;
  const body = $("q-body");
  if (q.type === "group") return groupValue();
  if (q.type === "records") return recordsValue();
  const text = body.querySelector("#answer");
  if (text) {
    if (text.validity && text.validity.badInput) return { error: t("badnumber") };
    return text.value.trim();
  }
  if (q.type === "list") {
    const values = [...body.querySelectorAll("input[name=answer]:checked")].map((i) => i.value);
    if (values.length) return values.join(",");
    return body.querySelector("input[name=none]:checked") ? "无" : "";
  }
  const picked = body.querySelector("input[name=answer]:checked");
  return picked ? picked.value : "";
}

function answer(value) {
  const q = state.current;
  const session = state.session;
  // A grouped screen answers each row by its own id, and "back" takes them back together.
  const given = value && value.rows ? value.rows : { [q.id]: value };
  const ids = Object.keys(given);
  if (!ids.some((id) => id in session.answers)) session.order.push(ids.length === 1 ? ids[0] : ids);
  for (const id of ids) {
    session.answers[id] = given[id];
    if (session.drafts) delete session.drafts[id];
  }
  save();
  step();
}

$("q-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (state.busy || !state.current) return;
  const value = currentAnswer();
  if (value && value.missing) { showError(""); return; }
  if (value && value.error) { showError(value.error); focusAnswer(); return; }
  if (value === "") { showError(t("empty")); focusAnswer(); return; }
  answer(value);
});
$("unknown").addEventListener("click", () => { if (!state.busy && state.current) answer("?"); });
$("back").addEventListener("click", () => {
  if (state.busy) return;
  const session = state.session;
  const entry = session.order.pop();
  if (entry === undefined) { startForm(); show("start"); $("start-h").focus(); return; }
  session.drafts = session.drafts || {};
  for (const id of Array.isArray(entry) ? entry : [entry]) {
    session.drafts[id] = session.answers[id];
    delete session.answers[id];
  }
  save();
  step();
});
