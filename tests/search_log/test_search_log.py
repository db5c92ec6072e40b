"""The moderators' search log: what is recorded, aggregated, kept, purged, and who sees it."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from sqlalchemy import inspect, select, text

from kb.models import SearchLogEntry
from kb.services import search_log as service


def _writer(app) -> service.SearchLogWriter:
    with app.app_context():
        from kb.web.search_log import writer

        return writer()


def _rows(runtime) -> list[tuple]:
    with runtime.session(write=False) as session:
        return [(r.day, r.query, r.filters, r.results) for r in
                session.scalars(select(SearchLogEntry).order_by(SearchLogEntry.id))]


def _flush(app) -> None:
    assert _writer(app).flush(10)


def test_the_search_page_and_the_api_record_query_filters_count_and_day(app, client, bundled_runtime):
    page = client.get("/recherche?q=  Tranquillité   RÉSIDENTIELLE &city=Paris")
    assert page.status_code == 200
    api = client.get("/api/v1/search?q=jeunes&landlord=Paris%20Habitat")
    assert api.status_code == 200
    _flush(app)
    today = dt.datetime.now(dt.UTC).date()
    total = api.get_json()["total"]
    rows = _rows(bundled_runtime)
    assert rows[0][:3] == (today, "tranquillité résidentielle", "city=paris")
    assert rows[0][3] > 0
    assert rows[1] == (today, "jeunes", "landlord=paris-habitat", total)


def test_only_first_pages_of_real_searches_are_recorded(app, client, bundled_runtime):
    client.get("/recherche")  # the empty search page
    client.get("/api/v1/search?q=tranquillité&offset=10")
    client.get("/themes/sante-mentale")  # a browsing page built on the search
    client.get("/recherche?q=zzzzqqq")
    _flush(app)
    assert [r[1:] for r in _rows(bundled_runtime)] == [("zzzzqqq", "", 0)]


def test_nothing_about_who_searched_is_stored(app, client, bundled_runtime):
    columns = {c["name"] for c in inspect(bundled_runtime.engine).get_columns("search_log")}
    assert columns == {"id", "day", "query", "filters", "results"}
    client.get("/recherche?q=expulsions", headers={"User-Agent": "Navigateur-Témoin/1.0",
                                                   "X-Forwarded-For": "203.0.113.77"},
               environ_base={"REMOTE_ADDR": "198.51.100.23"})
    _flush(app)
    with bundled_runtime.engine.connect() as connection:
        dumped = repr(connection.execute(text("SELECT * FROM search_log")).all())
    assert "expulsions" in dumped
    for secret in ("Navigateur-Témoin", "203.0.113.77", "198.51.100.23"):
        assert secret not in dumped


def test_the_search_answers_before_the_log_is_written(app, client, bundled_runtime):
    writer = _writer(app)
    release, entered = threading.Event(), threading.Event()
    real = writer.sessions

    def slow_session():
        entered.set()
        assert release.wait(10)
        return real()

    writer.sessions = slow_session
    try:
        response = client.get("/recherche?q=gardiens")
        assert response.status_code == 200 and entered.wait(10)
        assert _rows(bundled_runtime) == []  # answered while the writer is still blocked
    finally:
        release.set()
    _flush(app)
    assert [r[1] for r in _rows(bundled_runtime)] == ["gardiens"]


def test_a_database_error_in_the_log_is_logged_and_the_search_still_answers(app, client,
                                                                           bundled_runtime, caplog):
    with bundled_runtime.engine.begin() as connection:
        connection.execute(text("DROP TABLE search_log"))
    with caplog.at_level(logging.ERROR, logger="kb.services.search_log"):
        assert client.get("/recherche?q=médiation").status_code == 200
        assert client.get("/api/v1/search?q=médiation").status_code == 200
        _flush(app)
    assert any("could not be recorded" in r.getMessage() and r.exc_info for r in caplog.records)


def _seed(runtime, rows) -> None:
    with runtime.session() as session:
        session.execute(SearchLogEntry.__table__.insert(), [
            {"day": day, "query": q, "filters": f, "results": n} for day, q, f, n in rows])


def test_reports_give_frequent_and_missed_queries_over_30_and_90_days(bundled_runtime):
    today = dt.date(2026, 6, 30)
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    _seed(bundled_runtime, [
        *[(ago(1), "tranquillité", "", 7)] * 3,
        (ago(2), "équipe mobile nuit", "", 0), (ago(3), "équipe mobile nuit", "", 0),
        (ago(5), "ccapex", "city=paris", 1),
        (ago(29), "chantier jeunes", "", 2),
        (ago(30), "vieille recherche", "", 0),  # outside 30 days, inside 90
        *[(ago(60), "tranquillité", "", 7)] * 2,
        (ago(90), "trop vieille", "", 0),  # outside both
    ])
    with bundled_runtime.session(write=False) as session:
        month, quarter = service.search_reports(session, now=today)
    assert (month.days, month.total) == (30, 7)
    assert [(s.query, s.searches) for s in month.frequent] == [
        ("tranquillité", 3), ("équipe mobile nuit", 2), ("ccapex", 1), ("chantier jeunes", 1)]
    assert [(s.query, s.filters, s.results) for s in month.missed] == [
        ("équipe mobile nuit", "", 0), ("ccapex", "city=paris", 1), ("chantier jeunes", "", 2)]
    assert month.missed[0].last_day == ago(2)
    assert (quarter.days, quarter.total) == (90, 10)
    assert quarter.frequent[0].query == "tranquillité" and quarter.frequent[0].searches == 5
    assert "vieille recherche" in [s.query for s in quarter.missed]
    assert "trop vieille" not in [s.query for s in quarter.frequent]


def test_the_page_is_for_logged_in_moderators_only(client, mod_client, bundled_runtime):
    today = dt.datetime.now(dt.UTC).date()
    _seed(bundled_runtime, [(today, "équipe mobile signalement nuit", "city=paris", 0),
                            (today, "tranquillité", "", 7)])
    anonymous = client.get("/moderation/recherches")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/moderation/connexion")
    page = mod_client.get("/moderation/recherches")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Les 30 derniers jours" in html and "Les 90 derniers jours" in html
    missed = html.split("Recherches sans résultat")[1]
    assert "équipe mobile signalement nuit" in missed and "Villes : paris" in missed
    assert "tranquillité" not in missed.split("Les 90 derniers jours")[0]
    assert 'href="/recherche?q=tranquillit%C3%A9"' in html
    english = mod_client.get("/moderation/recherches?lang=en").get_data(as_text=True)
    assert "What visitors search for" in english and "The last 30 days" in english


def test_retention_is_applied_by_the_writer_and_by_the_purge_command(app, client, bundled_runtime,
                                                                     runner, monkeypatch):
    today = dt.datetime.now(dt.UTC).date()
    _seed(bundled_runtime, [(today - dt.timedelta(days=d), f"il y a {d} jours", "", 0)
                            for d in (0, 10, 179, 180, 400)])
    client.get("/recherche?q=nouvelle")  # the day's first write purges past 180 days
    _flush(app)
    assert {r[1] for r in _rows(bundled_runtime)} == {
        "il y a 0 jours", "il y a 10 jours", "il y a 179 jours", "nouvelle"}
    monkeypatch.setenv("KB_SEARCH_LOG_DAYS", "30")
    result = runner("search-log", "purge")
    assert result.exit_code == 0 and "1 recherche(s) effacée(s)" in result.output
    assert runner("search-log", "purge", "--days", "5").output.startswith("1 recherche(s)")
    assert {r[1] for r in _rows(bundled_runtime)} == {"il y a 0 jours", "nouvelle"}
    assert runner("search-log", "purge", "--days", "0").output.startswith("2 recherche(s)")
    assert _rows(bundled_runtime) == []


def test_a_retention_of_zero_turns_the_log_off(bundled_runtime):
    from dataclasses import replace

    from kb import create_app

    bundled_runtime.settings = replace(bundled_runtime.settings, search_log_days=0)
    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=bundled_runtime)
    assert app.test_client().get("/recherche?q=jardin").status_code == 200
    _flush(app)
    assert _rows(bundled_runtime) == []


@pytest.mark.parametrize(("typed", "stored"), [
    ("  Équipe   Mobile ", "équipe mobile"), ("GUP", "gup"), ("x" * 400, "x" * 300), ("", "")])
def test_queries_are_normalised(typed, stored):
    assert service.normalise_query(typed) == stored
