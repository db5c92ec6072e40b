"""The closed lists of the practice file format, shared by the corpus reader and the models.

Kept apart from kb.models so that reading and checking files (kb.corpus) needs
no database code.
"""

ORG_KINDS = ("bailleur social", "association", "collectivité", "État", "autre")
PRACTICE_STATUSES = ("en projet", "expérimentation", "en cours", "terminée", "essaimée")
EVIDENCE_LEVELS = ("émergente", "prometteuse", "éprouvée")
