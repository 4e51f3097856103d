"""Screenshots for the docs site: the HTML report, the first and a middle page of the PDF
report, the portfolio report and the terminal summary, each in zh and en.

`make screenshots` runs it: ``python scripts/screenshots.py docs/img``. The reports come from
the bundled small food producer as of 2026-11-20, written by ``qcheck run --format html:FILE``
and ``--format pdf:FILE`` (pages drawn by poppler's pdftoppm); the portfolio from ``qcheck
batch run examples --report``; the summary runs in a real terminal (a detached tmux pane of 80
columns, on a socket of its own), is captured with its colours and drawn as a page that
headless Chromium photographs. Needs /usr/bin/chromium (or chromium on PATH), tmux, pdftoppm
and the ``pdf`` extra.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.terminal_theme import MONOKAI
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
AS_OF = "2026-11-20"
QCHECK = Path(sys.executable).parent / "qcheck"
COLUMNS = 80


def chromium() -> str:
    """The Chromium binary (Debian's by default)."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("screenshots: no Chromium found (apt-get install chromium)")


def shoot(page: Path, png: Path, width: int, height: int, work: Path) -> None:
    """Photograph ``page`` at ``width`` × ``height`` CSS pixels into ``png``."""
    profile = work / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180,
                   env={**os.environ, "LANG": "C.UTF-8"})
    if not png.exists() or png.stat().st_size < 10_000:
        raise SystemExit(f"screenshots: chromium wrote no usable {png}")


def report(lang: str, out: Path, work: Path) -> Path:
    """The HTML report of the example in ``lang``, photographed into ``out``."""
    html = work / f"report-{lang}.html"
    subprocess.run([str(QCHECK), "run", str(EXAMPLE), "--as-of", AS_OF, "--fail-on", "never",
                    "--lang", lang, "--quiet", "--format", f"html:{html}"],
                   check=True, capture_output=True)
    png = out / f"report-{lang}.png"
    shoot(html, png, 1200, 2600, work)
    return png


def pdf_pages(lang: str, out: Path, work: Path) -> list[Path]:
    """The PDF report's first page and a middle page, drawn by pdftoppm into ``out``."""
    pdf = work / f"report-{lang}.pdf"
    subprocess.run([str(QCHECK), "run", str(EXAMPLE), "--as-of", AS_OF, "--fail-on", "never",
                    "--lang", lang, "--quiet", "--format", f"pdf:{pdf}"],
                   check=True, capture_output=True)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    made = []
    for name, number in (("first", 1), ("middle", max(2, pages // 2))):
        png = out / f"report-page-{name}-{lang}.png"
        subprocess.run(["pdftoppm", "-r", "90", "-png", "-singlefile", "-f", str(number),
                        "-l", str(number), str(pdf), str(png.with_suffix(""))],
                       check=True, capture_output=True, timeout=180)
        made.append(png)
    return made


def portfolio(lang: str, out: Path, work: Path) -> Path:
    """The portfolio report of every example, photographed into ``out``."""
    html = work / f"portfolio-{lang}.html"
    title = "示例集团供应商质量合规概览" if lang == "zh" else "Example group: supplier overview"
    subprocess.run([str(QCHECK), "batch", "run", str(ROOT / "examples"), "--as-of", AS_OF,
                    "--lang", lang, "--report", str(html), "--title", title,
                    "--summary", str(work / f"summary-{lang}.csv")],
                   check=False, capture_output=True)
    if not html.exists():
        raise SystemExit("screenshots: qcheck batch wrote no portfolio report")
    png = out / f"portfolio-{lang}.png"
    shoot(html, png, 1400, 1300, work)
    return png


def terminal(lang: str, out: Path, work: Path) -> Path:
    """``qcheck run`` in an 80-column tmux pane, captured with colours and photographed."""
    socket = f"qcompliance-shots-{os.getpid()}"
    command = (f"{QCHECK} run {EXAMPLE} --as-of {AS_OF} --fail-on never --lang {lang}; "
               f"tmux -L {socket} wait-for -S done; sleep 60")
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env.pop("NO_COLOR", None)
    env.pop("TMUX", None)
    subprocess.run([*tmux, "new-session", "-d", "-s", "shot", "-x", str(COLUMNS), "-y", "72",
                    command], check=True, env=env)
    try:
        subprocess.run([*tmux, "wait-for", "done"], check=True, timeout=120, env=env)
        time.sleep(0.3)
        captured = subprocess.run([*tmux, "capture-pane", "-p", "-e", "-t", "shot", "-S", "-"],
                                  check=True, capture_output=True, text=True, env=env).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, env=env)
    lines = captured.rstrip("\n").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    console = Console(record=True, width=COLUMNS, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(Text.from_ansi("\n".join(lines)), soft_wrap=True)
    page = work / f"summary-{lang}.html"
    page.write_text(console.export_html(theme=MONOKAI, inline_styles=True).replace(
        "font-family: Menlo", "font-family: 'Noto Sans Mono CJK SC', 'DejaVu Sans Mono', Menlo"),
        encoding="utf-8")
    png = out / f"summary-{lang}.png"
    shoot(page, png, 820, 22 * len(lines) + 60, work)
    return png


def main(argv: list[str]) -> int:
    """Write the report, PDF page, portfolio and summary pictures (zh and en) into argv[0]."""
    out = Path(argv[0] if argv else "docs/img")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for lang in ("zh", "en"):
            for made in (report(lang, out, work), *pdf_pages(lang, out, work),
                         portfolio(lang, out, work), terminal(lang, out, work)):
                print(f"screenshots: {made}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
