"""Agent and action meet: "médiateurs" also finds "médiation", and the reverse.

The stemmer removes inflections only (``stemmer.py``), so the agent noun
("médiateur", "médiatrice": stem ``mediateu``) and the action noun ("médiation")
stay apart. At query time each single word also matches its partner by one
suffix pair, -teur/-trice <-> -tion after a vowel or a "c" (animateur/animation,
éducatrice/éducation, inspecteur/inspection, coordinateur/coordination), with a
smaller weight than the word typed (``RELATED_WEIGHT``).

The pair is a rule, not a dictionary, so it has exceptions: words whose partner
has another meaning ("secteur"/"section", "porteur"/"portion", "acteur"/"action",
"opérateur"/"opération", "ordinateur"/"ordination"...) are listed in
``UNRELATED`` and left alone. A partner that no practice holds costs nothing.
"""

from __future__ import annotations

from functools import lru_cache

RELATED_WEIGHT = 0.5

# Agent stems (folded) whose -tion form is an unrelated word, or a device's.
UNRELATED = frozenset((
    "secteu", "facteu", "moteu", "vecteu", "docteu", "recteu", "conducteu", "acteu",
    "porteu", "ordinateu", "radiateu", "aspirateu", "extincteu", "collecteu", "projecteu",
    "operateu", "lecteu", "electeu", "auteu", "hauteu", "planteu", "senateu",
))

_BEFORE = frozenset("aeiouyc")


@lru_cache(maxsize=20_000)
def partners(term: str) -> tuple[str, ...]:
    """The agent or action stem paired with ``term`` (a stem), or ()."""
    if len(term) >= 7 and term.endswith("teu") and term[-4] in _BEFORE:
        return () if term in UNRELATED else (term[:-3] + "tion",)
    if len(term) >= 8 and term.endswith("tion") and term[-5] in _BEFORE:
        agent = term[:-4] + "teu"
        return () if agent in UNRELATED else (agent,)
    return ()
