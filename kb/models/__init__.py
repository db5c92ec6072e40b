"""SQLAlchemy 2.0 models: the database is the source of truth at run time.

One declarative ``Base`` (kb.models.base); the tables are grouped by job in the
submodules. Importing ``kb.models`` imports them all, so ``Base.metadata`` (what
Alembic and ``create_all`` read) always holds every table.
"""

from kb.models.base import (
    CITY,
    DISTRICT,
    LANDLORD,
    PARTNER,
    Base,
)
from kb.models.contributions import (
    CONTRIBUTION_CORRECTION,
    CONTRIBUTION_NEW,
    PENDING,
    PUBLISHED,
    REJECTED,
    AuditLog,
    Contribution,
    Moderator,
    OutgoingMail,
    RateLimitHit,
    Revision,
)
from kb.models.corpus import (
    Audience,
    ChangeLog,
    Event,
    EventOrganiser,
    EventPractice,
    EventTheme,
    Inspiration,
    Organisation,
    OrganisationAlias,
    Place,
    Practice,
    PracticeAudience,
    PracticeOrganisation,
    PracticePlace,
    PracticeTheme,
    Source,
    Theme,
)
from kb.models.glossary import (
    GlossaryProposal,
    GlossaryTerm,
)
from kb.models.search_log import (
    SearchLogEntry,
)
from kb.models.thesaurus import (
    ThesaurusGroup,
    ThesaurusProposal,
)
from kb.vocabulary import EVIDENCE_LEVELS, ORG_KINDS, PRACTICE_STATUSES  # noqa: F401 - used by importers

__all__ = [
    "Audience",
    "AuditLog",
    "Base",
    "CITY",
    "CONTRIBUTION_CORRECTION",
    "CONTRIBUTION_NEW",
    "ChangeLog",
    "Contribution",
    "DISTRICT",
    "EVIDENCE_LEVELS",
    "Event",
    "EventOrganiser",
    "EventPractice",
    "EventTheme",
    "GlossaryProposal",
    "GlossaryTerm",
    "Inspiration",
    "LANDLORD",
    "Moderator",
    "ORG_KINDS",
    "Organisation",
    "OrganisationAlias",
    "OutgoingMail",
    "PARTNER",
    "PENDING",
    "PRACTICE_STATUSES",
    "PUBLISHED",
    "Place",
    "Practice",
    "PracticeAudience",
    "PracticeOrganisation",
    "PracticePlace",
    "PracticeTheme",
    "REJECTED",
    "RateLimitHit",
    "Revision",
    "SearchLogEntry",
    "Source",
    "Theme",
    "ThesaurusGroup",
    "ThesaurusProposal",
]
