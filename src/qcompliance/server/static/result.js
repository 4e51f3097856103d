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

// The decision is the report's own (qcompliance.reports.decision): every text comes in the
// page's language; severity_key and coverage_level only pick colours.
function renderDecision(d) {
  const head = el("dl", { className: "facts" },
    el("dt", { textContent: t("done.company") }), el("dd", { textContent: d.company }),
    el("dt", { textContent: t("done.asof") }), el("dd", { textContent: d.as_of }));
  const scoreBox = el("div", { className: "score" + (d.low_coverage ? " low" : "") },
    el("p", { className: "score-label", textContent: t("done.score") }),
    el("p", { className: "score-value" + (d.low_coverage ? " muted" : d.mandatory_gaps ? " bad" : " good"), textContent: d.score }),
    el("p", { className: "coverage", textContent: t("done.coverage", d.coverage_words) }),
    el("p", { className: "headline", textContent: d.headline }));
  const fixes = el("section", { className: "block" }, el("h3", { textContent: t("done.priorities") }));
  if (!d.priorities.length) fixes.append(el("p", { className: "good", textContent: t("done.nogaps") }));
  else {
    const list = el("ol", { className: "priorities" });
    for (const p of d.priorities) {
      const due = el("span", { className: "due" + (p.overdue ? " bad" : ""), textContent: t("done.due", p.due) });
      list.append(el("li", { className: "severity-" + p.severity_key },
        el("strong", { textContent: p.title }),
        el("span", { className: "meta" }, `${p.topic ? p.topic + " · " : ""}${p.level} · ${p.severity} · `, due,
           el("span", { className: "muted", textContent: t("done.note", p.due_note) })),
        el("span", { className: "fix", textContent: t("done.first", p.first_step) })));
    }
    fixes.append(list);
    if (d.more) fixes.append(el("p", { className: "muted", textContent: t("done.more", d.gaps) }));
  }
  const collect = el("section", { className: "block" });
  if (d.collect.length) {
    collect.append(el("h3", { textContent: t("done.collect") }), el("p", { textContent: t("done.collect.p", d.facts_to_collect) }),
      el("ul", { className: "collect" }, ...d.collect.map((c) => el("li", {}, el("strong", { textContent: c.question }),
        el("span", { className: "meta", textContent: t("done.waiting", c.waiting) })))));
  }
  const done = state.done;
  const answered = done ? el("p", { className: "muted", textContent: t("done.answered", done.screens ?? done.asked, done.unknown.length) }) : null;
  // A quick self-check says in words how far it went, and offers the full one to go on.
  const quick = done && done.duties && state.session.quick ?
    el("p", { className: "quick-cover", id: "quick-cover", textContent: t("done.quick", done.duties.covered, done.duties.left) }) : null;
  $("decision").replaceChildren(head, scoreBox, quick, fixes, collect, answered);
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
