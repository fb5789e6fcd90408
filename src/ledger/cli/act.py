"""``ledger act NAME --field value ...``: record one act from the command line.

One subcommand per act of the record language, made from the act's model, so the command line
and record files never drift apart: a tuple field is a repeatable option, a flag is a boolean,
and a nested entry (an absence, a ballot, a responsibility) is given as JSON. ``--sign-with``
adds the actor's own signature with their personal key.
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import emit_json, ok, say
from ledger.i18n import message, term

if TYPE_CHECKING:
    # pydantic is imported when a command runs, not at start-up (``ledger --help`` stays fast).
    from pydantic import BaseModel


def _models() -> list[type[BaseModel]]:
    from ledger.record import acts

    return list(acts.Act.__args__[0].__args__)


def _act_name(model: type[BaseModel]) -> str:
    return str(model.model_fields["act"].annotation.__args__[0])  # type: ignore[union-attr]


def _unwrap(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class ActGroup(click.Group):
    """Subcommands made lazily from the act models (so `ledger --help` stays fast)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_act_name(m) for m in _models())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for model in _models():
            if _act_name(model) == cmd_name:
                return _command(model)
        return None


def _command(model: type[BaseModel]) -> click.Command:
    name = _act_name(model)
    params: list[click.Parameter] = []
    for field_name, info in model.model_fields.items():
        if field_name in ("act", "alias"):
            continue  # aliases name things within one document only
        key = info.alias or field_name
        option = "--" + key.replace("_", "-")
        annotation = _unwrap(info.annotation)
        required = info.is_required()
        help_text = info.description or ""
        if get_origin(annotation) is tuple:
            inner = _unwrap(get_args(annotation)[0])
            suffix = " (JSON object)" if _is_model(inner) else ""
            params.append(
                click.Option([option, key], multiple=True, help=f"{help_text} Repeatable.{suffix}")
            )
        elif annotation is bool:
            params.append(
                click.Option(
                    [f"{option}/--no-{key.replace('_', '-')}", key], default=None, help=help_text
                )
            )
        else:
            params.append(click.Option([option, key], required=required, help=help_text))
    params.append(
        click.Option(
            ["--sign-with", "sign_with"],
            type=click.Path(dir_okay=False, path_type=Path),
            help="The actor's personal key file: the act carries their own signature.",
        )
    )
    params.append(
        click.Option(["--json", "as_json"], is_flag=True, help="Print the result as JSON.")
    )

    @pass_cli
    def run(cli: CliContext, /, sign_with: Path | None, as_json: bool, **values: Any) -> None:
        from pydantic import ValidationError

        from ledger.errors import InputError
        from ledger.record.document import problem_zh

        document: dict[str, Any] = {"act": name}
        for field_name, info in model.model_fields.items():
            key = info.alias or field_name
            if key not in values or values[key] in (None, ()):
                continue
            value = values[key]
            annotation = _unwrap(info.annotation)
            if get_origin(annotation) is tuple and _is_model(_unwrap(get_args(annotation)[0])):
                try:
                    value = [json.loads(v) for v in value]
                except ValueError as e:
                    option = "--" + key.replace("_", "-")
                    raise InputError(
                        message("en", "error.json_objects", option=option, error=e),
                        zh=message("zh", "error.json_objects", option=option, error=e),
                    ) from e
            document[key] = value
        try:
            act = model.model_validate(document)
        except ValidationError as e:
            options = [
                (f"--{'.'.join(str(p) for p in err['loc']).replace('_', '-')}", err)
                for err in e.errors()
            ]
            problems = "; ".join(f"{option}: {err['msg']}" for option, err in options)
            problems_zh = "；".join(f"{option}：{problem_zh(err)}" for option, err in options)
            raise InputError(f"{name}: {problems}", zh=f"{name}：{problems_zh}") from e
        signers = None
        service = cli.open(writable=True)
        if sign_with is not None:
            from ledger.cli.key import load_key_file

            signers = service.signers_for([load_key_file(sign_with)])
        result = service.record([act], signers=signers)  # type: ignore[list-item]
        if service.index_problem:
            say(cli.t("record.index_behind", problem=service.index_problem), err=True)
        if as_json:
            emit_json(
                {
                    "events": result.events,
                    "first_position": result.first_position,
                    "created": [{"kind": k, "id": str(i)} for k, i in result.created],
                }
            )
            return
        if result.events > 1:
            ok(
                cli.t(
                    "act.recorded_range",
                    act=name,
                    first=result.first_position,
                    last=result.last_position,
                )
            )
        else:
            ok(cli.t("act.recorded", act=name, first=result.first_position))
        for kind, ident in result.created:
            say("  " + cli.t("act.created", kind=term(cli.lang, "kind", kind), id=ident))

    doc = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else name
    return click.Command(name, params=params, callback=run, help=doc)


@click.group(cls=ActGroup)
def act() -> None:
    """Record one act (every act of a record file is a subcommand here).

    \b
    Examples:
      ledger act body.establish --kind standing_committee --name 县委常委会 --members ID ...
      ledger act matter.open --title 供水改造 --body BODY --in-charge MEMBER --major
      ledger act meeting.opinion --meeting M --item MATTER --member ID --stance agree \\
          --sign-with my.key
    """
