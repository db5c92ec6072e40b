"""The root ``kb`` group and what every command shares: French errors, the runtime, folders."""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kb.cli.french import CONTEXT, _FrenchGroup

if TYPE_CHECKING:
    from kb.runtime import Runtime


class CommandError(click.ClickException):
    """A refusal explained in French, exit code 1."""

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def _runtime(need_db: bool = True, opened: bool = True) -> Runtime:
    """The runtime of a command. ``need_db``: the schema must exist; ``opened`` (for
    ``need_db=False``): the base must at least open (``kb restore`` may replace one
    that doesn't)."""
    from kb.config import Settings
    from kb.runtime import Runtime

    runtime = Runtime.open(Settings.from_env())
    # Close pooled connections when the command ends, not at garbage collection.
    click.get_current_context().call_on_close(runtime.close)
    if need_db or opened:
        ready = _ready(runtime)  # a base that can't be opened is reported here
        if need_db and not ready:
            raise CommandError(
                "la base de données n'existe pas encore : lancez d'abord « kb init »"
                f" (base : {_shown_url(runtime)}){_where_looked()}")
    return runtime


def _where_looked() -> str:
    """Where the default base was looked for, when no setting named one."""
    from kb.config import home_candidates

    if os.environ.get("KB_HOME") or os.environ.get("KB_DATABASE_URL"):
        return ""
    folders = " puis ".join(str(path) for path in home_candidates())
    return (f" ; dossiers de données cherchés : {folders} ; pour en nommer un autre, "
            "fixez KB_HOME=/chemin/du/dossier")


def _shown_url(runtime: Runtime) -> str:
    return runtime.engine.url.render_as_string(hide_password=True)


def _ready(runtime: Runtime) -> bool:
    """``database_ready``; a base that can't be opened at all (server down, a file
    that is not SQLite) is the user's to fix, so it is said, not a traceback."""
    from sqlalchemy.exc import DatabaseError

    try:
        return runtime.database_ready()
    except DatabaseError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise CommandError(f"impossible d'ouvrir la base de données {_shown_url(runtime)}"
                           f" ({reason}) : vérifiez KB_DATABASE_URL") from exc


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """For a command that reads or writes every practice (import, rebuild): a million
    small objects and no cycles to free, which the garbage collector would walk over
    and over (a tenth of the work at 10,000 practices).

    The collector still counts what it doesn't collect: re-enabled as it was, it would
    walk every object made meanwhile at the next allocation (0.3 s after a rebuild of
    10,000 practices). They are moved to the oldest generation first, unwalked (freeze,
    then unfreeze). And at exit everything is frozen out of the interpreter's last
    collection (0.5 s more); at exit only, so a test running the command in its own
    process carries on collecting as before."""
    atexit.register(gc.freeze)  # (registered twice, it runs twice: harmless)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _folder(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise CommandError(f"dossier introuvable : {path}")
    return folder


def _print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(f"  {problem}", err=True)



@click.group(cls=_FrenchGroup, context_settings=CONTEXT,
             help="kb : base de connaissances des pratiques du logement social.\n\n"
                  "Chaque commande lit KB_DATABASE_URL, KB_INDEX_DIR et KB_CORPUS_DIR ; "
                  "« kb COMMANDE --help » décrit ses options.")
def main() -> None:
    pass
