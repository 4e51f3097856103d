// The end: the decision first (score, coverage in words, what to fix by when, what to collect),
// the full report on its own page.
function reportQuery() {
  const s = state.session;
  const query = new URLSearchParams({ format: "html", lang: state.lang });
  if (s.asOf) query.set("as_of", s.asOf);
  if (!s.auto) for (const id of s.chosen) query.append("checklist", id);
  return query;
}

async function showResult() {
  const s = state.session;
  show("done");
  $("decision").replaceChildren(el("p", { className: "muted", textContent: t("loading") }));
  $("done-full").hidden = !s.quick;
  setBusy(true);
  let d;
  try {
    d = await api("/v1/selfcheck/result", { profile: state.toml, checklists: s.auto ? [] : s.chosen,
                                            lang: state.lang, as_of: s.asOf || null });
    state.report = await api("/v1/assessments?" + reportQuery(),
                             { profile: state.toml, profile_format: "toml", profile_name: "profile.toml" }, "text/html");
  } catch (problem) {
    setBusy(false);
    $("decision").replaceChildren(el("p", { className: "bad", textContent: t("failed") + problemText(problem) }));
    return;
  }
  setBusy(false);
  renderDecision(d);
  $("done-h").focus();
}

function renderDecision(d) {
  const score = d.score === null ? t("done.noscore") : `${(d.score * 100).toFixed(1)}%`;
  const head = el("dl", { className: "facts" },
    el("dt", { textContent: t("done.company") }), el("dd", { textContent: d.company || "—" }),
    el("dt", { textContent: t("done.asof") }), el("dd", { textContent: d.as_of }));
  const scoreBox = el("div", { className: "score" },
    el("p", { className: "score-label", textContent: t("done.score") }),
    el("p", { className: "score-value" + (d.score !== null && d.score < 1 ? " bad" : " good"), textContent: score }),
    el("p", { textContent: d.coverage }));
  const fixes = el("section", { className: "block" }, el("h3", { textContent: t("done.priorities") }));
  if (!d.priorities.length) fixes.append(el("p", { className: "good", textContent: t("done.nogaps") }));
  else {
    const list = el("ol", { className: "priorities" });
    for (const p of d.priorities) {
      list.append(el("li", {},
        el("strong", { textContent: p.title }),
        el("span", { className: "meta", textContent: `${p.level} · ${p.severity} · ${p.due ? t("done.due", p.due) : t("done.nodue")}` }),
        p.fix ? el("span", { className: "fix", textContent: p.fix }) : null));
    }
    fixes.append(list);
    if (d.gap_count > d.priorities.length) fixes.append(el("p", { className: "muted", textContent: t("done.more", d.gap_count) }));
  }
  const collect = el("section", { className: "block" });
  if (d.collect.length) {
    collect.append(el("h3", { textContent: t("done.collect") }), el("p", { textContent: t("done.collect.p", d.collect_count) }),
      el("ul", { className: "collect" }, ...d.collect.map((c) => el("li", {}, el("strong", { textContent: c.question }),
        el("span", { className: "meta", textContent: t("done.waiting", c.waiting) })))));
  }
  const answered = state.done ? el("p", { className: "muted", textContent: t("done.answered", state.done.asked, state.done.unknown.length) }) : null;
  $("decision").replaceChildren(head, scoreBox, fixes, collect, answered);
}

$("show-report").addEventListener("click", () => {
  if (!state.report) return;
  const url = URL.createObjectURL(new Blob([state.report], { type: "text/html" }));
  window.open(url, "_blank");
  setTimeout(() => URL.revokeObjectURL(url), 60000);
});
$("save-report").addEventListener("click", () => download("report.html", state.report || "", "text/html"));
$("done-full").addEventListener("click", () => {
  state.session.quick = false;
  save();
  step();
});
boot();
