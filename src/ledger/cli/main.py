"""``ledger``: the command line of the decision ledger.

Exit codes (docs/cli.md): 0 success; 1 an integrity or verification failure; 2 bad input or
usage (nothing was written); 3 an internal error (a bug: rerun with --debug and report it).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click

from ledger.cli.context import CliContext, lang_of, language_from_env
from ledger.i18n import LANG_ENV, LANGUAGES, Lang, detect, message, parse

EXIT_OK = 0
EXIT_INTEGRITY = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class LedgerCLI(click.Group):
    """The root command; turns every error into a message and an exit code, in this one place,
    in the reader's language (docs/cli.md, "Language")."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as e:
            # A usage error in the global options: --lang may not have been read yet.
            translated = _translated(e, _lang_in(args))
            if translated is e:
                raise
            raise translated from e

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as e:
            translated = _translated(e, lang_of(ctx))
            if translated is e:
                raise
            raise translated from e
        except KeyboardInterrupt:
            click.echo(message(lang_of(ctx), "error.interrupted"), err=True)
            ctx.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader went away (`ledger log | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as e:
            from ledger.errors import LedgerError

            lang = lang_of(ctx)
            if _debugging(ctx):
                traceback.print_exc()
            if isinstance(e, LedgerError):
                # The error's own Chinese for a Chinese reader, where it has one; else its
                # English. The prefix in the reader's language.
                text = e.message_zh if lang == "zh" and e.message_zh else str(e)
                click.echo(message(lang, "error.line", message=text), err=True)
                ctx.exit(e.exit_code)
            click.echo(
                message(lang, "error.internal", kind=type(e).__name__, message=e)
                + "\n"
                + message(lang, "error.bug"),
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)
        return None


class TranslatedClickError(click.ClickException):
    """A click error shown with the CLI's prefix and hint in the reader's language; click's own
    message (``No such option``, ``Missing option``) stays as click words it."""

    exit_code = click.ClickException.exit_code

    def __init__(self, original: click.ClickException, lang: Lang) -> None:
        super().__init__(original.message)
        self.original = original
        self.lang: Lang = lang

    def format_message(self) -> str:
        return self.original.format_message()

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.original.ctx if isinstance(self.original, click.UsageError) else None
        if ctx is not None:
            click.echo(ctx.get_usage(), err=file is None, file=file, color=ctx.color)
            if ctx.command.get_help_option(ctx) is not None:
                names = ctx.command.get_help_option_names(ctx)
                hint = message(
                    self.lang,
                    "error.usage_hint",
                    command=ctx.command_path,
                    option=max(names, key=len),
                )
                click.echo(hint, err=file is None, file=file, color=ctx.color)
            click.echo(err=file is None, file=file)
        line = message(self.lang, "error.line", message=self.format_message())
        click.echo(line, err=file is None, file=file)


class TranslatedUsageError(TranslatedClickError):
    """A usage error (exit 2), translated as ``TranslatedClickError``."""

    exit_code = click.UsageError.exit_code


def _translated(error: click.ClickException, lang: Lang) -> click.ClickException:
    """English keeps click's own rendering; other languages get ``TranslatedClickError``, with
    the same exit code."""
    if lang == "en" or isinstance(error, TranslatedClickError):
        return error
    for kind in (TranslatedUsageError, TranslatedClickError):
        if error.exit_code == kind.exit_code:
            return kind(error, lang)
    return error


def _lang_in(args: Sequence[str]) -> Lang:
    """``--lang`` as written on the command line, when the global options did not parse."""
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value is not None and value.lower() in LANGUAGES:
            return parse(value)
    return language_from_env()


def _language_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Lang:
    """``--lang`` or LEDGER_LANG, checked (naming which of the two was wrong); else the locale's."""
    from click.core import ParameterSource

    if value is None:
        return detect(os.environ)
    if value.lower() in LANGUAGES:
        return parse(value)
    source = ctx.get_parameter_source(param.name or "lang")
    option = LANG_ENV if source is ParameterSource.ENVIRONMENT else "--lang"
    lang = detect(os.environ)
    raise click.BadParameter(message(lang, "error.language", option=option, value=value))


def _debugging(ctx: click.Context) -> bool:
    obj = ctx.obj
    return bool(os.environ.get("LEDGER_DEBUG")) or bool(obj is not None and obj.debug)


@click.group(
    cls=LedgerCLI,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="LEDGER_HOME",
    default=".",
    show_default="current directory, or LEDGER_HOME",
    help="The ledger's home directory (its SQLite file, keys and checkpoint).",
)
@click.option(
    "--store",
    envvar="LEDGER_STORE",
    default=None,
    metavar="URL",
    help="Keep events in PostgreSQL (postgresql://user@host:port/db) instead of the home's "
    "SQLite file. Also LEDGER_STORE.",
)
@click.option(
    "--lang",
    metavar="[en|zh]",
    envvar=LANG_ENV,
    default=None,
    callback=_language_option,
    help="Language of the output for people: zh (Chinese) or en (English). Also LEDGER_LANG; "
    "default: from the locale (LC_ALL, LC_MESSAGES, LANG). JSON output is the same in both.",
)
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(package_name="ledger")
@click.pass_context
def cli(ctx: click.Context, home: Path, store: str | None, lang: Lang, debug: bool) -> None:
    """A tamper-evident ledger of collective decisions.

    Every act (a member entered, a key registered, later every proposal, vote and change) is an
    append-only, hash-chained, signed event. `ledger verify` proves nothing was changed.

    \b
    Start:    ledger --home my-ledger init --name "XX County Committee"
    Record:   ledger --home my-ledger member add "Zhang San" --title 书记
    Check:    ledger --home my-ledger verify
    Chinese:  ledger --lang zh --home my-ledger trace 县城供水管网改造方案
    """
    ctx.obj = CliContext(home=home, store=store, debug=debug, lang=lang)


def _register() -> None:
    from ledger.cli import (
        act,
        calendar,
        checkpoint,
        demo,
        export,
        findings,
        init,
        key,
        log,
        member,
        migrate,
        proof,
        record,
        rules,
        trace,
        verify,
        witness,
    )

    for command in (
        init.init,
        member.member,
        key.key,
        log.log,
        verify.verify,
        checkpoint.checkpoint,
        record.record,
        act.act,
        rules.rules,
        calendar.calendar,
        findings.findings,
        trace.trace,
        trace.archive,
        trace.history,
        trace.person,
        trace.replay,
        trace.rebuild,
        migrate.migrate,
        proof.prove,
        proof.consistency,
        witness.witness,
        export.export,
        export.verify_archive,
        record.schema,
        demo.demo,
    ):
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (click maps usage errors to exit 2; LedgerCLI maps the rest)."""
    cli.main(args=argv, prog_name="ledger")
