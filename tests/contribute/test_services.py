"""Services without the web: drafts, checks, diffs, rate limits, slugs, revisions."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from kb.corpus import PartnerRef, PracticeRecord, SourceRef
from kb.services.contributions import revisions, submissions
from kb.services.contributions.drafts import (
    BODY_TEMPLATE,
    Draft,
    check_draft,
    drop_empty_sections,
)
from kb.services.contributions.ratelimit import (
    DatabaseStore,
    MemoryStore,
    Rate,
    RateLimiter,
)

from .support import valid_form


def _draft(**overrides) -> Draft:
    return Draft.from_form(MultiDict(valid_form(**overrides)))


def test_a_valid_form_makes_the_record_a_corpus_file_would():
    checked = check_draft(_draft())
    assert checked.ok, checked.errors
    record = checked.record
    assert record.title == "Jardins partagés des Hortensias"
    assert record.partners == [PartnerRef("Association Racines", "animation des ateliers")]
    assert record.sources == [SourceRef("Bilan des ateliers 2023", "https://exemple.org/bilan",
                                        "2023-12-01", "Office Hortensias Habitat")]
    assert record.audiences == ["locataires", "familles"]
    assert record.started == "2022" and record.status == "en cours"


def test_the_body_template_has_every_section_in_order_and_empty_ones_are_dropped():
    assert [line for line in BODY_TEMPLATE.splitlines() if line.startswith("## ")] == [
        "## Contexte", "## Objectifs", "## Mise en œuvre", "## Moyens", "## Résultats",
        "## Points de vigilance", "## Pour essaimer"]
    assert drop_empty_sections(BODY_TEMPLATE) == ""
    body = "## Contexte\n\nDu texte.\n\n## Objectifs\n\n\n## Moyens\n\nUn budget.\n"
    assert drop_empty_sections(body) == "## Contexte\n\nDu texte.\n\n## Moyens\n\nUn budget."


def test_add_row_keeps_every_typed_row_and_adds_one():
    form = MultiDict(valid_form(add_row="sources"))
    draft = Draft.from_form(form)
    assert len(draft.sources) == 4
    assert draft.sources[0]["title"] == "Bilan des ateliers 2023"


def test_a_record_round_trips_through_the_form():
    record = check_draft(_draft()).record
    draft = Draft.from_record(record, ["Médiation et lien social"])
    again = check_draft(draft, contributor=False).record
    assert again == record


def test_record_json_round_trips():
    import datetime as dt

    record = PracticeRecord(slug="x", title="T", summary="S", themes=["a"], cities=["b"],
                            partners=[PartnerRef("P", "r")], sources=[SourceRef("s", None, "2020")],
                            last_verified=dt.date(2024, 1, 2))
    assert submissions.record_from_json(submissions.record_to_json(record)) == record


def test_problems_carry_the_row_of_the_source_they_are_about():
    draft = _draft(source_title=["Bon", "", "Sans adresse valide"],
                   source_url=["https://ok.example", "", "ftp://non"],
                   source_date=["", "", ""], source_publisher=["", "", ""])
    errors = check_draft(draft).errors
    assert list(errors) == ["sources-2"]


def test_diff_marks_added_and_removed_lines():
    diff = revisions.diff_texts("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(line.kind, line.text) for line in diff.lines if line.kind in "+-"] == [
        ("-", "b"), ("+", "B"), ("+", "d")]
    assert (diff.added, diff.removed) == (2, 1)
    assert revisions.diff_texts("same", "same").empty


@pytest.mark.parametrize("text, limit, window", [
    ("5/hour", 5, 3600), ("10/minute", 10, 60), ("100 per day", 100, 86400), ("3/10 minutes", 3, 600),
])
def test_rates_parse(text, limit, window):
    assert Rate.parse(text) == Rate(limit, window)


def test_a_bad_rate_is_refused():
    with pytest.raises(ValueError):
        Rate.parse("five an hour")


def _clocked(store):
    now = [1000.0]
    return RateLimiter(store, clock=lambda: now[0]), now


@pytest.mark.parametrize("store_kind", ["memory", "database"])
def test_the_window_slides(store_kind, runtime):
    store = MemoryStore() if store_kind == "memory" else DatabaseStore(runtime.session)
    limiter, now = _clocked(store)
    rate = Rate(2, 60)
    assert limiter.hit("a", rate).allowed and limiter.hit("a", rate).allowed
    refused = limiter.hit("a", rate)
    assert not refused.allowed and 1 <= refused.retry_after <= 61
    assert limiter.hit("b", rate).allowed  # another client is counted apart
    now[0] += 61
    assert limiter.hit("a", rate).allowed


def test_the_database_store_is_shared_between_limiters(runtime):
    rate = Rate(1, 60)
    first, _ = _clocked(DatabaseStore(runtime.session))
    second, _ = _clocked(DatabaseStore(runtime.session))
    assert first.hit("ip", rate).allowed
    assert not second.hit("ip", rate).allowed


def test_unique_slugs_get_a_number(bundled_runtime):
    from kb.services.moderation import unique_slug

    with bundled_runtime.session(write=False) as session:
        assert unique_slug(session, "Collectif Solution Uni’Voisins") == "collectif-solution-uni-voisins-2"
        assert unique_slug(session, "Collectif Solution Uni’Voisins",
                           exclude=["collectif-solution-uni-voisins-2"]) == "collectif-solution-uni-voisins-3"
        assert unique_slug(session, "Tout nouveau") == "tout-nouveau"


def test_a_slug_taken_meanwhile_gets_the_next_number(bundled_runtime, monkeypatch):
    """The race: the free slug is taken between the check and the insert."""
    from kb.models import Moderator
    from kb.services import moderation

    real = moderation.unique_slug
    monkeypatch.setattr(moderation, "unique_slug",
                        lambda session, title, exclude=(): real(session, title, exclude) if exclude
                        else "collectif-solution-uni-voisins")
    record = check_draft(_draft(title="Collectif Solution Uni’Voisins")).record
    with bundled_runtime.session() as session:
        contribution, _ = submissions.submit(session, record, name="A", email="a@b.fr")
        moderator = Moderator(email="m@x.fr", password_hash="x")
        session.add(moderator)
        session.flush()
        slug = moderation.publish(session, contribution, moderator)
    assert slug == "collectif-solution-uni-voisins-2"


def test_forget_contributor_erases_name_and_email_everywhere(bundled_runtime):
    from sqlalchemy import select

    from kb.models import Contribution

    record = check_draft(_draft()).record
    with bundled_runtime.session() as session:
        submissions.submit(session, record, name="Claire", email="Claire@Exemple.fr ")
        submissions.submit(session, record, name="Autre", email="autre@exemple.fr")
    with bundled_runtime.session() as session:
        assert submissions.forget_contributor(session, "claire@exemple.fr") == 1
    with bundled_runtime.session(write=False) as session:
        rows = list(session.scalars(select(Contribution).order_by(Contribution.id)))
    assert (rows[0].contributor_name, rows[0].contributor_email) == (None, None)
    assert rows[0].record == submissions.record_to_json(record)  # content kept
    assert rows[1].contributor_email == "autre@exemple.fr"


def test_a_wrong_token_finds_nothing(bundled_runtime):
    record = check_draft(_draft()).record
    with bundled_runtime.session() as session:
        _, token = submissions.submit(session, record, name="A", email="a@b.fr")
    with bundled_runtime.session(write=False) as session:
        assert submissions.find_by_token(session, token) is not None
        assert submissions.find_by_token(session, token[:-1] + "x") is None
        assert submissions.find_by_token(session, "") is None
        assert submissions.find_by_token(session, "x" * 500) is None


def test_a_correction_of_a_practice_without_city_keeps_the_corpus_warning():
    base = check_draft(_draft()).record
    base.slug, base.cities = "sans-ville", []
    draft = Draft.from_record(base, ["Médiation et lien social"])
    checked = check_draft(draft, base=base, contributor=False)
    assert checked.ok, checked.errors
    assert check_draft(draft, contributor=False).errors.get("cities")  # a new one needs a city


def test_two_simultaneous_publications_of_one_title_both_succeed(bundled_runtime):
    """Two moderators publish two contributions titled alike at the same moment:
    one takes the slug, the other cleanly gets the next number (on SQLite the
    IMMEDIATE transactions queue; on PostgreSQL the loser's insert fails and retries)."""
    import threading

    from kb.models import Contribution, Moderator
    from kb.services import moderation

    record = check_draft(_draft(title="Course au même titre")).record
    with bundled_runtime.session() as session:
        ids = [submissions.submit(session, record, name="A", email=f"{n}@b.fr")[0].id
               for n in range(2)]
        moderator = Moderator(email="m@x.fr", password_hash="x")
        session.add(moderator)
        session.flush()
        moderator_id = moderator.id
    start = threading.Barrier(2)
    slugs: list[str] = []
    errors: list[BaseException] = []

    def publish(contribution_id: int) -> None:
        try:
            with bundled_runtime.session() as session:
                start.wait(timeout=10)
                slugs.append(moderation.publish(session, session.get(Contribution, contribution_id),
                                                session.get(Moderator, moderator_id)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(slugs) == ["course-au-meme-titre", "course-au-meme-titre-2"]
