"""Services without the web: drafts, checks, diffs, rate limits, slugs, revisions."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from kb.corpus import PartnerRef, PracticeRecord, SourceRef
from kb.services.contributions import revisions, submissions
from kb.services.contributions.drafts import (
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
from kb.services.contributions.sections import compose_body, split_body
from kb.services.contributions.wording import french_date, parse_french_date

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


def test_section_boxes_make_a_body_in_corpus_order_and_a_body_splits_back_into_boxes():
    boxes = {"Résultats": "Moins de plaintes.", "Contexte": "Des halls occupés.\n- un\n- deux",
             "Moyens": "   "}
    body = compose_body(boxes)
    # Headings in the corpus order, an empty box leaves no heading, and a list typed right
    # under a paragraph gets the blank line Markdown needs.
    assert body == ("## Contexte\n\nDes halls occupés.\n\n- un\n- deux\n\n"
                    "## Résultats\n\nMoins de plaintes.\n")
    sections, other = split_body(body)
    assert sections == {"Contexte": "Des halls occupés.\n\n- un\n- deux",
                        "Résultats": "Moins de plaintes."}
    assert other == ""
    # Text outside the known sections is kept in its own box, never dropped.
    sections, other = split_body("Avant tout.\n\n## Annexe\n\nUn tableau.\n\n## Moyens\n\nDeux ETP.")
    assert sections == {"Moyens": "Deux ETP."}
    assert other == "Avant tout.\n\n## Annexe\n\nUn tableau."


def test_dates_are_typed_the_french_way_and_stored_in_iso_form():
    assert parse_french_date("15/09/2021") == "2021-09-15"
    assert parse_french_date("1/9/2021") == "2021-09-01"
    assert parse_french_date("09/2021") == "2021-09"
    assert parse_french_date("2021") == "2021"
    assert parse_french_date("2021-09-15") == "2021-09-15"
    for wrong in ("31/02/2021", "13/2021", "septembre", "21", ""):
        assert parse_french_date(wrong) is None, wrong
    assert [french_date(v) for v in ("2021-09-15", "2021-09", "2021")] == [
        "15/09/2021", "09/2021", "2021"]
    checked = check_draft(_draft(started="09/2021", ended="30/06/2023",
                                 source_date=["15/12/2023", "", ""]))
    assert checked.ok, checked.errors
    assert (checked.record.started, checked.record.ended) == ("2021-09", "2023-06-30")
    assert checked.record.sources[0].date == "2023-12-15"
    wrong = check_draft(_draft(started="32/13/2021"))
    assert wrong.errors["started"] == [
        "Date de début : écrivez-la comme 15/09/2021, 09/2021 ou 2021."]


def test_a_correction_keeps_the_theme_order_of_the_practice():
    record = PracticeRecord(slug="x", title="T", summary="S",
                            themes=["Tranquillité résidentielle", "Médiation et lien social"],
                            cities=["Rouen"], landlords=["CDC Habitat"])
    registry = ["Médiation et lien social", "Tranquillité résidentielle"]
    draft = Draft.from_record(record, registry)
    # The browser posts ticked boxes in page (alphabetical) order.
    form = MultiDict([("themes", "Médiation et lien social"), ("themes", "Tranquillité résidentielle"),
                      ("theme_order", draft.theme_order), ("title", "T"), ("summary", "S"),
                      ("city", "Rouen"), ("landlord", "CDC Habitat")])
    assert Draft.from_form(form).all_themes() == ["Tranquillité résidentielle",
                                                  "Médiation et lien social"]


def test_inspired_by_is_given_by_title_and_stored_as_identifiers():
    titles = {"collectif-solution-uni-voisins": "Collectif Solution Uni’Voisins"}
    checked = check_draft(_draft(inspired_by="collectif solution uni'voisins"), titles=titles)
    assert checked.ok, checked.errors
    assert checked.record.inspired_by == ["collectif-solution-uni-voisins"]
    unknown = check_draft(_draft(inspired_by="Une pratique inconnue"), titles=titles)
    assert "Une pratique inconnue" in unknown.errors["inspired_by"][0]
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
    from kb.services.contributions import erasure

    record = check_draft(_draft()).record
    with bundled_runtime.session() as session:
        submissions.submit(session, record, name="Claire", email="Claire@Exemple.fr ")
        submissions.submit(session, record, name="Autre", email="autre@exemple.fr")
    with bundled_runtime.session() as session:
        assert erasure.forget_contributor(session, "claire@exemple.fr").records == 1
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
        # another last character (a token may end with "x" itself: 1 time in 64)
        assert submissions.find_by_token(session, token[:-1] + ("y" if token[-1] == "x" else "x")) is None
        assert submissions.find_by_token(session, "") is None
        assert submissions.find_by_token(session, "x" * 500) is None


def test_a_practice_without_city_is_accepted_as_a_correction_and_as_a_new_one():
    base = check_draft(_draft()).record
    base.slug, base.cities = "sans-ville", []
    draft = Draft.from_record(base, ["Médiation et lien social"])
    checked = check_draft(draft, base=base, contributor=False)
    assert checked.ok, checked.errors
    # the city is optional in the form as in the files: a source may give none
    new = check_draft(draft, contributor=False)
    assert new.ok and not new.errors.get("cities") and new.record.cities == []


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
