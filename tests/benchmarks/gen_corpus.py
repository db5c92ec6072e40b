"""Seeded generator of SYNTHETIC French social-housing practices (benchmarks only).

Every practice is invented: titles say "(synthétique)", bodies are recombined
stock sentences. ``generate(n, seed)`` returns ``IndexDocument`` objects;
``write_markdown(docs, folder)`` writes one Markdown file per practice (YAML
front matter + body), the file stem being the slug.

    .venv/bin/python -m tests.benchmarks.gen_corpus 1000 /tmp/practices
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
from pathlib import Path

from kb.search.documents import IndexDocument, Named
from kb.taxonomy import slugify

THEMES = [
    "Tranquillité résidentielle", "Insertion par l'emploi", "Santé mentale",
    "Impayés et prévention des expulsions", "Jeunesse", "Vieillissement et autonomie",
    "Médiation et lien social", "Transition écologique", "Gestion urbaine de proximité",
    "Accompagnement social", "Participation des habitants", "Accès au logement",
]
LANDLORDS = [
    ("Paris Habitat", ()), ("Immobilière 3F", ("3F", "I3F")), ("CDC Habitat", ()),
    ("Seine-Saint-Denis Habitat", ()), ("Rouen Habitat", ()), ("Lyon Métropole Habitat", ()),
    ("Habitat 76", ()), ("Logirep", ()), ("Vilogia", ()), ("Est Métropole Habitat", ()),
    ("Grand Lyon Habitat", ()), ("Nantes Métropole Habitat", ()), ("Aquitanis", ()),
    ("Habitat du Nord", ()), ("Partenord Habitat", ()), ("Lille Métropole Habitat", ()),
    ("Toulouse Métropole Habitat", ()), ("Marseille Habitat", ()), ("13 Habitat", ()),
    ("Logement Francilien", ()), ("Emmaüs Habitat", ()), ("Valophis", ()),
    ("Essonne Habitat", ()), ("Hauts-de-Seine Habitat", ("HDSH",)), ("Val d'Oise Habitat", ()),
    ("Néolia", ()), ("Habitat 44", ()), ("Angers Loire Habitat", ()), ("Podeliha", ()),
    ("Domofrance", ()), ("Gironde Habitat", ()), ("Grand Dijon Habitat", ()),
    ("Opac du Rhône", ("OPAC",)), ("Alliade Habitat", ()), ("Dynacité", ()),
    ("Habitat Sud Atlantic", ()), ("Erilia", ()), ("Unicil", ()), ("Logeo Seine", ()),
    ("Habitat 62/59", ()), ("Maisons & Cités", ()), ("Uni'Voisins", ()),
]
CITIES = [
    "Paris", "Rouen", "Lyon", "Marseille", "Lille", "Toulouse", "Nantes", "Bordeaux",
    "Saint-Denis", "Aubervilliers", "Montreuil", "Villeurbanne", "Vénissieux", "Roubaix",
    "Tourcoing", "Le Havre", "Évry-Courcouronnes", "Sarcelles", "Grigny", "Clichy-sous-Bois",
    "Angers", "Dijon", "Rennes", "Strasbourg", "Mulhouse", "Metz", "Nancy", "Reims", "Amiens",
    "Orléans", "Tours", "Poitiers", "Limoges", "Clermont-Ferrand", "Saint-Étienne",
    "Grenoble", "Nice", "Toulon", "Montpellier", "Nîmes", "Perpignan", "Béziers", "Pau",
    "Bayonne", "Brest", "Lorient", "Caen", "Cherbourg-en-Cotentin", "Le Mans", "Laval",
    "Besançon", "Belfort", "Valence", "Avignon", "Arles", "Bobigny", "Créteil", "Nanterre",
    "Argenteuil", "Cergy", "Mantes-la-Jolie", "Saint-Nazaire",
]
DISTRICTS = [
    "Les Tarterets", "La Grande-Borne", "Les Minguettes", "Le Mirail", "La Castellane",
    "Les Hauts-de-Rouen", "Le Val-Fourré", "Les Aubiers", "La Paillade", "Bellevue",
    "Le Neuhof", "L'Alma", "Les Quatre-Chemins", "Franc-Moisin", "La Duchère",
]
AUDIENCES = ["Jeunes", "Seniors", "Familles", "Personnes isolées", "Locataires",
             "Gardiens", "Demandeurs d'emploi", "Personnes en situation de handicap"]
STATUSES = [("en-cours", "En cours"), ("terminee", "Terminée"), ("experimentale", "Expérimentale")]
EVIDENCE = [("evaluee", "Évaluée"), ("documentee", "Documentée"), ("temoignage", "Témoignage")]
PARTNERS = ["CAF", "CCAS", "Pôle emploi", "ARS", "Mission locale", "Préfecture", "FSL",
            "CCAPEX", "Centre social", "Association de médiation", "ACI", "Régie de quartier"]

SUBJECTS = [
    "Le bailleur", "L'équipe de proximité", "Le gardien", "La médiatrice sociale",
    "Le conseiller en économie sociale et familiale", "L'association partenaire",
    "Un collectif d'habitants", "Le chargé de développement social", "Les éducateurs",
    "La mission locale", "Le centre social", "La régie de quartier",
]
VERBS = [
    "accompagne", "organise", "repère", "mobilise", "informe", "oriente", "soutient",
    "coordonne", "anime", "évalue", "rencontre", "forme",
]
OBJECTS = [
    "les locataires en situation d'impayé", "les jeunes du quartier prioritaire (QPV)",
    "les familles menacées d'expulsion locative", "les personnes âgées isolées",
    "les habitants des résidences", "les demandeurs d'emploi", "les nouveaux entrants",
    "les ménages en difficulté", "les copropriétaires fragiles", "les gardiens d'immeuble",
    "les publics éloignés de l'emploi", "les personnes souffrant de troubles psychiques",
]
COMPLEMENTS = [
    "grâce à des permanences hebdomadaires en pied d'immeuble",
    "avec l'appui de la CAF et du FSL", "dans le cadre de la CCAPEX",
    "en lien avec un atelier chantier d'insertion (ACI)", "au cœur du quartier",
    "pour renforcer la tranquillité résidentielle", "afin de prévenir les dettes locatives",
    "à travers des chantiers éducatifs rémunérés", "en s'appuyant sur la médiation de nuit",
    "dans une zone à trafic limité (TZNR)", "par des visites à domicile régulières",
    "avec une mise en œuvre progressive sur trois ans", "dans le 18e arrondissement",
    "pour améliorer le cadre de vie et la gestion des déchets",
    "en favorisant la participation des habitants aux décisions",
    "grâce à un partenariat avec les services de santé mentale",
]
OUTCOMES = [
    "Les impayés ont baissé de façon sensible.", "Le nombre d'expulsions a diminué.",
    "Les habitants se disent plus en sécurité.", "Plusieurs jeunes ont trouvé un emploi durable.",
    "Le lien social s'est renforcé entre voisins.", "Les incivilités ont reculé dans les halls.",
    "L'évaluation reste à conduire.", "Les partenaires souhaitent étendre l'action.",
    "La consommation d'énergie a été réduite.", "Les troubles de voisinage sont mieux traités.",
]


def _zipf_choice(rng: random.Random, items: list, s: float = 1.1):
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights=weights, k=1)[0]


def _named(label: str, aliases: tuple[str, ...] = ()) -> Named:
    return Named(slugify(label), label, aliases)


def _body(rng: random.Random) -> str:
    target = rng.randint(300, 500)
    words = 0
    paragraphs: list[str] = []
    heading = ["## Contexte", "## Mise en œuvre", "## Résultats", "## Partenaires"]
    while words < target:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            s = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                 f"{rng.choice(COMPLEMENTS)}.")
            if rng.random() < 0.3:
                s += " " + rng.choice(OUTCOMES)
            sentences.append(s)
        para = " ".join(sentences)
        if rng.random() < 0.2:
            para = "- **" + para
        words += len(para.split())
        if len(paragraphs) % 2 == 0 and len(paragraphs) // 2 < len(heading):
            paragraphs.append(heading[len(paragraphs) // 2])
        paragraphs.append(para)
    return "\n\n".join(paragraphs)


def generate(n: int, seed: int = 42) -> list[IndexDocument]:
    """``n`` synthetic practices, identical for one seed."""
    rng = random.Random(seed)
    docs = []
    base = dt.datetime(2020, 1, 1)
    for i in range(n):
        themes = rng.sample(THEMES, rng.randint(1, 3))
        landlords = [_zipf_choice(rng, LANDLORDS) for _ in range(rng.randint(1, 2))]
        landlords = list(dict.fromkeys(landlords))
        city = _zipf_choice(rng, CITIES)
        title = f"{themes[0]} : {rng.choice(VERBS)} {rng.choice(OBJECTS)} à {city}"
        title = f"{title[0].upper()}{title[1:]} (synthétique {i})"
        summary = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                   f"{rng.choice(COMPLEMENTS)}. {rng.choice(OUTCOMES)}")
        status = rng.choice(STATUSES)
        evidence = rng.choice(EVIDENCE)
        doc = IndexDocument(
            slug=f"pratique-synthetique-{i:06d}",
            title=title,
            summary=summary,
            body=_body(rng),
            themes=tuple(_named(t) for t in themes),
            landlords=tuple(_named(label, aliases) for label, aliases in landlords),
            partners=tuple(_named(p) for p in rng.sample(PARTNERS, rng.randint(0, 3))),
            cities=(_named(city),),
            districts=tuple(_named(d) for d in rng.sample(DISTRICTS, rng.randint(0, 1))),
            audiences=tuple(_named(a) for a in rng.sample(AUDIENCES, rng.randint(1, 2))),
            status=Named(*status),
            evidence=Named(*evidence),
            start_year=rng.randint(2008, 2025),
            updated=base + dt.timedelta(days=rng.randint(0, 2000), seconds=i),
        )
        fp = hashlib.sha1(repr(doc).encode()).hexdigest()[:16]
        docs.append(IndexDocument(**{**doc.__dict__, "fingerprint": fp}))
    return docs


def _yaml_list(items) -> str:
    return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in items) + "]"


def write_markdown(docs: list[IndexDocument], folder: Path) -> None:
    """Write one ``<slug>.md`` per practice: YAML front matter, then the body."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        lines = [
            "---",
            f"title: {q(d.title)}",
            f"summary: {q(d.summary)}",
            f"themes: {_yaml_list(n.label for n in d.themes)}",
            f"landlords: {_yaml_list(n.label for n in d.landlords)}",
            f"partners: {_yaml_list(n.label for n in d.partners)}",
            f"cities: {_yaml_list(n.label for n in d.cities)}",
            f"districts: {_yaml_list(n.label for n in d.districts)}",
            f"audiences: {_yaml_list(n.label for n in d.audiences)}",
            f"status: {q(d.status.label) if d.status else 'null'}",
            f"evidence: {q(d.evidence.label) if d.evidence else 'null'}",
            f"start_year: {d.start_year if d.start_year is not None else 'null'}",
            f"updated: {d.updated.isoformat()}",
            "---",
            "",
            d.body,
            "",
        ]
        (folder / f"{d.slug}.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Write synthetic practices as Markdown.")
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write_markdown(generate(args.n, args.seed), args.folder)


if __name__ == "__main__":
    main()
