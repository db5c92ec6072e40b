"""What practitioners type and read: French dates, and problems in plain French.

Dates are typed as people write them (15/09/2021, 09/2021, 2021) and stored
in ISO form (2021-09-15, 2021-09, 2021). Corpus problems, written for file
authors ("champ obligatoire « title » manquant"), are reworded here as what to
do in the form.
"""

from __future__ import annotations

import datetime as dt
import re

from kb.corpus import Problem
from kb.messages import N_

_DAY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
_MONTH = re.compile(r"^(\d{1,2})[/.\- ](\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def parse_french_date(text: str) -> str | None:
    """ISO form of JJ/MM/AAAA, MM/AAAA or AAAA (ISO accepted too); None when not a date."""
    text = text.strip()
    if _YEAR.match(text):
        return text
    if _ISO.match(text):
        parts = [int(p) for p in text.split("-")]
        return text if _valid(parts[0], parts[1], parts[2] if len(parts) == 3 else 1) else None
    day = _DAY.match(text)
    if day:
        d, m, y = (int(g) for g in day.groups())
        return f"{y:04d}-{m:02d}-{d:02d}" if _valid(y, m, d) else None
    month = _MONTH.match(text)
    if month:
        m, y = (int(g) for g in month.groups())
        return f"{y:04d}-{m:02d}" if _valid(y, m, 1) else None
    return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1000 <= year <= 9999


def french_date(value: str | None) -> str:
    """An ISO year, year-month or date as typed in the form (JJ/MM/AAAA, MM/AAAA, AAAA)."""
    if not value:
        return ""
    parts = value.split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else value


_THEME = N_("Cochez au moins un thème, ou écrivez-en un dans « Autres thèmes ».")
_CITY = N_("Indiquez au moins une ville où la pratique a lieu.")
_CARRIER = N_("Indiquez au moins un bailleur ou un partenaire qui porte la pratique.")
# (field, start of the corpus message) -> what to do, in plain French.
_PLAIN = [
    ("title", "champ obligatoire", N_("Donnez un titre à la pratique.")),
    ("summary", "champ obligatoire", N_("Résumez la pratique en deux ou trois phrases.")),
    ("themes", "champ obligatoire", _THEME),
    ("themes", "« themes » est vide", _THEME),
    ("cities", "champ obligatoire", _CITY),
    ("cities", "« cities » est vide", _CITY),
    (None, "ni bailleur", _CARRIER),
    ("landlords", "ni bailleur", _CARRIER),
    ("started", "« started » doit",
     N_("Date de début : écrivez-la comme 15/09/2021, 09/2021 ou 2021.")),
    ("ended", "« ended » doit", N_("Date de fin : écrivez-la comme 15/09/2021, 09/2021 ou 2021.")),
    ("ended", "« ended » (", N_("La fin ne peut pas précéder le début : vérifiez les deux dates.")),
    ("sources", "source : « url »", N_("L’adresse d’une source commence par http:// ou https://.")),
    ("sources", "source : « date »",
     N_("Date de la source : écrivez-la comme 15/09/2021, 09/2021 ou 2021.")),
    ("inspired_by", "une pratique ne peut", N_("Une pratique ne peut pas s’inspirer d’elle-même.")),
]
_TOO_LONG = re.compile(r"« (\w+) » fait (\d+) caractères ; (\d+) au plus")
_TOO_LONG_MESSAGES = {
    "summary": N_("Le résumé fait %(length)d caractères : raccourcissez-le à %(limit)d au plus."),
    "title": N_("Le titre fait %(length)d caractères : raccourcissez-le à %(limit)d au plus."),
    "contact": N_("Le contact fait %(length)d caractères : raccourcissez-le à %(limit)d au plus."),
}


def plain_message(problem: Problem) -> str | None:
    """The corpus problem said as what to do in the form, or None when there is no rewording."""
    for field_, start, text in _PLAIN:
        if problem.field == field_ and problem.message.startswith(start):
            return text
    long_ = _TOO_LONG.search(problem.message)
    if long_ and long_.group(1) in _TOO_LONG_MESSAGES:
        return N_(_TOO_LONG_MESSAGES[long_.group(1)], length=int(long_.group(2)),
                  limit=int(long_.group(3)))
    return None
