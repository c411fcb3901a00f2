"""The ``wlandoctor`` command.  Each sub-command lives in its own module and registers itself on ``app``."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer

from wlandoctor import __version__

# Exit codes are a contract for scripts (documented in README and docs/cli.md).
EXIT_OK = 0  # every station online, or nothing wrong found
EXIT_FAILED = 1  # at least one station failed or did not finish
EXIT_USAGE = 2  # bad command line (typer/click's own code)
EXIT_NO_INPUT = 3  # nothing readable was given, or no record was understood
EXIT_INTERNAL = 4  # a bug in wlandoctor: reported without a traceback unless --debug

# Help shows what a value is, in the words of a command line, not Python's type names (typer prints
# "<str>", "<list[str]>", "<bool>"): a flag shows nothing, the rest a word in capitals.
_TYPE_WORDS = {
    "str": "TEXT",
    "int": "N",
    "float": "NUMBER",
    "path": "PATH",
    "file": "FILE",
    "list[str]": "PATH...",
}


def _plain_type(param: typer.core.TyperOption | typer.core.TyperArgument, ctx: Any) -> str | None:
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return None
    shown = _python_type(param, ctx)  # type: ignore[arg-type]  # ("<str>", "<list[str]>...", "<a|b>")
    if shown is None:
        return None
    bare = shown.replace("...", "").strip("<>").removesuffix(" range")
    return _TYPE_WORDS.get(bare, bare.upper() if bare.isidentifier() else bare)


_python_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _plain_type  # type: ignore[method-assign,assignment]
typer.core.TyperArgument.display_type_rich = _plain_type  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="wlandoctor",
    help="Explain why a Wi-Fi station cannot get online, from AC output, AP/client logs and captures.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,  # (--install-completion, --show-completion: bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = (
    "wlandoctor.cli.diagnose_cmd",
    "wlandoctor.cli.rules_cmd",
    "wlandoctor.cli.formats_cmd",
    "wlandoctor.cli.verify_cmd",
    "wlandoctor.cli.unknown_cmd",
    "wlandoctor.cli.collect_cmd",
    "wlandoctor.cli.stations_cmd",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wlandoctor {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """wlandoctor: why can't this station get online?"""


def main() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    try:
        app()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    # Done: leave without freeing the run's objects one by one (about a second after a large input).
    # Every file was closed by its own block; what is buffered is written first.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
