"""A SYNTHETIC corpus for the search tests, built in code (invented practices)."""

from __future__ import annotations

import datetime as dt

from kb.search import IndexDocument, Named


def named(slug: str, label: str, *aliases: str) -> Named:
    return Named(slug, label, tuple(aliases))


THEME_TRANQ = named("tranquillite-residentielle", "Tranquillité résidentielle")
THEME_EMPLOI = named("insertion-par-l-emploi", "Insertion par l’emploi")
THEME_IMPAYES = named("impayes", "Impayés et expulsions")
PH = named("paris-habitat", "Paris Habitat")
I3F = named("immobiliere-3f", "Immobilière 3F", "3F", "I3F")
ROUEN_H = named("rouen-habitat", "Rouen Habitat")
PARIS = named("paris", "Paris")
ROUEN = named("rouen", "Rouen")
SSD = named("seine-saint-denis", "Seine-Saint-Denis")
EN_COURS = named("en-cours", "En cours")
TERMINEE = named("terminee", "Terminée")
EVALUEE = named("evaluee", "Évaluée")
JEUNES = named("jeunes", "Jeunes")


def doc(slug: str, title: str, summary: str = "", body: str = "", **kw) -> IndexDocument:
    kw.setdefault("updated", dt.datetime(2024, 1, 1))
    kw.setdefault("fingerprint", "fp-" + slug)
    return IndexDocument(slug=slug, title=title, summary=summary, body=body, **kw)


# Synthetic practices, written for these tests (not real projects).
CORPUS = [
    doc("mediation-nuit", "Médiation de nuit dans les halls",
        "Des médiateurs assurent la tranquillité résidentielle la nuit.",
        "## Contexte\n\nLes **incivilités** gênaient les locataires. La mise en œuvre "
        "a commencé en 2019 au cœur du quartier prioritaire (QPV).",
        themes=(THEME_TRANQ,), landlords=(PH,), cities=(PARIS,), status=EN_COURS,
        evidence=EVALUEE, start_year=2019, districts=(named("goutte-d-or", "La Goutte-d’Or"),),
        updated=dt.datetime(2024, 5, 1)),
    doc("chantiers-educatifs", "Chantiers éducatifs rémunérés",
        "Des éducateurs encadrent des jeunes sur des chantiers d’insertion.",
        "Un atelier chantier d'insertion (ACI) accueille les jeunes du 18e arrondissement.",
        themes=(THEME_EMPLOI,), landlords=(I3F,), cities=(PARIS,), audiences=(JEUNES,),
        status=TERMINEE, start_year=2018, updated=dt.datetime(2023, 3, 1)),
    doc("prevention-expulsions", "Prévention des expulsions locatives",
        "Repérer tôt les impayés de loyer avec la CAF et le FSL.",
        "La commission CCAPEX examine les dossiers. Une dette locative est traitée "
        "avant l'assignation.",
        themes=(THEME_IMPAYES,), landlords=(ROUEN_H,), cities=(ROUEN,), status=EN_COURS,
        start_year=2021, updated=dt.datetime(2024, 8, 1)),
    doc("uni-voisins", "Le réseau Uni’Voisins",
        "Un réseau d'entraide entre voisins en Seine-Saint-Denis.",
        "Les habitants d’Uni'Voisins organisent des cafés solidaires.",
        themes=(THEME_TRANQ,), landlords=(PH,), cities=(SSD,), partners=(named("caf", "CAF"),),
        status=EN_COURS, start_year=2022, updated=dt.datetime(2022, 1, 1)),
    doc("loi-education", "Une loi pour les éducatifs",
        "Texte sur la loi et les dispositifs éducatifs.",
        "Un café associatif au cœur d'une œuvre collective. Les gardiennes veillent.",
        themes=(THEME_EMPLOI,), landlords=(ROUEN_H,), cities=(ROUEN,), status=TERMINEE,
        start_year=2018, updated=dt.datetime(2020, 1, 1)),
    doc("insertion-emploi-tznr", "Emploi des jeunes en zone TZNR",
        "Accompagnement vers l’emploi avec la mission locale.",
        "L'accompagnement individuel dure six mois. " * 3,
        themes=(THEME_EMPLOI, THEME_TRANQ), landlords=(I3F, ROUEN_H), cities=(ROUEN,),
        audiences=(JEUNES,), status=EN_COURS, start_year=2023, updated=dt.datetime(2024, 9, 1)),
]


