"""Show that a change left the built sites as they were: the seed project and the BBC
corpus, imported and built by the code at a git revision and by the working tree, compared
file by file (posts and site). Pagefind's word, filter and metadata index files are left
out: Pagefind chunks them differently from run to run (see tests/conftest.py).

    python bench/same_site.py [--base REV] [--corpus seed|bbc|all] [--code-only] [--without-search]

With --code-only both builds use the base revision's settings and theme (each adds its
own plugin), so only the code differs: a change that moves code must leave every byte.
With --without-search the search index (output/pagefind/) is left out, for a change that
lays the index out anew.

Exit status 0 when every compared tree is byte-identical, 1 otherwise (the differing
files are listed).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "corpora" / "bbc-news"
UNSTABLE = re.compile(r"pagefind/(?:[^/]+/)?(?:index/|filter/|pagefind\.|pagefind-entry\.json)")
PROJECT_FILES = ("pelicanconf.py", "publishconf.py", "pyproject.toml")


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256, Pagefind's unstable index files left out."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and not (UNSTABLE.match(name) and not name.endswith(".js")):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def project(files: Path, where: Path, corpus: str, code_only: bool) -> Path:
    """A project folder with the settings and theme in ``files`` and the corpus as sources."""
    where.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(files / name, where / name)
    if code_only:  # each build adds its own plugin; the base's module name may be gone
        settings = where / "pelicanconf.py"
        lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
        settings.write_text(
            "".join(line for line in lines if not line.startswith("PLUGINS")), encoding="utf-8"
        )
    shutil.copytree(files / "theme", where / "theme")
    if corpus == "seed":
        shutil.copytree(files / "sources", where / "sources")
    else:
        shutil.copytree(BBC, where / "sources")
    return where


def build(code: Path, root: Path) -> None:
    """Import and build ``root`` with the package in ``code`` (the current interpreter)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "newsarchive.cli", "--root", str(root), "build", "-q"]
    # `python -m` puts the working folder first on the path: run from the code's own tree.
    subprocess.run(command, env=env, cwd=code, check=True, stdout=subprocess.DEVNULL)
    stamp = subprocess.run(
        [sys.executable, "-c", "import newsarchive; print(newsarchive.__file__)"],
        env=env,
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not stamp.startswith(str(code)):
        raise SystemExit(f"the build ran {stamp}, not the code in {code}")


def compare(base: Path, corpus: str, scratch: Path, code_only: bool) -> list[str]:
    """Names of the files that differ between the two builds of ``corpus``."""
    trees = []
    for label, code in (("base", base), ("work", REPO)):
        root = project(base if code_only else code, scratch / corpus / label, corpus, code_only)
        build(code, root)
        trees.append((tree(root / "content"), tree(root / "output")))
    (content_a, output_a), (content_b, output_b) = trees
    differ = [
        f"content/{n}"
        for n in sorted(set(content_a) | set(content_b))
        if content_a.get(n) != content_b.get(n)
    ]
    differ += [
        f"output/{n}" for n in sorted(set(output_a) | set(output_b)) if output_a.get(n) != output_b.get(n)
    ]
    print(f"{corpus}: {len(content_b):,} posts, {len(output_b):,} site files compared, {len(differ)} differ")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with (default: HEAD)")
    parser.add_argument("--corpus", choices=("seed", "bbc", "all"), default="all")
    parser.add_argument("--code-only", action="store_true", help="the base's settings and theme for both")
    parser.add_argument("--without-search", action="store_true", help="leave output/pagefind/ out")
    args = parser.parse_args()
    corpora = ["seed", "bbc"] if args.corpus == "all" else [args.corpus]
    if "bbc" in corpora and not BBC.is_dir():
        print(f"{BBC} is absent: comparing the seed only")
        corpora.remove("bbc")
    with tempfile.TemporaryDirectory(prefix="same-site-") as scratch_name:
        scratch = Path(scratch_name)
        base = scratch / "base-code"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(base), args.base], check=True
        )
        try:
            differ = [name for corpus in corpora for name in compare(base, corpus, scratch, args.code_only)]
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False)
    if args.without_search:
        differ = [name for name in differ if not name.startswith("output/pagefind/")]
        print(f"without the search index: {len(differ)} differ")
    for name in differ[:50]:
        print(f"  differs: {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
