"""The corpus file format: Markdown + YAML front matter <-> plain records.

No Flask and no database here: ``load_corpus`` reads a folder into records and
problems; ``dump_practice`` / ``dump_event`` write records back to text.
"""

from kb.corpus.audiences import AUDIENCES_FILE
from kb.corpus.dump import (
    dump_audiences,
    dump_event,
    dump_organisations,
    dump_practice,
    dump_themes,
)
from kb.corpus.load import (
    EVENTS_DIR,
    ORGANISATIONS_FILE,
    THEMES_FILE,
    load_corpus,
    practice_from_data,
)
from kb.corpus.records import (
    SECTIONS,
    AudienceRecord,
    Corpus,
    EventRecord,
    OrganisationRecord,
    PartnerRef,
    PracticeRecord,
    Problem,
    SourceRef,
    ThemeRecord,
)

__all__ = [
    "AUDIENCES_FILE", "EVENTS_DIR", "ORGANISATIONS_FILE", "SECTIONS", "THEMES_FILE",
    "AudienceRecord", "Corpus", "EventRecord", "OrganisationRecord", "PartnerRef",
    "PracticeRecord", "Problem", "SourceRef", "ThemeRecord", "dump_audiences", "dump_event",
    "dump_organisations", "dump_practice", "dump_themes", "load_corpus", "practice_from_data",
]
