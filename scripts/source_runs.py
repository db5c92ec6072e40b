"""Hash the 12-word runs of the sources a practice was written from.

The sources' text is never committed (it belongs to its publishers); only the
hashes of its runs of RUN consecutive words are, so that
``tests/corpus/test_source_runs.py`` can fail when a practice repeats one.

SOURCES_DIR holds one folder per practice slug, each with numbered text files::

    SOURCES_DIR/<practice-slug>/<n>.txt
        URL: <address>
        Read: YYYY-MM-DD
        <blank line>
        <the source text as it was read>

and this script writes ``tests/corpus/source_runs/<practice-slug>.json``::

    {"sources": [{"url": ..., "read": ..., "runs": [sorted hex hashes]}]}

Usage::

    .venv/bin/python scripts/source_runs.py SOURCES_DIR [--out tests/corpus/source_runs]
        [--practices practices/ | --all]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kb.taxonomy import fold

RUN = 12
HASH_CHARS = 16
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "corpus" / "source_runs"
PRACTICES = ROOT / "practices"

# Anything but a letter or a digit separates words: apostrophes and hyphens too,
# so that « l’accueil » and « l'accueil » give the same words on both sides.
_NOT_WORD = re.compile(r"[\W_]+")


def words(text: str) -> list[str]:
    """Lowercased, accent-folded words, punctuation removed."""
    return _NOT_WORD.sub(" ", fold(text)).split()


def run_hash(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:HASH_CHARS]


def runs(text: str) -> Iterator[tuple[int, str]]:
    """(position of the run's first word, hash) for every RUN-word run of text."""
    ws = words(text)
    for i in range(len(ws) - RUN + 1):
        yield i, run_hash(ws[i:i + RUN])


class SourceFileError(ValueError):
    pass


def read_source(path: Path) -> tuple[str, str, str]:
    """(url, read date, text) of one saved source file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if len(lines) < 3 or not lines[0].startswith("URL: ") or not lines[1].startswith("Read: ") \
            or lines[2].strip():
        raise SourceFileError(f"{path}: expected 'URL: …', 'Read: YYYY-MM-DD' and a blank line")
    url = lines[0][len("URL: "):].strip()
    read = lines[1][len("Read: "):].strip()
    try:
        date.fromisoformat(read)
    except ValueError:
        raise SourceFileError(f"{path}: 'Read:' is not an ISO date: {read!r}") from None
    return url, read, "\n".join(lines[3:])


def _number(path: Path) -> tuple[int, str]:
    return (int(path.stem), "") if path.stem.isdigit() else (sys.maxsize, path.stem)


def practice_runs(folder: Path) -> dict:
    sources = []
    for path in sorted(folder.glob("*.txt"), key=_number):
        url, read, text = read_source(path)
        sources.append({"url": url, "read": read, "runs": sorted({h for _, h in runs(text)})})
    return {"sources": sources}


def write_all(sources_dir: Path, out: Path, practices: Path | None = None) -> list[Path]:
    """Write one runs file per practice folder; with practices, only for the
    slugs that have a sheet there (another worktree may save sources for sheets
    this one does not have yet)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for folder in sorted(p for p in sources_dir.iterdir() if p.is_dir()):
        if practices is not None and not (practices / f"{folder.name}.md").is_file():
            print(f"skipped (no practices/{folder.name}.md): {folder}", file=sys.stderr)
            continue
        data = practice_runs(folder)
        if not data["sources"]:
            continue
        target = out / f"{folder.name}.json"
        target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources_dir", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--practices", type=Path, default=PRACTICES,
                        help="only slugs with a sheet in this folder (default: practices/)")
    parser.add_argument("--all", action="store_true", help="every folder, sheet or not")
    args = parser.parse_args(argv)
    try:
        written = write_all(args.sources_dir, args.out, None if args.all else args.practices)
    except SourceFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
