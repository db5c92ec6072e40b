"""click in French: help headings, usage errors and metavars, for every command."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


class _FrenchFormatter(click.HelpFormatter):
    """Click's help layout with French headings (click itself ships no translation)."""

    # click appends the colon; French typography wants a space before it.
    SECTIONS = {"Commands": "Commandes ", "Options": "Options ", "Arguments": "Arguments "}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)

    def section(self, name: str):  # noqa: ANN201 - click's own context manager
        return super().section(self.SECTIONS.get(name, name))


class _FrenchContext(click.Context):
    formatter_class = _FrenchFormatter


class _FrenchUsageError(click.UsageError):
    """A usage error shown in French: usage line, help hint, then the error."""

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        if self.ctx is not None:
            click.echo(f"{self.ctx.get_usage()}\n« {self.ctx.command_path} --help » pour l'aide.\n",
                       err=True, file=file)
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def _french(error: click.UsageError, ctx: click.Context) -> _FrenchUsageError:
    if isinstance(error, click.MissingParameter) and error.param is not None:
        message = f"il manque {error.param.get_error_hint(ctx)}."
    elif isinstance(error, click.NoSuchOption):
        message = f"option inconnue : {error.option_name}."
    elif isinstance(error, click.BadParameter) and error.param is not None:
        kind = error.param.type
        if isinstance(kind, click.IntRange):
            expected = f"un nombre entier de {kind.min} à {kind.max}"
        elif isinstance(kind, click.Choice):
            expected = "l'une des valeurs " + ", ".join(map(str, kind.choices))
        else:
            expected = error.message
        message = f"valeur refusée pour {error.param.get_error_hint(ctx)} : attendu {expected}."
    else:
        message = error.format_message()
    return _FrenchUsageError(message, ctx)


# French names for click's default metavars (type names for options, parameter names for
# arguments), so that a command added without ``metavar=`` still reads in French.
_TYPE_METAVARS = {"text": "TEXTE", "integer": "ENTIER", "integer range": "ENTIER",
                  "float": "NOMBRE", "path": "CHEMIN", "filename": "FICHIER"}
_ARGUMENT_METAVARS = {"email": "ADRESSE", "directory": "DOSSIER", "file": "FICHIER",
                      "query": "TEXTE", "slug": "IDENTIFIANT", "name": "NOM"}


class _FrenchCommand(click.Command):
    context_class = _FrenchContext
    options_metavar = "[OPTIONS]"

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        for param in params:
            if param.metavar is not None:
                continue
            if isinstance(param, click.Argument) and param.name in _ARGUMENT_METAVARS:
                param.metavar = _ARGUMENT_METAVARS[param.name]
            elif isinstance(param, click.Option) and not param.is_flag:
                param.metavar = _TYPE_METAVARS.get(param.type.name)
        return params

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except _FrenchUsageError:
            raise
        except click.UsageError as error:
            raise _french(error, ctx) from None


class _FrenchGroup(_FrenchCommand, click.Group):
    command_class = _FrenchCommand
    group_class = type  # subgroups are French groups too

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context, args: list[str]):  # noqa: ANN201
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            if args and self.get_command(ctx, args[0]) is None:
                raise _FrenchUsageError(f"commande inconnue : « {args[0]} ».", ctx) from None
            raise
