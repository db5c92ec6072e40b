"""Published versions of a practice, and diffs between any two.

A revision holds the practice's whole Markdown file (``kb.corpus.dump_practice``)
so a diff is a plain line diff of what ``kb export`` would write. A practice
imported from the corpus has no revision until it first changes through
moderation; then its current state is recorded first with the note "import"
(and so is any change made by a later ``kb import``), so history never starts
in the middle.

Only published versions are public: the version a contributor sent, when a
moderator changed it before publishing, is kept with ``public=False`` for
moderators. A moderator can purge a revision's content (personal data,
defamation): its text is erased, its number and a note stay, and the audit log
says who did it and why. Each revision stores its body rendered at save time.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kb import storage
from kb.corpus import PracticeRecord, dump_practice
from kb.corpus.frontmatter import split
from kb.models import Practice, Revision
from kb.rendering import render_markdown

IMPORT_NOTE = "import"
CONTRIBUTOR_NOTE = "Version proposée par un contributeur"
PURGED_NOTE = "Contenu retiré par la modération"


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: ``kind`` is " " (same), "+" (added), "-" (removed) or "@" (gap)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Diff:
    lines: list[DiffLine]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.kind == "+")

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.kind == "-")

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed)


def snapshot(record: PracticeRecord) -> str:
    return dump_practice(record)


# Lines of a diff shown: a page lists each with markup and a translated label, so
# 25,000 changed lines cost seconds; past this, one gap line says what is left out.
MAX_DIFF_LINES = 1500


def diff_texts(old: str, new: str, context: int = 3) -> Diff:
    """A line diff of two Markdown files, with ``context`` unchanged lines around changes."""
    lines = []
    raw = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    for number, line in enumerate(raw):
        if number < 2:  # the ---/+++ header
            continue
        if len(lines) == MAX_DIFF_LINES:
            lines.append(DiffLine("@", "… (suite de la comparaison non affichée : trop longue)"))
            break
        if line.startswith("@@"):
            lines.append(DiffLine("@", "…"))
        else:
            lines.append(DiffLine(line[:1] or " ", line[1:]))
    return Diff(lines)


def find_revisions(session: Session, practice_id: int, *,
                   public_only: bool = True) -> list[Revision]:
    """Revisions of a practice, the first first (the published ones unless asked)."""
    stmt = (select(Revision).where(Revision.practice_id == practice_id)
            .options(selectinload(Revision.moderator)).order_by(Revision.number))
    if public_only:
        stmt = stmt.where(Revision.public.is_(True))
    return list(session.scalars(stmt))


def get_revision(session: Session, practice_id: int, number: int, *,
                 public_only: bool = True) -> Revision | None:
    stmt = select(Revision).where(Revision.practice_id == practice_id, Revision.number == number)
    if public_only:
        stmt = stmt.where(Revision.public.is_(True))
    return session.scalars(stmt).first()


def rendered_body(text: str) -> str:
    """The body of a revision's Markdown file, rendered (stored with the revision)."""
    parsed = split(text, "revision")
    body = parsed.body if hasattr(parsed, "body") else text
    return str(render_markdown(body))


def current_html(session: Session, practice: Practice) -> str | None:
    """The stored rendering of the practice as it stands, when its last revision is it."""
    last = latest_revision(session, practice.id)
    if last is None or last.purged_at is not None or last.content_hash != practice.content_hash:
        return None
    return last.html


def latest_revision(session: Session, practice_id: int) -> Revision | None:
    return session.scalars(select(Revision).where(Revision.practice_id == practice_id)
                           .order_by(Revision.number.desc()).limit(1)).first()


def add_revision(session: Session, practice: Practice, text: str, *, content_hash: str | None,
                 moderator_id: int | None = None, note: str | None = None,
                 contribution_id: int | None = None, contributor_name: str | None = None,
                 contributor_email: str | None = None, public: bool = True) -> Revision:
    """Append a revision to ``practice``'s history (numbers start at 1)."""
    session.flush()
    last = session.scalar(select(func.max(Revision.number))
                          .where(Revision.practice_id == practice.id)) or 0
    revision = Revision(
        practice_id=practice.id, number=last + 1, snapshot=text, content_hash=content_hash,
        moderator_id=moderator_id, note=note, contribution_id=contribution_id,
        contributor_name=contributor_name, contributor_email=contributor_email,
        public=public, html=rendered_body(text),
    )
    session.add(revision)
    session.flush()
    return revision


def ensure_baseline(session: Session, practice: Practice) -> Revision | None:
    """Record the practice as it stands when its history does not already end there."""
    last = latest_revision(session, practice.id)
    if last is not None and last.content_hash == practice.content_hash:
        return None
    return add_revision(session, practice, snapshot(storage.practice_record(practice)),
                        content_hash=practice.content_hash, note=IMPORT_NOTE)
