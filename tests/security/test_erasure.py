"""Point 5: ``kb forget-contributor`` left the person in saved drafts (form copies, the private
draft link), in mails to moderators and in the outbox folder.

After the erasure, the whole database (every table, every column, through the models'
metadata, so the same dump runs on SQLite and PostgreSQL) and every file of the outbox
folder hold neither the name nor the address, in any case, encoded or not.
"""

from __future__ import annotations

import email
import email.policy
import html

import pytest
from sqlalchemy import select

from tests.contribute.support import (
    csrf_token,
    login,
    mod_post,
    pending_id,
    private_link,
    submit,
)

NAME = "Zéphyrine Quillebœuf"
ADDRESS = "Zephyrine.Quilleboeuf@Exemple.org"
NEEDLES = [ADDRESS.lower(), ADDRESS.upper(), ADDRESS, NAME, NAME.upper(), html.escape(NAME),
           "quilleb"]


@pytest.fixture
def app_config() -> dict:
    # Counters in the database too, so the dump covers them.
    return {"TESTING": True, "SECRET_KEY": "test", "CONTRIBUTION_RATE": "10000/hour",
            "PREVIEW_RATE": "10000/hour", "LOGIN_RATE": "10000/hour",
            "RATELIMIT_STORAGE": "database"}


def _database_dump(runtime) -> str:
    from kb.models import Base

    lines = []
    with runtime.session(write=False) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                lines.append(f"{table.name}: " + " | ".join(str(value) for value in row))
    return "\n".join(lines)


def _outbox_dump(outbox) -> str:
    texts = []
    for path in sorted(outbox.rglob("*")) if outbox.exists() else []:
        if path.is_file():
            raw = path.read_text(encoding="utf-8", errors="replace")
            message = email.message_from_string(raw, policy=email.policy.default)
            decoded = [part.get_content() for part in message.walk()
                       if part.get_content_maintype() == "text"]
            texts.append("\n".join([raw, *map(str, message.values()), *decoded]))
    return "\n".join(texts)


def _holds_them(text: str) -> list[str]:
    folded = text.casefold()
    return [needle for needle in NEEDLES if needle.casefold() in folded]


@pytest.fixture
def their_traces(app, client, mod_client, bundled_runtime, outbox):
    """The person everywhere: a saved draft, a published contribution, mails, a search."""
    form = {"csrf_token": csrf_token(client), "title": f"Brouillon de {NAME}",
            "summary": f"Écrire à {ADDRESS} pour en savoir plus.", "name": NAME,
            "email": ADDRESS, "action": "save", "body": f"Proposé par {NAME}."}
    saved = client.post("/contribuer", data=form, follow_redirects=True)
    assert saved.status_code == 200, saved.status_code
    draft_link = private_link(saved)
    submit(client, name=NAME, email=ADDRESS)
    number = pending_id(bundled_runtime)
    assert mod_post(mod_client, f"/moderation/{number}/publier").status_code == 303
    assert client.get("/recherche", query_string={"q": NAME}).status_code == 200
    assert app.extensions["kb_search_log"].flush()  # written off the request path
    assert login(app.test_client(), ADDRESS, "pas-son-compte").status_code == 401  # counters
    assert "rate_limit_hits: " in _database_dump(bundled_runtime)
    dump = _database_dump(bundled_runtime)
    assert any(_holds_them(line) for line in dump.splitlines() if line.startswith("search_log:"))
    before = _holds_them(dump) + _holds_them(_outbox_dump(outbox))
    assert ADDRESS.lower() in before and NAME in before  # there is something to erase
    assert _holds_them(_outbox_dump(outbox))  # the mails were written to the folder
    page = client.get(draft_link).get_data(as_text=True)
    assert _holds_them(page)
    return draft_link


def test_forget_contributor_leaves_neither_name_nor_address_anywhere(their_traces, client, runner,
                                                                     bundled_runtime, outbox):
    result = runner("forget-contributor", ADDRESS.upper())
    assert result.exit_code == 0, result.output
    assert "enregistrement(s) modifié(s)" in result.output
    dump = _database_dump(bundled_runtime)
    assert _holds_them(dump) == [], [line[:300] for line in dump.splitlines() if _holds_them(line)]
    assert _holds_them(_outbox_dump(outbox)) == []
    page = client.get(their_traces)
    assert page.status_code == 200  # the draft (its content) is still theirs to finish
    assert _holds_them(page.get_data(as_text=True)) == []
    again = runner("forget-contributor", ADDRESS)
    assert again.output.startswith("0 enregistrement(s) modifié(s)"), again.output


def test_forget_contributor_keeps_the_content_and_other_people(their_traces, client, runner,
                                                               bundled_runtime):
    from kb.models import Contribution

    submit(client, title="Une autre proposition", name="Anatole Berthier",
           email="anatole@exemple.fr")
    assert runner("forget-contributor", ADDRESS).exit_code == 0
    dump = _database_dump(bundled_runtime)
    assert "Anatole Berthier" in dump and "anatole@exemple.fr" in dump
    assert "Jardins partagés des Hortensias" in dump  # the published practice is untouched
    with bundled_runtime.session(write=False) as session:
        summaries = [row for row in session.scalars(select(Contribution.submitted))
                     if "pour en savoir plus" in row]
    assert summaries and all("[adresse effacée]" in row for row in summaries)


def test_the_address_left_in_published_content_is_reported(their_traces, runner, bundled_runtime):
    from kb.models import Practice

    with bundled_runtime.session() as session:
        practice = session.scalars(select(Practice).limit(1)).one()
        practice.summary = f"{practice.summary} Contact : {ADDRESS}"
    result = runner("forget-contributor", ADDRESS)
    assert "practices.summary" in result.output and "publié" in result.output
