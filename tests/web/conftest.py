"""Web fixtures: the synthetic fixture corpus plus generated synthetic practices.

The extra files are written into this test's copy of the corpus, never into
``tests/fixtures/corpus``. Everything here is invented test data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

THEMES = [f"Thème synthétique {n}" for n in range(10)]
LANDLORDS = ["Office Test Habitat", "Bailleur Fictif Nord", "Bailleur Fictif Sud"]
CITIES = ["Rouen", "Ville Fictive", "Bourg Imaginaire", "Saint-Étienne"]
STATUSES = ["en projet", "expérimentation", "en cours", "terminée", "essaimée"]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
EXTRA = 23  # with the two fixture practices: 25, i.e. three pages of ten

XSS_BODY = """## Contexte

<script>alert('body')</script>

<img src=x onerror="alert('img')">

[lien piégé](javascript:alert('link')) et [données](data:text/html;base64,PHNjcmlwdD4=)

<a href="https://example.org" onclick="alert('a')" style="color:red">ancre brute</a>

![image sans alt](https://example.org/x.png)

# Un titre de niveau 1 dans le corps

Un [lien normal](https://example.org/page).
"""


def practice_text(n: int) -> str:
    return f"""---
title: Pratique synthétique numéro {n:02d}
summary: Résumé synthétique {n:02d} pour les tests de la recherche ; jardinage partagé.
themes:
  - {THEMES[n % 10]}
landlords:
  - {LANDLORDS[n % 3]}
cities:
  - {CITIES[n % 4]}
audiences:
  - locataires
status: {STATUSES[n % 5]}
started: {2010 + n % 10}
evidence: prometteuse
---

## Contexte

Texte synthétique {n:02d} : un jardin partagé en pied d'immeuble.
"""


def write_practices(folder: Path, numbers) -> None:
    for n in numbers:
        (folder / f"synthetique-{n:02d}.md").write_text(practice_text(n), encoding="utf-8")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """The fixture corpus plus generated synthetic practices and an upcoming event."""
    return build_corpus(tmp_path / "corpus")


def build_corpus(target: Path) -> Path:
    """Copy the fixture corpus to ``target`` and add the web tests' synthetic files."""
    import shutil

    shutil.copytree(FIXTURES, target)
    write_practices(target, range(1, EXTRA + 1))
    (target / "gamma-piegee.md").write_text(f"""---
title: Pratique piégée (synthétique)
summary: Un corps qui essaie d'injecter du HTML.
themes:
  - Insertion et emploi
landlords:
  - Bailleur Fictif Nord
cities:
  - Rouen
inspired_by:
  - alpha-mediation
sources:
  - title: Source sans adresse
---

{XSS_BODY}""", encoding="utf-8")
    soon = dt.date.today() + dt.timedelta(days=30)
    (target / "rendez-vous" / "rencontre-future.md").write_text(f"""---
title: Rencontre future (synthétique)
date: {soon.isoformat()}
place: Salle fictive, Rouen
organisers:
  - Office Test Habitat
themes:
  - Tranquillité résidentielle
practices:
  - alpha-mediation
  - gamma-piegee
summary: Rendez-vous inventé, toujours dans un mois.
---

Programme synthétique.
""", encoding="utf-8")
    return target


@contextmanager
def corpus_app(folder: Path, secret: str) -> Iterator:
    """A kb app on a fresh SQLite base and index in ``folder``, holding ``build_corpus``'s files."""
    from kb import create_app
    from kb.config import Settings
    from kb.runtime import Runtime
    from kb.services.corpus import import_folder
    from kb.services.indexing import rebuild_index

    corpus = build_corpus(folder / "corpus")
    runtime = Runtime.open(Settings(database_url=f"sqlite:///{folder / 'kb.sqlite'}",
                                    index_dir=folder / "index", corpus_dir=corpus))
    try:
        runtime.upgrade()
        with runtime.session() as session:
            import_folder(session, corpus)
        with runtime.session(write=False) as session:
            rebuild_index(session, runtime.index)
        yield create_app({"SECRET_KEY": secret}, runtime=runtime)
    finally:
        runtime.close()


def set_published(runtime, slug: str, published: bool) -> None:
    """Publish or withdraw a practice and bring the index up to date."""
    from sqlalchemy import select

    from kb.models import Practice
    from kb.services.indexing import sync_index

    with runtime.session() as session:
        session.scalars(select(Practice).where(Practice.slug == slug)).one().published = published
    with runtime.session(write=False) as session:
        sync_index(session, runtime.index, [slug])
