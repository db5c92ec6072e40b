"""A SYNTHETIC corpus of French social-housing write-ups, for relevance tests only.

Every practice, organisation, place name, figure and person role below was
invented for these tests; none describes a real project. The write-ups are
short and deliberately varied: synonyms and acronyms used in one form only,
words sharing a root but not a meaning (isolement / isolation, habitat /
habitant, bail / bailleur), a shared introduction copied into several
write-ups, place names written in different ways.
"""

from __future__ import annotations

import datetime as dt

from kb.search import IndexDocument, Named

INTRO = ("Cette fiche a été rédigée à la suite de la journée d'échanges du réseau régional "
         "des bailleurs sociaux consacrée au vivre-ensemble dans les résidences.")


def _n(label: str) -> Named:
    slug = label.lower().replace(" ", "-").replace("’", "-").replace("'", "-")
    return Named(slug, label)


def _doc(slug, title, summary, body, themes=(), landlords=(), cities=(), intro=False):
    return IndexDocument(
        slug=slug, title=title, summary=summary,
        body=(INTRO + "\n\n" + body) if intro else body,
        themes=tuple(_n(t) for t in themes), landlords=tuple(_n(x) for x in landlords),
        cities=tuple(_n(c) for c in cities), updated=dt.datetime(2024, 1, 1),
        fingerprint="synthetic-" + slug)


DOCS = [
    _doc("visites-isolement-seniors", "Visites de convivialité contre l'isolement des seniors",
         "Des bénévoles rendent visite chaque semaine aux locataires âgés qui vivent seuls.",
         "L'isolement social des personnes âgées s'aggrave l'hiver. Les gardiens repèrent les "
         "locataires isolés et une association organise des visites et des appels réguliers.",
         themes=("Lien social",), landlords=("Habitat Fictif",), cities=("Lyon",), intro=True),
    _doc("isolation-thermique-facades", "Isolation thermique des façades par l'extérieur",
         "Un chantier de rénovation énergétique réduit les charges de chauffage.",
         "L'isolation des murs et le remplacement des fenêtres ont baissé la facture de chauffage "
         "de chaque logement. Les locataires ont été informés pendant toute la durée des travaux.",
         themes=("Rénovation",), landlords=("Habitat Fictif",), cities=("Lyon",)),
    _doc("chantier-jeunes-ete", "Chantier jeunes d'été dans la résidence des Tilleuls",
         "Des jeunes de 16 à 18 ans repeignent les halls contre une bourse pour leur permis.",
         "Pendant trois semaines, huit jeunes du quartier encadrés par un éducateur ont repeint "
         "les cages d'escalier. Le chantier éducatif a été suivi d'une fête avec les habitants.",
         themes=("Jeunesse",), landlords=("Logis Imaginaire",), cities=("Nantes",), intro=True),
    _doc("maison-jeunesse-culture", "Une salle pour la maison des jeunes et de la culture",
         "Le bailleur prête un local en pied d'immeuble à la MJC du quartier.",
         "La jeunesse du quartier dispose d'un lieu d'activités culturelles le mercredi et le "
         "samedi. La convention d'occupation est renouvelée chaque année.",
         themes=("Jeunesse",), landlords=("Logis Imaginaire",), cities=("Nantes",)),
    _doc("equipe-mobile-nuit", "Une équipe mobile de nuit intervient après un signalement",
         "Des agents circulent le soir entre les résidences et se déplacent sur appel des locataires.",
         "Après un signalement au numéro d'astreinte, l'équipe se rend sur place en moins de "
         "trente minutes. Elle intervient la nuit, de 19 h à 2 h, et rédige un rapport d'intervention.",
         themes=("Tranquillité résidentielle",), landlords=("Habitat Fictif",), cities=("Lille",),
         intro=True),
    _doc("securisation-halls", "Sécuriser les halls d'entrée contre les occupations abusives",
         "Contrôle d'accès, éclairage et présence humaine pour rendre les halls aux locataires.",
         "La sécurité des halls passait par de nouvelles portes à badge, un meilleur éclairage et "
         "des rondes de gardiennage. Les regroupements dans les entrées ont nettement diminué.",
         themes=("Tranquillité résidentielle",), landlords=("Habitat Fictif",), cities=("Lille",)),
    _doc("prevention-specialisee-goutte-dor", "Prévention spécialisée auprès des jeunes de la Goutte-d'Or",
         "Des éducateurs de rue vont à la rencontre des adolescents du quartier.",
         "Dans le 18e arrondissement de Paris, l'association de prévention accompagne les jeunes "
         "vers la formation et l'emploi, en lien avec le bailleur et la mairie.",
         themes=("Jeunesse", "Prévention"), landlords=("Logis Imaginaire",), cities=("Paris",)),
    _doc("cmp-permanence", "Une permanence du centre médico-psychologique dans la résidence",
         "Un infirmier du centre médico-psychologique reçoit les locataires en souffrance psychique.",
         "Les gardiens orientent vers la permanence les locataires dont le comportement inquiète "
         "le voisinage. Le secteur psychiatrique assure ensuite le suivi.",
         themes=("Santé mentale",), landlords=("Toit Commun Fictif",), cities=("Rennes",)),
    _doc("clsm-partenariat", "Le bailleur membre du conseil local de santé mentale",
         "Une cellule réunit chaque mois le bailleur, le CMP, la mairie et les services sociaux.",
         "Les situations complexes de troubles psychiques sont examinées en CLSM, avec l'accord "
         "des personnes, pour éviter une procédure d'expulsion.",
         themes=("Santé mentale",), landlords=("Toit Commun Fictif",), cities=("Rennes",)),
    _doc("gup-diagnostic-marchant", "Un diagnostic en marchant de gestion urbaine de proximité",
         "Habitants, bailleur et ville parcourent le quartier pour relever les dysfonctionnements.",
         "La convention de gestion urbaine de proximité prévoit deux diagnostics par an. Les "
         "encombrants, l'éclairage et la propreté sont les sujets les plus souvent relevés.",
         themes=("Cadre de vie",), landlords=("Habitat Fictif",), cities=("Marseille",)),
    _doc("gup-convention-qpv", "La GUP dans les quartiers prioritaires",
         "Une convention GUP signée avec l'État et la ville pour les QPV du territoire.",
         "En QPV, l'abattement de taxe foncière finance un renfort de propreté et de présence.",
         themes=("Cadre de vie",), landlords=("Logis Imaginaire",), cities=("Marseille",)),
    _doc("aci-espaces-verts", "Un atelier chantier d'insertion pour les espaces verts",
         "Des salariés en insertion entretiennent les espaces verts des résidences.",
         "L'atelier chantier d'insertion emploie douze personnes éloignées de l'emploi, "
         "accompagnées par une conseillère en insertion professionnelle.",
         themes=("Insertion par l'emploi",), landlords=("Toit Commun Fictif",), cities=("Toulouse",)),
    _doc("ccapex-prevention", "Saisir la CCAPEX avant l'assignation",
         "Le bailleur saisit la commission de coordination des actions de prévention des expulsions.",
         "Dès deux mois d'impayés, la situation est présentée en CCAPEX. Un plan d'apurement et "
         "une aide du fonds de solidarité pour le logement sont recherchés.",
         themes=("Impayés et expulsions",), landlords=("Habitat Fictif",), cities=("Bordeaux",)),
    _doc("impayes-loyer-accompagnement", "Accompagner les locataires en impayé de loyer",
         "Une conseillère sociale appelle chaque locataire dès le premier loyer impayé.",
         "Le contact précoce évite l'accumulation de la dette. Le locataire est orienté vers la "
         "CAF pour réviser ses droits à l'APL et vers un plan d'apurement adapté.",
         themes=("Impayés et expulsions",), landlords=("Logis Imaginaire",), cities=("Bordeaux",),
         intro=True),
    _doc("loi-elan-information", "Informer les locataires sur la loi ELAN",
         "Une réunion publique explique ce que la loi change pour les locataires.",
         "La réunion présente la cotation de la demande et la gestion en flux des réservations.",
         themes=("Information des locataires",), landlords=("Habitat Fictif",), cities=("Lyon",)),
    _doc("bail-glissant", "Le bail glissant pour sortir de l'hébergement",
         "Une association sous-loue le logement avant que le ménage ne devienne titulaire du bail.",
         "Le bail glisse au nom du ménage après dix-huit mois si l'accompagnement a porté ses fruits.",
         themes=("Accès au logement",), landlords=("Toit Commun Fictif",), cities=("Grenoble",)),
    _doc("bailleurs-interbailleurs", "Une coordination des bailleurs du territoire",
         "Cinq bailleurs mutualisent une équipe de médiation sur le même quartier.",
         "Les bailleurs sociaux présents sur le quartier partagent le coût de l'équipe et un outil "
         "commun de suivi des faits.",
         themes=("Tranquillité résidentielle",), landlords=("Habitat Fictif", "Logis Imaginaire"),
         cities=("Grenoble",), intro=True),
    _doc("habitat-participatif", "Un habitat participatif dans le parc social",
         "Douze ménages ont conçu ensemble leur immeuble avec le bailleur.",
         "Le projet d'habitat participatif a pris quatre ans, de la constitution du groupe à la "
         "livraison des logements et de la salle commune.",
         themes=("Participation",), landlords=("Toit Commun Fictif",), cities=("Strasbourg",)),
    _doc("comite-habitants", "Un comité d'habitants pour décider des travaux",
         "Les habitants votent les priorités de travaux de leur résidence.",
         "Le comité réunit un habitant par cage d'escalier. Il a choisi de refaire l'aire de jeux "
         "avant les boîtes aux lettres.",
         themes=("Participation",), landlords=("Logis Imaginaire",), cities=("Strasbourg",),
         intro=True),
    _doc("gardiens-formation", "Former les gardiens à la gestion des conflits",
         "Une formation de trois jours pour les gardiens d'immeuble et les agents de proximité.",
         "Les gardiens apprennent à désamorcer une dispute de voisinage et à passer le relais.",
         themes=("Personnel de proximité",), landlords=("Habitat Fictif",), cities=("Lille",)),
    _doc("garde-enfants-pied-immeuble", "Une garde d'enfants solidaire en pied d'immeuble",
         "Des parents s'organisent pour la garde des enfants le mercredi.",
         "Le bailleur met à disposition un local et l'association assure l'assurance et l'animation.",
         themes=("Lien social",), landlords=("Toit Commun Fictif",), cities=("Nantes",)),
    _doc("cite-educative", "La cité éducative autour du collège",
         "Écoles, collège, centre social et bailleur coordonnent leurs actions éducatives.",
         "Dans la cité, les parents sont associés aux projets et une aide aux devoirs a lieu dans "
         "un logement transformé en local associatif.",
         themes=("Jeunesse",), landlords=("Logis Imaginaire",), cities=("Saint-Denis",)),
    _doc("budget-citoyen", "Un budget participatif citoyen pour la résidence",
         "Les citoyens proposent et votent des projets financés par le bailleur.",
         "Chaque citoyen du quartier peut déposer une idée. Les projets retenus sont réalisés "
         "dans l'année.",
         themes=("Participation",), landlords=("Habitat Fictif",), cities=("Sainte-Geneviève-des-Bois",)),
    _doc("mediation-voisinage-saint-denis", "Médiation de voisinage à Saint-Denis",
         "Des médiateurs aident les voisins en conflit à trouver un accord.",
         "Les conflits de bruit sont les plus nombreux. La médiation a lieu dans un local neutre.",
         themes=("Tranquillité résidentielle",), landlords=("Logis Imaginaire",), cities=("Saint-Denis",)),
    _doc("jardins-partages-lhay", "Des jardins partagés à L'Haÿ-les-Roses",
         "Des parcelles cultivées par les locataires au pied des immeubles.",
         "Le jardin partagé favorise les rencontres entre voisins et l'apprentissage du compostage.",
         themes=("Lien social",), landlords=("Toit Commun Fictif",), cities=("L'Haÿ-les-Roses",)),
    _doc("tri-dechets-ambassadeurs", "Des ambassadeurs du tri dans les résidences",
         "Des locataires volontaires sensibilisent leurs voisins au tri des déchets.",
         "Les ambassadeurs font du porte-à-porte et affichent les consignes dans les locaux poubelles.",
         themes=("Cadre de vie",), landlords=("Habitat Fictif",), cities=("Rennes",), intro=True),
    _doc("encombrants-collecte", "Collecte mensuelle des encombrants",
         "Une collecte organisée chaque mois réduit les dépôts sauvages.",
         "Les locataires déposent leurs encombrants le premier samedi du mois sur le parking.",
         themes=("Cadre de vie",), landlords=("Logis Imaginaire",), cities=("Toulouse",)),
    _doc("accueil-nouveaux-locataires", "Accueillir les nouveaux locataires",
         "Une visite d'accueil présente la résidence, le gardien et les règles de vie.",
         "Le gardien remet un livret d'accueil et présente les voisins du palier volontaires.",
         themes=("Lien social",), landlords=("Habitat Fictif",), cities=("Bordeaux",)),
    _doc("squat-hall-procedure", "Que faire face à l'occupation d'un hall ?",
         "Une procédure en trois temps : constat, dialogue, saisine de la police.",
         "Le bailleur documente chaque occupation du hall, rencontre les jeunes concernés avec un "
         "médiateur, puis saisit la police si les nuisances continuent.",
         themes=("Tranquillité résidentielle",), landlords=("Toit Commun Fictif",), cities=("Lille",)),
    _doc("videoprotection-parkings", "Vidéoprotection des parkings souterrains",
         "Des caméras et un nouvel éclairage dans les parkings.",
         "Les dégradations de véhicules ont diminué après l'installation des caméras et la "
         "fermeture des accès non contrôlés.",
         themes=("Tranquillité résidentielle",), landlords=("Habitat Fictif",), cities=("Marseille",)),
    _doc("emploi-jeunes-quartier", "Des emplois pour les jeunes du quartier",
         "Le bailleur recrute des jeunes du quartier pour des missions de proximité.",
         "Les jeunes recrutés en contrat aidé assurent l'accueil et la sortie des encombrants.",
         themes=("Insertion par l'emploi", "Jeunesse"), landlords=("Logis Imaginaire",),
         cities=("Marseille",)),
    _doc("ateliers-numeriques-seniors", "Des ateliers numériques pour les seniors",
         "Apprendre à utiliser une tablette pour garder le lien avec ses proches.",
         "Les ateliers aident aussi à faire ses démarches en ligne et à rompre l'isolement.",
         themes=("Lien social",), landlords=("Toit Commun Fictif",), cities=("Grenoble",), intro=True),
    _doc("precarite-energetique", "Repérer la précarité énergétique",
         "Les chargés de clientèle repèrent les ménages qui ne chauffent plus leur logement.",
         "Un conseiller énergie se rend à domicile et propose des petits équipements et des "
         "conseils d'usage du chauffage.",
         themes=("Rénovation",), landlords=("Habitat Fictif",), cities=("Strasbourg",)),
    _doc("sortie-hebergement-logement", "De l'hébergement au logement",
         "Des sorties d'hébergement vers le logement ordinaire grâce au SIAO.",
         "Les ménages proposés par le service intégré de l'accueil et de l'orientation obtiennent "
         "un logement avec un accompagnement social de six mois.",
         themes=("Accès au logement",), landlords=("Logis Imaginaire",), cities=("Toulouse",)),
    _doc("colocation-solidaire-etudiants", "Une colocation solidaire d'étudiants",
         "Des étudiants logés à loyer réduit animent la vie de la résidence.",
         "En échange d'un loyer modéré, chaque colocataire consacre cinq heures par semaine à des "
         "animations pour les habitants.",
         themes=("Lien social", "Jeunesse"), landlords=("Toit Commun Fictif",), cities=("Lyon",)),
    _doc("violences-conjugales-relogement", "Reloger en urgence les victimes de violences conjugales",
         "Un contingent de logements réservé aux femmes victimes de violences.",
         "Le bailleur, l'association d'aide aux victimes et le commissariat se coordonnent pour un "
         "relogement en moins d'un mois.",
         themes=("Accès au logement",), landlords=("Habitat Fictif",), cities=("Nantes",)),
    _doc("punaises-de-lit", "Traiter les punaises de lit sans stigmatiser",
         "Un protocole de traitement collectif et une information sans jugement.",
         "Le traitement porte sur tout l'immeuble et le bailleur prend en charge le coût.",
         themes=("Cadre de vie",), landlords=("Logis Imaginaire",), cities=("Paris",)),
    _doc("quartier-xviiie-fete", "Une fête des voisins dans le XVIIIe",
         "Les locataires de trois résidences du XVIIIe organisent une fête commune.",
         "La fête de quartier a réuni trois cents habitants et les associations locales.",
         themes=("Lien social",), landlords=("Habitat Fictif",), cities=("Paris",)),
    _doc("pssm-secouristes", "Former des secouristes en santé mentale",
         "Des gardiens et des chargés de clientèle suivent la formation premiers secours en santé mentale.",
         "Les premiers secours en santé mentale apprennent à repérer une crise et à orienter.",
         themes=("Santé mentale",), landlords=("Toit Commun Fictif",), cities=("Bordeaux",)),
    _doc("diagnostic-securite-residence", "Un diagnostic de sécurité de la résidence",
         "Un audit de sûreté identifie les points faibles des accès et de l'éclairage.",
         "Le diagnostic de sécurité est réalisé avec la police nationale et partagé avec l'amicale "
         "des locataires.",
         themes=("Tranquillité résidentielle",), landlords=("Logis Imaginaire",), cities=("Lille",)),
    _doc("mobilite-demenagement", "Aider les locataires âgés à déménager",
         "Un accompagnement au déménagement vers un logement plus petit et accessible.",
         "La mobilité résidentielle des seniors libère des grands logements pour les familles.",
         themes=("Accès au logement",), landlords=("Habitat Fictif",), cities=("Rennes",)),
    # Added for the lexical queries of issue 23 (tests/relevance/lexical.py); invented too.
    _doc("visites-parties-communes", "Visites mensuelles des parties communes",
         "Une inspection de chaque cage d'escalier, avec une grille de contrôle partagée.",
         "L'inspection note l'état des halls, des ascenseurs et des locaux poubelles ; les "
         "réparations sont commandées dans la semaine.",
         themes=("Cadre de vie",), landlords=("Logis Imaginaire",), cities=("Grenoble",)),
    _doc("conciliation-voisinage", "Une permanence de conciliation pour les conflits de voisinage",
         "Un conciliateur de justice bénévole reçoit les voisins en conflit au siège de l'agence.",
         "La conciliation évite des procédures longues ; un accord écrit est signé dans deux "
         "cas sur trois.",
         themes=("Tranquillité résidentielle",), landlords=("Toit Commun Fictif",),
         cities=("Dijon",)),
    _doc("animateurs-pied-immeuble", "Des animateurs au pied des immeubles l'été",
         "Deux animateurs proposent jeux, lecture et sport aux enfants pendant les vacances.",
         "Les animateurs sont recrutés par le centre social ; le bailleur prête une salle.",
         themes=("Jeunesse", "Lien social"), landlords=("Habitat Fictif",), cities=("Nîmes",)),
]
