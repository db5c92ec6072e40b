"""Every route that renders an HTML page, with example URLs: the lists the axe and Nu tests check.

**Adding a route.** ``test_every_html_route_has_an_example`` fails when the
app's URL map has a GET route in neither table below. Then either:

- add ``"blueprint.endpoint": ["/example/url", ...]`` to ``PAGES`` (the first
  URL is also checked in English and at both widths by axe; a URL may use the
  placeholders of :func:`prepare_site`: ``{follow}``, ``{pending}``,
  ``{history}``; endpoints under ``moderation.`` except the login page are
  fetched logged in as a moderator), or
- add it to ``NOT_PAGES`` with the reason it renders no HTML page (JSON,
  feed, file download...).

If the page needs data the synthetic corpus lacks (an item of a new
moderation list, say), create it in :func:`prepare_site`, through the app
itself, and add a placeholder.
"""

from __future__ import annotations

PAGES: dict[str, list[str]] = {
    "pages.home": ["/"],
    "pages.about": ["/a-propos"],
    "search.results": [
        "/recherche?q=jardin&theme=theme-synthetique-1&theme=theme-synthetique-2",
        "/recherche", "/recherche?sort=title&page=2", "/recherche?q=zzzqqq&city=rouen",
        "/recherche?q=jardinsge", "/recherche?q=le+la+les", "/recherche?q=jardinage+zorglub",
        "/recherche?q=terme+synthétique",  # widened by the thesaurus: "Recherche élargie à"
    ],
    "practices.show": ["/pratiques/alpha-mediation", "/pratiques/gamma-piegee",
                       "/pratiques/beta-insertion", "/pratiques/inconnue"],
    "browse.themes": ["/themes"],
    "browse.theme": ["/themes/tranquillite-residentielle",
                     "/themes/theme-synthetique-1?city=ville-fictive"],
    "browse.landlords": ["/bailleurs"],
    "browse.landlord": ["/bailleurs/office-test-habitat"],
    "browse.cities": ["/villes"],
    "browse.city": ["/villes/rouen"],
    "events.index": ["/rendez-vous"],
    "events.show": ["/rendez-vous/rencontre-future", "/rendez-vous/rencontre-test"],
    "panorama.index": ["/panorama", "/panorama?theme=theme-synthetique-1"],
    "contribute.new": ["/contribuer"],
    "contribute.correct": ["/pratiques/beta-insertion/corriger"],
    "contribute.follow": ["{follow}"],
    "contribute.history": ["/pratiques/{history}/historique"],
    "contribute.history_diff": ["/pratiques/{history}/historique/diff?de=1&a=2"],
    "moderation.login": ["/moderation/connexion"],
    "moderation.queue": ["/moderation"],
    "moderation.item": ["/moderation/{pending}"],
    "moderation.edit": ["/moderation/{pending}/modifier"],
    "moderation.practices": ["/moderation/pratiques"],
    "moderation.journal": ["/moderation/journal"],
    "moderation.history": ["/moderation/pratiques/{history}/historique"],
    "pages.legal": ["/mentions-legales"],
    "opendata.page": ["/donnees"],
    "partners.index": ["/partenaires"],
    "partners.show": ["/partenaires/association-exemple"],
    "glossary.index": ["/glossaire"],
    "glossary.propose": ["/glossaire/proposer"],
    "glossary.moderation.moderation": ["/moderation/glossaire"],
    "glossary.moderation.edit": ["/moderation/glossaire/{acronym}/modifier"],
    "thesaurus.index": ["/thesaurus"],
    "thesaurus.propose": ["/thesaurus/proposer"],
    "thesaurus.moderation.moderation": ["/moderation/thesaurus"],
    "thesaurus.moderation.edit": ["/moderation/thesaurus/{thesaurus_group}/modifier"],
    "search_log.index": ["/moderation/recherches"],
}

NOT_PAGES: dict[str, str] = {
    "static": "CSS, JavaScript and images",
    "contribute.similar": "JSON for the form's script",
    "contribute.thanks": "the result page of a sent form, shown only to the browser that sent it "
                         "(elsewhere a 303 to the form); its HTML is checked after real "
                         "submissions in tests/contribute/test_page_quality.py",
    "moderation.markdown": "a Markdown file to download",
    "exports.agenda_ics": "iCalendar", "exports.event_ics": "iCalendar",
    "opendata.practices_schema": "JSON (Table Schema)", "opendata.search_xlsx": "a spreadsheet",
    "opendata.sheet_template": "a spreadsheet",
    "exports.robots": "text", "exports.search_csv": "CSV", "exports.sitemap": "XML",
    "feeds.partner": "Atom",
    "practices.markdown": "a Markdown file to download",
    "practices.pdf": "a PDF file to download",
    "feeds.city": "Atom", "feeds.everything": "Atom", "feeds.landlord": "Atom", "feeds.theme": "Atom",
}
NOT_PAGE_PREFIXES = ("api.",)  # the JSON API, checked against its OpenAPI document

NOT_FOUND = {"/pratiques/inconnue"}  # examples that show the 404 page


MODERATOR_ONLY = ("moderation.", "glossary.moderation.", "thesaurus.moderation.", "search_log.")


def needs_login(endpoint: str) -> bool:
    return endpoint.startswith(MODERATOR_ONLY) and endpoint != "moderation.login"


def html_endpoints(app) -> set[str]:
    """Endpoints answering GET that are not known to render something other than a page."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
            and not rule.endpoint.startswith(NOT_PAGE_PREFIXES)}


def examples(*, english: str = "first") -> list[tuple[str, str, str]]:
    """``(name, endpoint, url template)`` for every example, plus English versions.

    ``english="first"``: the first example of each endpoint in English too;
    ``"all"``: every example. Fill a template with ``.format(**prepare_site(app))``.
    """
    found = []
    for endpoint, urls in sorted(PAGES.items()):
        for n, template in enumerate(urls):
            found.append((f"{endpoint}-{n}", endpoint, template))
            if english == "all" or n == 0:
                joiner = "&" if "?" in template else "?"
                found.append((f"{endpoint}-{n}-en", endpoint, f"{template}{joiner}lang=en"))
    return found


MODERATOR = ("moderation@exemple.test", "mot-de-passe-de-test-42")


NEUTRAL = {  # words no other test searches for, so that the counts they check stay the same
    "title": "Atelier synthétique de réparation de vélos",
    "summary": "Un atelier synthétique où les habitants réparent leurs vélos ensemble.",
    "body": "## Contexte\n\nTexte synthétique : un local à vélos devenu atelier partagé.\n",
    "themes": ["Médiation et lien social"], "cities": "Montreuil-sur-Loire", "districts": "",
}
HISTORY = "atelier-synthetique-de-reparation-de-velos"
ACRONYM = "TSX"  # a synthetic glossary term, for the moderators' edit page


def prepare_site(app) -> dict[str, str]:
    """Create, through the app, what the pages need; returns the URL placeholders.

    A moderator account; a contributed practice published, then corrected (so
    that its history has two versions); and a pending contribution (its private
    follow-up link, and its id for the moderation pages). All synthetic.
    """
    from kb import storage
    from kb.corpus.glossary import GlossaryRecord
    from kb.corpus.thesaurus import ThesaurusRecord
    from kb.services.contributions.moderators import add_moderator
    from tests.contribute.support import login, mod_post, pending_id, submit

    runtime = app.extensions["kb"]
    with runtime.session() as session:
        add_moderator(session, *MODERATOR)
        storage.save_glossary_term(session, GlossaryRecord(
            ACRONYM, "terme synthétique de test", "Une définition synthétique."))
        storage.save_thesaurus_group(session, ThesaurusRecord(
            ("terme synthétique", "équivalent synthétique"), ("atelier partagé",)))
        session.flush()
        group_id = storage.thesaurus_group_by_label(session, "terme synthétique").id
    moderator = app.test_client()
    assert login(moderator, *MODERATOR).status_code == 303
    visitor = app.test_client()

    def publish() -> None:
        assert mod_post(moderator, f"/moderation/{pending_id(runtime)}/publier").status_code == 303

    submit(visitor, **NEUTRAL)
    publish()
    submit(visitor, f"/pratiques/{HISTORY}/corriger",
           **{**NEUTRAL, "summary": "Un atelier synthétique où les habitants réparent vélos et poussettes.",
              "change_note": "Ajout des poussettes (correction synthétique)."})
    publish()
    follow = submit(visitor, **{**NEUTRAL, "title": "Atelier synthétique de couture"})
    return {"follow": follow, "pending": str(pending_id(runtime)), "history": HISTORY,
            "acronym": ACRONYM, "thesaurus_group": str(group_id)}
