"""Seeded generator of SYNTHETIC French social-housing practices (benchmarks only).

Every practice is invented (titles end with "(synthétique N)"). The text is
not real prose, but its statistics try to be: words are drawn from a Zipf
distribution (s = 1.0) over a vocabulary of about 2,700 French word forms
(≈560 lemmas: nouns, adjectives, verbs, inflected), domain terms included, with
about 45 % function words (removed as stop words at indexing), recurring
multi-word expressions ("lien social", "mise en œuvre", "dette locative"...) and
a topic bias: each practice over-uses the words of its themes. So a few words
match most practices, most words match few, like a real corpus; a query word
is not guaranteed to match 90 % of the documents.

Bodies are 300-500 words under the corpus sections (## Contexte, ## Objectifs,
## Mise en œuvre, then sometimes ## Résultats / ## Points de vigilance).

``generate(n, seed)`` returns ``IndexDocument`` objects (for raw index
benchmarks); ``write_practices(n, folder, seed)`` writes real practice files in
the kb/corpus format (YAML front matter + body), loadable by
``kb.corpus.load_corpus`` with zero errors.

    .venv/bin/python -m tests.benchmarks.gen_corpus 1000 /tmp/practices
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from itertools import accumulate
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
STATUSES = ["en projet", "expérimentation", "en cours", "terminée", "essaimée"]  # kb.models
EVIDENCE = ["émergente", "prometteuse", "éprouvée"]
PARTNERS = ["CAF", "CCAS", "Pôle emploi", "ARS", "Mission locale", "Préfecture", "FSL",
            "CCAPEX", "Centre social", "Association de médiation", "ACI", "Régie de quartier"]


# -- vocabulary (lemmas, roughly in decreasing frequency for this genre) ---------

NOUNS = """
habitant locataire logement quartier action projet bailleur résidence association partenaire
équipe jeune famille gardien accompagnement immeuble ville service situation médiation
dispositif commune acteur professionnel personne public territoire difficulté besoin temps
année mois semaine jour activité atelier réunion rencontre permanence lien vie cadre
tranquillité sécurité sûreté incivilité nuisance conflit voisin voisinage dialogue emploi
insertion formation chantier travail santé droit aide ménage dette loyer impayé expulsion
procédure prévention relogement charge contrat bail agence proximité patrimoine hall
escalier cave parking espace jardin local salle bureau centre maison école collège enfant
parent adolescent senior retraité âge autonomie handicap isolement solitude visite domicile
appel courrier information outil guide diagnostic enquête étude évaluation bilan résultat
objectif moyen budget financement subvention coût convention charte protocole comité
instance conseil commission élu maire mairie préfecture état département région métropole
police gendarmerie justice tribunal juge huissier avocat commissaire délégué référent
coordinateur animateur éducateur médiateur travailleur assistant conseiller agent
responsable directeur chef chargé salarié bénévole stagiaire volontaire collectif groupe
réseau plateforme cellule pôle mission programme plan stratégie démarche méthode approche
expérimentation pilote essaimage déploiement extension pérennisation reconduction
renouvellement rénovation réhabilitation travaux entretien propreté déchet encombrant tri
recyclage énergie chauffage consommation facture eau électricité isolation précarité
pauvreté revenu allocation prestation recours accès orientation repérage signalement
alerte urgence crise trouble souffrance soin psychiatrie psychologue infirmier médecin
hôpital addiction alcool drogue trafic deal point squat occupation rassemblement bruit
tapage dégradation vandalisme tag graffiti vol agression violence peur sentiment
confiance respect règle règlement sanction rappel médiateur nuit soirée week-end été
vacances sortie séjour fête repas goûter café jardinage potager compost sport football
culture musique théâtre exposition fresque peinture chantier-école apprentissage
qualification compétence diplôme stage contrat-aidé entreprise employeur recrutement
candidat demandeur offre poste métier filière clause marché achat prestataire régie
sous-traitance gestion organisation fonctionnement coordination pilotage gouvernance
suivi évaluation indicateur tableau donnée chiffre taux nombre part hausse baisse
évolution tendance impact effet changement amélioration progrès réussite succès échec
limite frein obstacle contrainte risque vigilance point condition facteur levier clé
réponse solution proposition idée initiative innovation expérience pratique savoir-faire
témoignage récit parole écoute échange discussion concertation consultation participation
implication engagement mobilisation pouvoir citoyenneté démocratie représentation amicale
fédération union syndicat confédération CNL CLCV CSF AFOC CCAS CAF FSL CCAPEX ADIL ARS
QPV ANRU NPNRU GUP TFPB CLSPD CLS CMP SIAO PDALHPD APL RSA ACI EPCI OPH ESH SEM SDF
mixité peuplement attribution demande commission-d'attribution vacance rotation mutation
échange-de-logement parcours hébergement foyer pension résidence-sociale colocation
intergénération cohabitation solidarité entraide voisin-relais ambassadeur correspondant
veille présence patrouille ronde tournée caméra vidéoprotection éclairage clôture badge
porte interphone ascenseur panne sinistre fuite humidité moisissure punaise nuisible
insalubrité péril copropriété syndic propriétaire accédant vente achat patrimoine-ancien
numérique internet ordinateur téléphone application formulaire démarche-administrative
papier dossier document justificatif attestation certificat rendez-vous accueil guichet
secrétariat standard plateforme-téléphonique numéro ligne
"""

ADJECTIVES = """
social locatif public local collectif résidentiel urbain prioritaire mental familial
partenarial durable nouveau premier dernier grand petit jeune âgé isolé fragile
vulnérable précaire difficile important nécessaire possible réel concret efficace
positif négatif régulier hebdomadaire mensuel annuel quotidien ponctuel informel formel
individuel personnel professionnel éducatif culturel sportif économique financier
juridique administratif médical psychique sanitaire environnemental écologique
énergétique technique numérique commun partagé ouvert fermé propre sale calme bruyant
sécurisé dégradé rénové ancien récent long court rapide lent fort faible simple complexe
global spécifique particulier général national départemental régional municipal
métropolitain intercommunal associatif bénévole volontaire solidaire citoyen participatif
innovant expérimental pilote ciblé adapté accessible gratuit payant rémunéré qualifié
diplômé salarié autonome dépendant handicapé malade sain heureux satisfait mécontent
inquiet tendu apaisé serein conflictuel violent dangereux sûr principal essentiel
prochain suivant précédent"""

VERBS = """
accompagner organiser repérer mobiliser informer orienter soutenir coordonner animer
évaluer rencontrer former proposer permettre favoriser développer renforcer améliorer
réduire prévenir traiter gérer assurer mettre-en-place créer construire réaliser mener
conduire porter piloter financer associer impliquer participer contribuer aider
accueillir écouter échanger discuter partager sensibiliser alerter signaler identifier
diagnostiquer analyser mesurer suivre observer constater noter relever rappeler expliquer
présenter recruter embaucher employer rémunérer encadrer qualifier insérer reloger loger
héberger maintenir rester quitter entrer sortir arriver installer aménager rénover
réhabiliter entretenir nettoyer réparer sécuriser surveiller patrouiller intervenir
médiatiser apaiser régler résoudre négocier signer conventionner contractualiser étendre
essaimer pérenniser reconduire renouveler tester expérimenter lancer démarrer commencer
terminer achever clôturer réunir regrouper fédérer valoriser reconnaître remercier
saluer souligner montrer prouver démontrer confirmer"""

FUNCTION_WORDS = """
de la le les et des à en du un une pour avec dans sur par au aux qui que est sont a ont
plus ce cette leur leurs son sa ses il elle ils elles on nous ne pas se aussi ou mais
comme tout tous toute toutes entre sans sous depuis chaque lors afin ainsi notamment
dont où très bien déjà encore même après avant auprès vers chez été être avoir fait
peut deux trois plusieurs certains certaines autres autre"""

# Multi-word expressions (recurring collocations), most frequent first.
EXPRESSIONS = """
mise en œuvre|lien social|quartier prioritaire|pied d'immeuble|tranquillité résidentielle
dette locative|dettes locatives|santé mentale|gestion urbaine de proximité|parties communes
personnes âgées|prévention des expulsions|accès aux droits|cadre de vie|bailleur social
bailleurs sociaux|troubles psychiques|troubles de voisinage|médiation de nuit
visites à domicile|chantiers éducatifs|chantier éducatif|gestion des déchets
insertion professionnelle|politique de la ville|conseil citoyen|amicale de locataires
contrat de ville|maîtrise d'œuvre urbaine et sociale|travailleurs sociaux|travailleur social
plan d'apurement|commission de coordination|pouvoir d'agir|économies d'énergie
précarité énergétique|rénovation urbaine|espaces verts|jardins partagés|jardin partagé
repas partagé|fête des voisins|point d'accueil|conseiller en économie sociale et familiale
premier accueil|réunion publique|diagnostic en marchant|sortie de crise|maintien à domicile
perte d'autonomie|lutte contre l'isolement|aide à domicile|équipe mobile|agents de proximité
chargée de mission|mission locale|centre social|régie de quartier|Pôle emploi|France Travail
atelier chantier d'insertion|clause d'insertion|heures d'insertion|logement d'abord
"""


def _words(block: str) -> list[str]:
    return block.split()


def _plural(noun: str) -> str:
    if noun.isupper() or noun[-1] in "sxz":
        return noun
    if noun.endswith("al"):
        return noun[:-2] + "aux"
    if noun.endswith(("eau", "eu")):
        return noun + "x"
    return noun + "s"


def _adjective_forms(adj: str) -> list[str]:
    if adj.endswith("e"):
        fem = adj
    elif adj.endswith("if"):
        fem = adj[:-1] + "ve"
    elif adj.endswith("eux"):
        fem = adj[:-1] + "se"
    elif adj.endswith(("el", "en")):
        fem = adj + adj[-1] + "e"
    elif adj.endswith("er"):
        fem = adj[:-2] + "ère"
    else:
        fem = adj + "e"
    masc_pl = adj[:-2] + "aux" if adj.endswith("al") else adj if adj[-1] in "sx" else adj + "s"
    return [adj, fem, masc_pl, fem + "s"]


def _verb_forms(verb: str) -> list[str]:
    verb = verb.replace("-", " ")
    head, _, tail = verb.partition(" ")
    tail = " " + tail if tail else ""
    if head.endswith("er"):
        stem = head[:-2]
        forms = [head, stem + "e", stem + "ent", stem + "é", stem + "ée", stem + "és", stem + "ant"]
    else:  # -ir
        stem = head[:-2]
        forms = [head, stem + "it", stem + "issent", stem + "i", stem + "ie", stem + "is"]
    return [f + tail for f in forms]


@dataclass
class Vocabulary:
    forms: list[str]
    cum: list[float]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.forms, cum_weights=self.cum, k=k)


def _zipf_vocabulary(lemmas: list[list[str]], s: float = 1.0) -> Vocabulary:
    """Lemma of rank r gets weight 1 / r^s, split over its forms (first form dominant)."""
    forms, weights = [], []
    for rank, group in enumerate(lemmas, 1):
        share = [0.6] + [0.4 / (len(group) - 1)] * (len(group) - 1) if len(group) > 1 else [1.0]
        for form, part in zip(group, share, strict=True):
            forms.append(form)
            weights.append(part / rank**s)
    return Vocabulary(forms, list(accumulate(weights)))


def _build() -> tuple[Vocabulary, Vocabulary, Vocabulary, list[str]]:
    nouns = [[n.replace("-", " "), _plural(n).replace("-", " ")] if not n.isupper() else [n]
             for n in _words(NOUNS)]
    adjs = [_adjective_forms(a) for a in _words(ADJECTIVES)]
    verbs = [_verb_forms(v) for v in _words(VERBS)]
    # Interleave the three lists by rank so that one Zipf law covers them all.
    lemmas, seen = [], set()
    for i in range(max(len(nouns), len(adjs), len(verbs))):
        for group in (nouns, verbs, adjs) if i % 3 else (nouns, adjs, nouns, verbs):
            if i < len(group) and group[i][0] not in seen:
                seen.add(group[i][0])
                lemmas.append(group[i])
    content = _zipf_vocabulary(lemmas)
    function = _zipf_vocabulary([[w] for w in _words(FUNCTION_WORDS)], 1.2)
    expressions = [e.strip() for line in EXPRESSIONS.strip().splitlines() for e in line.split("|")]
    exprs = _zipf_vocabulary([[e] for e in expressions], 0.9)
    return content, function, exprs, [f for g in lemmas for f in g]


CONTENT, FUNCTION, EXPRS, ALL_FORMS = _build()

# Words over-used by the practices of each theme (topic bias).
THEME_WORDS = {
    THEMES[0]: "tranquillité incivilité nuisance sécurité médiateur nuit patrouille caméra "
               "hall trafic squat rassemblement bruit tapage dégradation",
    THEMES[1]: "emploi insertion chantier formation recrutement candidat employeur contrat "
               "qualification clause métier stage apprentissage ACI",
    THEMES[2]: "santé trouble souffrance psychiatrie psychologue soin CMP infirmier "
               "addiction isolement alerte signalement",
    THEMES[3]: "impayé dette loyer expulsion procédure CCAPEX FSL huissier juge plan "
               "relogement ménage CAF APL",
    THEMES[4]: "jeune adolescent enfant éducateur collège école sport football sortie "
               "séjour vacances chantier",
    THEMES[5]: "senior retraité âge autonomie isolement visite domicile solitude "
               "handicap aide téléphone",
    THEMES[6]: "médiation conflit voisin voisinage dialogue lien fête repas rencontre "
               "écoute échange",
    THEMES[7]: "énergie chauffage consommation facture isolation précarité compost "
               "jardinage tri recyclage eau",
    THEMES[8]: "propreté déchet encombrant entretien gardien proximité espace parking "
               "éclairage diagnostic GUP TFPB",
    THEMES[9]: "accompagnement situation difficulté besoin orientation accès droit aide "
               "ménage dossier référent",
    THEMES[10]: "participation habitant concertation amicale conseil collectif "
                "implication engagement citoyenneté réunion",
    THEMES[11]: "attribution demande commission peuplement mixité vacance mutation "
                "parcours hébergement SIAO",
}


def _sentence(rng: random.Random, topic: list[str], length: int) -> str:
    words: list[str] = []
    function = FUNCTION.draw(rng, length)
    content = CONTENT.draw(rng, length)
    exprs = EXPRS.draw(rng, length)
    for i in range(length):
        r = rng.random()
        if r < 0.45:
            words.append(function[i])
        elif r < 0.52:
            words.append(exprs[i])
        elif r < 0.64 and topic:
            words.append(rng.choice(topic))
        else:
            words.append(content[i])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, topic: list[str], words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 24)
        out.append(_sentence(rng, topic, n))
        count += n
    return " ".join(out)


def _body(rng: random.Random, topic: list[str], mentions: list[str]) -> str:
    target = rng.randint(240, 400)  # headings and list markers bring it to 300-500
    sections = ["Contexte", "Objectifs", "Mise en œuvre"]
    sections += [s for s in ("Résultats", "Points de vigilance") if rng.random() < 0.5]
    shares = [rng.uniform(0.6, 1.4) for _ in sections]
    parts = []
    for name, share in zip(sections, shares, strict=True):
        words = max(20, int(target * share / sum(shares)))
        parts.append(f"## {name}")
        if name == "Objectifs":
            items = []
            while words > 0:
                n = rng.randint(8, 16)
                items.append("- " + _sentence(rng, topic, n))
                words -= n
            parts.append("\n".join(items))
        else:
            para = _paragraph(rng, topic, words)
            if mentions and rng.random() < 0.7:
                para += f" Avec {rng.choice(mentions)}."
            parts.append(para)
    return "\n\n".join(parts)


def _zipf_choice(rng: random.Random, items: list, s: float = 1.1):
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights=weights, k=1)[0]


def _named(label: str, aliases: tuple[str, ...] = ()) -> Named:
    return Named(slugify(label), label, aliases)


@dataclass
class Practice:
    """One synthetic practice, as the front matter of its file says it."""

    slug: str
    title: str
    summary: str
    themes: list[str]
    landlords: list[tuple[str, tuple[str, ...]]]
    partners: list[str]
    cities: list[str]
    districts: list[str]
    audiences: list[str]
    status: str
    evidence: str
    started: int
    body: str
    updated: dt.datetime


def practices(n: int, seed: int = 42) -> list[Practice]:
    """``n`` synthetic practices, identical for one seed."""
    rng = random.Random(seed)
    base = dt.datetime(2020, 1, 1)
    out = []
    for i in range(n):
        themes = rng.sample(THEMES, rng.randint(1, 3))
        topic = [w for t in themes for w in THEME_WORDS[t].split()]
        landlords = list(dict.fromkeys(_zipf_choice(rng, LANDLORDS)
                                       for _ in range(rng.randint(1, 2))))
        city = _zipf_choice(rng, CITIES)
        partners = rng.sample(PARTNERS, rng.randint(0, 3))
        mentions = [label for label, _ in landlords] + partners + [city]
        title = f"{_sentence(rng, topic, rng.randint(4, 8))[:-1]} à {city} (synthétique {i})"
        summary = _paragraph(rng, topic, rng.randint(25, 50))[:480]
        out.append(Practice(
            slug=f"pratique-synthetique-{i:06d}",
            title=title,
            summary=summary,
            themes=themes,
            landlords=landlords,
            partners=partners,
            cities=[city],
            districts=rng.sample(DISTRICTS, rng.randint(0, 1)),
            audiences=rng.sample(AUDIENCES, rng.randint(1, 2)),
            status=rng.choice(STATUSES),
            evidence=rng.choice(EVIDENCE),
            started=rng.randint(2008, 2025),
            body=_body(rng, topic, mentions),
            updated=base + dt.timedelta(days=rng.randint(0, 2000), seconds=i),
        ))
    return out


def to_document(p: Practice) -> IndexDocument:
    doc = IndexDocument(
        slug=p.slug,
        title=p.title,
        summary=p.summary,
        body=p.body,
        themes=tuple(_named(t) for t in p.themes),
        landlords=tuple(_named(label, aliases) for label, aliases in p.landlords),
        partners=tuple(_named(x) for x in p.partners),
        cities=tuple(_named(c) for c in p.cities),
        districts=tuple(_named(d) for d in p.districts),
        audiences=tuple(_named(a) for a in p.audiences),
        status=_named(p.status),
        evidence=_named(p.evidence),
        start_year=p.started,
        updated=p.updated,
    )
    fp = hashlib.sha1(repr(doc).encode()).hexdigest()[:16]
    return IndexDocument(**{**doc.__dict__, "fingerprint": fp})


def generate(n: int, seed: int = 42) -> list[IndexDocument]:
    """``n`` synthetic practices as index documents, identical for one seed."""
    return [to_document(p) for p in practices(n, seed)]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_list(items) -> str:
    return "[" + ", ".join(_q(x) for x in items) + "]"


def practice_file(p: Practice) -> str:
    """The text of one practice file (kb/corpus format)."""
    lines = [
        "---",
        f"title: {_q(p.title)}",
        f"summary: {_q(p.summary)}",
        f"themes: {_yaml_list(p.themes)}",
        f"landlords: {_yaml_list(label for label, _ in p.landlords)}",
        f"partners: {_yaml_list(p.partners)}",
        f"cities: {_yaml_list(p.cities)}",
        f"districts: {_yaml_list(p.districts)}",
        f"audiences: {_yaml_list(p.audiences)}",
        f"status: {_q(p.status)}",
        f"started: {p.started}",
        f"evidence: {_q(p.evidence)}",
        "sources:",
        f"  - title: {_q('Fiche synthétique ' + p.slug)}",
        f"    url: \"https://exemple.invalid/{p.slug}\"",
        "---",
        "",
        p.body,
        "",
    ]
    return "\n".join(lines)


def write_practices(n: int, folder: Path, seed: int = 42) -> list[Practice]:
    """Write ``n`` practice files ``<slug>.md`` into ``folder``; return the practices."""
    folder.mkdir(parents=True, exist_ok=True)
    items = practices(n, seed)
    for p in items:
        (folder / f"{p.slug}.md").write_text(practice_file(p), encoding="utf-8")
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description="Write synthetic practice files.")
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write_practices(args.n, args.folder, args.seed)


if __name__ == "__main__":
    main()
