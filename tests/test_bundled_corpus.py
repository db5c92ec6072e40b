"""The bundled corpus: every practice and rendez-vous of the seed, sourced."""

from __future__ import annotations

from kb.config import ROOT
from kb.corpus import load_corpus
from kb.services.corpus import validate_folder
from kb.taxonomy import label_key

CORPUS = load_corpus(ROOT / "practices")


def test_bundled_corpus_has_no_error():
    corpus = validate_folder(None, ROOT / "practices")
    assert corpus.errors == [], [str(p) for p in corpus.errors]


def test_seed_practices_are_present():
    titles = " ".join(label_key(p.title + " " + p.summary) for p in CORPUS.practices)
    for words in ("emtr", "uni-voisins", "grajar", "slc-csf", "pouvoirs-publics"):
        assert words in titles, words


def test_the_five_rendez_vous_of_the_seed():
    dates = sorted(e.date.isoformat() for e in CORPUS.events)
    assert {"2024-11-14", "2024-12-02", "2024-12-19", "2025-01-14", "2025-01-20"} <= set(dates)
    # others only where a public page announces them with a date and a place
    assert all(e.place and e.sources for e in CORPUS.events
               if e.date.isoformat() not in ("2024-11-14", "2024-12-02", "2024-12-19",
                                             "2025-01-14", "2025-01-20"))


def test_every_record_names_a_source():
    for record in [*CORPUS.practices, *CORPUS.events]:
        assert record.sources, record.slug


def test_registries_cover_every_name_the_corpus_uses():
    names = {label_key(n) for o in CORPUS.organisations for n in [o.name, *o.aliases]}
    used = {n for p in CORPUS.practices for n in p.landlords + [x.name for x in p.partners]}
    used |= {n for e in CORPUS.events for n in e.organisers}
    assert {label_key(n) for n in used} <= names
    themes = {label_key(t.label) for t in CORPUS.themes}
    used_themes = {label_key(t) for p in CORPUS.practices for t in p.themes}
    assert used_themes <= themes


def test_no_private_person_named_in_the_corpus():
    # People named in the seed document: roles are written instead.
    names = ["Maillebuau", "Amanou", "Malochet", "Gosselin", "Dawny", "Mouelhi"]
    # People named in the public sources of the added practices (issue 14).
    names += ["Aubert", "Mouillé", "Triollet", "Eveno", "Haddad", "Valente", "Henneron",
              "Prudhomme", "Daher", "Ferron", "Bettiol", "Chassaniol", "Nazet", "Lablanche",
              "Cosyns", "Abaskar", "Guichard", "Bachowicz", "Delavaloire", "Vandeville"]
    # People named in the public sources of the practices added for issue 28.
    names += ["Borré", "Estrosi", "Nicoules", "Mougeolle", "Jourdas", "Jacquet", "Bartoli",
              "Dusseaux", "Rault", "Aafir", "Manceau", "Lefebvre", "Faye", "Mazas", "Mauchet",
              "Hachet", "Devillers", "Neyrat"]
    for path in (ROOT / "practices").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not any(name in text for name in names), path


# --- The bundled corpus is worth searching (issue 14) -------------------------

# The themes of the seed's conference and of its five rendez-vous; each must
# have at least MIN_PER_THEME practices so that a filter never returns one or two.
SEED_THEMES = (
    "Tranquillité résidentielle",
    "Médiation et lien social",
    "Gestion de proximité",
    "Maintien dans le logement",
    "Accès aux droits",
    "Santé mentale",
    "Insertion et emploi",
    "Prévention des expulsions",
)
MIN_PER_THEME = 4


def _canonical_organisations() -> dict[str, str]:
    names = {}
    for org in CORPUS.organisations:
        for name in [org.name, *org.aliases]:
            names[label_key(name)] = org.name
    return names


def test_corpus_has_forty_practices_from_fifteen_landlords_and_cities():
    canonical = _canonical_organisations()
    landlords = {canonical[label_key(n)] for p in CORPUS.practices for n in p.landlords}
    cities = {label_key(c) for p in CORPUS.practices for c in p.cities}
    assert len(CORPUS.practices) >= 40, len(CORPUS.practices)
    # Aliases count once: "3F" and "Immobilière 3F" are one landlord.
    assert len(landlords) >= 15, sorted(landlords)
    assert len(cities) >= 15, sorted(cities)


def test_every_seed_theme_has_at_least_four_practices():
    counts = {label_key(t): 0 for t in SEED_THEMES}
    for practice in CORPUS.practices:
        for theme in {label_key(t) for t in practice.themes}:
            if theme in counts:
                counts[theme] += 1
    thin = {t: n for t, n in counts.items() if n < MIN_PER_THEME}
    assert not thin, thin


def test_every_seed_theme_is_described_in_the_registry():
    described = {label_key(t.label) for t in CORPUS.themes if t.description}
    assert {label_key(t) for t in SEED_THEMES} <= described


def test_every_practice_cites_a_source_with_url_and_publisher():
    for practice in CORPUS.practices:
        cited = [s for s in practice.sources if s.url and s.url.startswith(("http://", "https://"))]
        assert cited, practice.slug
        assert all(s.publisher for s in practice.sources), practice.slug
        assert practice.last_verified is not None, practice.slug


def test_no_practice_is_filed_twice_under_two_slugs():
    import difflib

    seen_titles: dict[str, str] = {}
    seen_keys: dict[tuple, str] = {}
    canonical = _canonical_organisations()
    for practice in CORPUS.practices:
        title = label_key(practice.title)
        for other_title, other in seen_titles.items():
            ratio = difflib.SequenceMatcher(None, title, other_title).ratio()
            assert ratio < 0.9, (practice.slug, other, ratio)
        seen_titles[title] = practice.slug
        # Same sources and same organisations: the same practice written twice.
        organisations = frozenset(
            canonical.get(label_key(n), n)
            for n in [*practice.landlords, *(x.name for x in practice.partners)]
        )
        key = (frozenset(s.url for s in practice.sources if s.url), organisations)
        assert key not in seen_keys, (practice.slug, seen_keys.get(key))
        seen_keys[key] = practice.slug


def test_evidence_is_claimed_only_with_reported_results():
    # README rule: a level of evidence needs results reported by a source,
    # and the results are written in the practice's "Résultats" section.
    for practice in CORPUS.practices:
        if practice.evidence:
            assert "## Résultats" in practice.body, practice.slug


def test_rendez_vous_link_only_existing_practices():
    slugs = {p.slug for p in CORPUS.practices}
    linked = [s for e in CORPUS.events for s in e.practices]
    assert linked, "at least one rendez-vous names the practices it presents"
    assert set(linked) <= slugs


def test_named_partner_organisations_have_a_kind_and_the_key_ones_a_website():
    by_name = {label_key(o.name): o for o in CORPUS.organisations}
    for name in ("Céapsy", "Psycom", "CNLRQ", "CAF de Paris", "ADIL de Paris", "Fondation Abbé Pierre"):
        assert label_key(name) in by_name, name
    for name in ("Psycom", "CNLRQ", "CAF de Paris", "Fondation Abbé Pierre", "Union sociale pour l’habitat"):
        assert by_name[label_key(name)].website, name


def test_the_readme_names_every_publisher_the_sheets_cite():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    publishers = {s.publisher for p in CORPUS.practices for s in p.sources if s.publisher}
    assert publishers and not sorted(p for p in publishers if p not in readme)
