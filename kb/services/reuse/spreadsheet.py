"""Cells a spreadsheet shows as text and never runs (CSV injection), for every CSV of kb.

A spreadsheet runs a cell as a formula when it starts with ``=``, ``+``, ``-`` or
``@`` (tab and CR too, which some strip first), and several read the full-width
forms (＝ ＋ － ＠) as the same, or skip invisible characters (zero-width space,
BOM, bidi marks, no-break space...) before them. Such a cell gets a leading ``'``
(the OWASP way). A file read with another separator than the one it was written
with (``;`` in French-locale spreadsheets for a ``,`` file) splits cells at that
separator whatever the quotes, and at line breaks: a text after those is
neutralised the same way, with a ``'`` after the separator.

Every data cell is quoted (``csv.QUOTE_ALL``; the header row, kb's own words,
only where needed), so a reader using the file's own separator sees each value
whole. ``neutralise`` and ``csv_lines`` take the separator, for a CSV written
with ``;`` as well as with ``,``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from kb.corpus.fields import strip_controls

# What starts a formula, with the full-width and small forms and the minus sign.
FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212"
# What a reader may skip before it: white space of every kind, format characters
# (zero-width, bidi, BOM, word joiner...), soft hyphen, and a quote that a reader
# using another separator takes for the opening of a cell.
_SKIPPED = (r" \x0b\x0c\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u00ad\u061c\u115f\u1160\u180e"
            r"\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff\uffa0\"")
# Where a cell may start when the file is read with another separator.
_OTHER = {",": ";", ";": ","}


def _pattern(delimiter: str) -> re.Pattern[str]:
    # The "'" goes right after the last separator or line break of a run ("\r\n"
    # is two): a reader may start a cell after each of them.
    starts = re.escape(_OTHER.get(delimiter, ",;") + "\t\r\n")
    return re.compile(f"(^|[{starts}])(?=[{_SKIPPED}]*[{re.escape(FORMULA_STARTS)}])")


_PATTERNS = {d: _pattern(d) for d in (",", ";")}


def neutralise(cell: str, delimiter: str = ",") -> str:
    """``cell`` as inert text in a file written with ``delimiter``.

    Control characters stored before they were refused are dropped (a NUL ends
    a cell early in many readers).
    """
    pattern = _PATTERNS.get(delimiter) or _pattern(delimiter)
    return pattern.sub(r"\1'", strip_controls(cell))


def csv_lines(rows: Iterable[Sequence[str]], header: Sequence[str], delimiter: str = ",",
              bom: bool = True) -> Iterator[str]:
    """The CSV text, a line at a time (BOM first so that Excel reads UTF-8), every cell
    quoted and neutralised: nothing is built in memory but the current line."""
    buffer = io.StringIO()
    # The header is kb's own words: quoted only where needed, as tools reading
    # column names expect; every data cell is quoted.
    plain = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    quoted = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if bom:
        yield "\ufeff"
    for writer, row in itertools.chain([(plain, header)], ((quoted, row) for row in rows)):
        writer.writerow([neutralise(str(cell), delimiter) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
