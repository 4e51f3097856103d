// The page's core: where answers are kept, talking to the server, the start page.
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

// Where a self-check is kept between visits: every answer is saved as it is given, so a
// reload or a new tab resumes at the same question. Two places implement load/save/clear:
// the browser (localStorage), and the server's workspace when it has one and the token may
// see the company (then any device resumes). The page uses no other way to keep answers.
class BrowserStore {
  constructor(key) { this.key = key; this.memory = null; this.where = "browser"; }
  async load() {
    try {
      const text = window.localStorage.getItem(this.key);
      return text ? JSON.parse(text) : this.memory;
    } catch (e) { return this.memory; }
  }
  save(session) {
    this.memory = session;
    try { window.localStorage.setItem(this.key, JSON.stringify(session)); } catch (e) { /* private mode: memory only */ }
  }
  clear() {
    this.memory = null;
    try { window.localStorage.removeItem(this.key); } catch (e) { /* nothing kept */ }
  }
}

// The company's draft in the workspace. Saves go out in the order given; each carries the
// whole session, so one that fails is made good by the next.
class ServerStore {
  constructor(uscc) {
    this.uscc = uscc; this.where = "server"; this.queue = Promise.resolve();
    this.path = `/v1/companies/${encodeURIComponent(uscc)}/draft`;
  }
  async load() {
    const response = await fetch(this.path, { headers: authHeaders() });
    if (response.status === 404) return null;
    if (!response.ok) throw { title: response.statusText };
    return response.json();
  }
  save(session) {
    const body = JSON.stringify(session);
    this.queue = this.queue
      .then(() => fetch(this.path, { method: "PUT", body,
                                     headers: { ...authHeaders(), "Content-Type": "application/json" } }))
      .then((response) => showSaved(response.ok), () => showSaved(false));
  }
  clear() {
    this.queue = this.queue.then(() => fetch(this.path, { method: "DELETE", headers: authHeaders() }))
      .catch(() => { /* kept until the next self-check replaces it */ });
  }
}
const local = new BrowserStore("qcheck.selfcheck.v1");
let store = local;
const TOKEN_KEY = "qcheck.token";  // shared with the workspace pages

const state = { lang: "zh", token: null, uscc: new URLSearchParams(location.search).get("company"), checklists: [], session: null, current: null, toml: null,
                busy: false, result: null, report: null, done: null };
const t = (key, ...args) => { const v = TEXT[state.lang][key]; return typeof v === "function" ? v(...args) : v; };

function newSession() {
  return { v: 1, lang: state.lang, quick: true, auto: true, chosen: [], asOf: today(), profile: null,
           profileName: null, answers: {}, order: [] };
}
function today() { return new Date().toISOString().slice(0, 10); }
function save() { if (state.session) { state.session.lang = state.lang; store.save(state.session); } }

function applyTexts() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("lang").textContent = t("switch");
  $("lang").lang = state.lang === "zh" ? "en" : "zh-CN";
  showSaved(true);
}

function showSaved(ok) {
  const where = $("saved-where");
  where.textContent = t(!ok ? "saved.failed" : store.where === "server" ? "saved.server" : "saved");
  where.dataset.where = ok ? store.where : "failed";
  where.classList.toggle("bad", !ok);
}

function authHeaders() { return state.token ? { "Authorization": "Bearer " + state.token } : {}; }

// Which store keeps the answers: the workspace's draft of the token's company (a staff token
// names the company with ?company= or in the token box), else this browser.
async function connect() {
  store = local;
  if (!state.token) return;
  let response;
  try { response = await fetch("/v1/whoami", { headers: authHeaders() }); } catch (e) { return; }
  if (response.status === 401) { forgetToken(); return; }
  if (!response.ok) return;  // no workspace: the answers stay in this browser
  const who = await response.json();
  const uscc = who.role === "company" ? who.uscc : state.uscc;
  if (uscc) store = new ServerStore(uscc);
  else if (state.uscc === null) askCompany();
}

function askCompany() {
  $("token").value = state.token;
  $("company-field").hidden = false;
  $("auth").hidden = false;
  $("uscc").focus();
}

function keepToken(token) {
  state.token = token;
  try { window.localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* this visit only */ }
}
function forgetToken() {
  state.token = null;
  try { window.localStorage.removeItem(TOKEN_KEY); } catch (e) { /* not kept */ }
}
function keptToken() {
  try { return window.localStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
}

function show(id) {
  for (const s of ["start", "ask", "done"]) $(s).hidden = s !== id;
  window.scrollTo(0, 0);
}

async function api(path, body, accept) {
  const headers = { "Content-Type": "application/json", ...authHeaders() };
  if (accept) headers["Accept"] = accept;
  const response = await fetch(path, body === undefined ? { headers } :
                               { method: "POST", headers, body: JSON.stringify(body) });
  if (response.status === 401) {
    $("auth").hidden = false;
    $("auth-h").focus();
    throw { auth: true };
  }
  if (!response.ok) {
    let problem = { title: response.statusText, problems: [] };
    try { problem = await response.json(); } catch (e) { /* not a problem document */ }
    throw problem;
  }
  return accept && accept !== "application/json" ? response.text() : response.json();
}

function problemText(problem) {
  if (!problem || problem.auth) return "";
  const items = (problem.problems && problem.problems.length) ? problem.problems :
                [{ message: problem.detail || problem.title || String(problem) }];
  return items.map((p) => {
    const where = [p.file, p.line ? (state.lang === "zh" ? `第 ${p.line} 行` : `line ${p.line}`) : null,
                   p.column ? (state.lang === "zh" ? `第 ${p.column} 列` : `column ${p.column}`) : null]
      .filter(Boolean).join(" ");
    return (where ? where + (state.lang === "zh" ? "：" : ": ") : "") + (p.text ? p.text[state.lang] : p.message);
  }).join("\n");
}

function request(session) {
  return { answers: session.answers, checklists: session.auto ? [] : session.chosen, lang: state.lang,
           quick: session.quick, as_of: session.asOf || null, profile: session.profile,
           profile_name: session.profileName,
           profile_format: (session.profileName || "").endsWith(".json") ? "json" : "toml" };
}

async function loadChecklists() {
  try {
    state.checklists = await api("/v1/checklists");
  } catch (problem) {
    $("start-problems").textContent = problemText(problem);
    return;
  }
  renderChecklists();
}

function renderChecklists() {
  const box = $("lists");
  box.replaceChildren();
  const chosen = state.session ? state.session.chosen : [];
  const known = new Set();
  const groups = GROUPS.map(([id, title, ids]) => {
    ids.forEach((i) => known.add(i));
    return [id, title, state.checklists.filter((c) => ids.includes(c.id))];
  });
  groups.push(["other", OTHER_GROUP, state.checklists.filter((c) => !known.has(c.id))]);
  for (const [id, title, lists] of groups) {
    if (!lists.length) continue;
    const set = el("fieldset", { className: "group" }, el("legend", { textContent: title[state.lang] }));
    for (const c of lists) {
      const input = el("input", { type: "checkbox", name: "checklist", value: c.id,
                                  id: `list-${c.id}`, checked: !chosen.length || chosen.includes(c.id) });
      set.append(el("div", { className: "choice" }, input,
                    el("label", { htmlFor: input.id, textContent: c.title[state.lang] })));
    }
    box.append(set);
  }
}

function startForm() {
  const s = state.session || newSession();
  $("mode-quick").checked = s.quick; $("mode-full").checked = !s.quick;
  $("lists-auto").checked = s.auto; $("lists-pick").checked = !s.auto;
  $("lists").hidden = s.auto;
  $("as-of").value = s.asOf || today();
}

// A file input shows its button and chosen name in the page's language, not the browser's.
function fileName(input, name) {
  name.textContent = input.files.length ? input.files[0].name : t("file.none");
}
$("import").addEventListener("change", () => fileName($("import"), $("import-name")));

$("lists-auto").addEventListener("change", () => { $("lists").hidden = true; });
$("lists-pick").addEventListener("change", () => { $("lists").hidden = false; });

$("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (state.busy) return;
  const session = newSession();
  session.quick = $("mode-quick").checked;
  session.auto = $("lists-auto").checked;
  session.chosen = session.auto ? [] :
    [...document.querySelectorAll("input[name=checklist]:checked")].map((i) => i.value);
  session.asOf = $("as-of").value || today();
  if (!session.auto && !session.chosen.length) { $("start-problems").textContent = t("lists.none"); return; }
  $("start-problems").textContent = "";
  const file = $("import").files[0];
  if (file) { session.profile = await file.text(); session.profileName = file.name; }
  state.session = session;
  save();
  await step();
});

$("lang").addEventListener("click", () => {
  state.lang = state.lang === "zh" ? "en" : "zh";
  applyTexts();
  save();
  if (state.checklists.length) renderChecklists();
  if (!$("ask").hidden && state.current) step(false);
  else if (!$("done").hidden) showResult();
});

$("auth-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  keepToken($("token").value.trim());
  if (!$("company-field").hidden) {
    state.uscc = $("uscc").value.trim().toUpperCase();
    const url = new URL(location.href);
    if (state.uscc) url.searchParams.set("company", state.uscc); else url.searchParams.delete("company");
    history.replaceState(null, "", url);
  }
  $("auth").hidden = true;
  $("company-field").hidden = true;
  const asking = !$("ask").hidden;
  await connect();
  loadChecklists();
  if (store !== local && await resume()) return;
  if (state.session && asking) step();
});

// Another tab answered: follow it, so two tabs never overwrite each other's answers.
window.addEventListener("storage", async (event) => {
  if (store !== local || event.key !== local.key || state.busy) return;
  const session = await local.load();
  if (!session) return;
  state.session = session;
  if (!$("ask").hidden || !$("done").hidden) step(false);
});

function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
for (const id of ["save", "save2"]) $(id).addEventListener("click", () => download("profile.toml", state.toml || "", "application/toml"));
for (const id of ["restart", "restart2"]) $(id).addEventListener("click", () => {
  startForm();
  $("import").value = "";
  fileName($("import"), $("import-name"));
  show("start"); $("start-h").focus();
});

// Go on from the saved self-check, if the store has one; whether it did.
async function resume() {
  let saved = null;
  try { saved = await store.load(); } catch (e) { saved = null; }
  if (!saved || saved.v !== 1) return false;
  state.session = saved;
  state.lang = saved.lang === "en" ? "en" : "zh";
  applyTexts();
  startForm();
  if (state.checklists.length) renderChecklists();
  if (Object.keys(saved.answers).length || saved.profile) step();
  return true;
}

async function boot() {
  applyTexts();
  startForm();
  state.token = keptToken();
  await connect();
  applyTexts();
  loadChecklists();
  await resume();
}
