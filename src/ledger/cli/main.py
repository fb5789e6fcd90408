"""``ledger``: the command line of the decision ledger.

Exit codes (docs/cli.md): 0 success; 1 an integrity or verification failure; 2 bad input or
usage (nothing was written); 3 an internal error (a bug: rerun with --debug and report it).
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from ledger.cli.context import CliContext

EXIT_OK = 0
EXIT_INTEGRITY = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class LedgerCLI(click.Group):
    """The root command; turns every error into a message and an exit code, in this one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader went away (`ledger log | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except Exception as e:
            from ledger.errors import LedgerError

            if _debugging(ctx):
                traceback.print_exc()
            if isinstance(e, LedgerError):
                click.echo(f"error: {e}", err=True)
                ctx.exit(e.exit_code)
            click.echo(
                f"internal error: {type(e).__name__}: {e}\n"
                "This is a bug. Rerun with --debug for details and report it.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)
        return None


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
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(package_name="ledger")
@click.pass_context
def cli(ctx: click.Context, home: Path, store: str | None, debug: bool) -> None:
    """A tamper-evident ledger of collective decisions.

    Every act (a member entered, a key registered, later every proposal, vote and change) is an
    append-only, hash-chained, signed event. `ledger verify` proves nothing was changed.

    \b
    Start:    ledger --home my-ledger init --name "XX County Committee"
    Record:   ledger --home my-ledger member add "Zhang San" --title 书记
    Check:    ledger --home my-ledger verify
    """
    ctx.obj = CliContext(home=home, store=store, debug=debug)


def _register() -> None:
    from ledger.cli import (
        act,
        checkpoint,
        demo,
        findings,
        init,
        key,
        log,
        member,
        record,
        rules,
        trace,
        verify,
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
        findings.findings,
        trace.trace,
        trace.archive,
        trace.history,
        trace.person,
        trace.replay,
        trace.rebuild,
        record.schema,
        demo.demo,
    ):
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (click maps usage errors to exit 2; LedgerCLI maps the rest)."""
    cli.main(args=argv, prog_name="ledger")
