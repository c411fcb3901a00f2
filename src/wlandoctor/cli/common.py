"""What the commands share: reading inputs with a progress bar, errors without tracebacks."""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from wlandoctor.cli.app import EXIT_INTERNAL, EXIT_USAGE
from wlandoctor.model import WlandoctorError
from wlandoctor.model.errors import EngineError
from wlandoctor.util.mac import normalize_mac

LARGE_INPUT = 20 * 1024 * 1024  # show a progress bar from this total size on

OFF_TERMINAL_WIDTH = 120  # columns of text output to a file or a pipe (a terminal: its own width)


def out_console(file: TextIO | None = None) -> Console:
    """The console of a command's text output, with the one width rule of every command: a terminal's own
    width; a file or a pipe OFF_TERMINAL_WIDTH columns, no colour.  Log text never becomes emoji."""
    console = Console(file=file, highlight=False, emoji=False)
    if console.is_terminal:
        return console
    return Console(file=file, highlight=False, emoji=False, width=OFF_TERMINAL_WIDTH, no_color=True)


# (soft_wrap: one message is one line, also on a pipe or a CI log, where rich would cut it at 80 columns)
err_console = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def total_size(paths: list[str]) -> int:
    total = 0
    for p in paths:
        path = Path(p)
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return total


@contextlib.contextmanager
def progress_for(paths: list[str], enabled: bool) -> Iterator[Callable[[str, int, int | None], None] | None]:
    """A rich progress bar over the bytes read, on stderr, when inputs are large and stderr is a terminal;
    when stderr is not a terminal (a CI job, a cron mail), one line each PROGRESS_LINE_EVERY seconds once
    reading has taken that long, so a long run is never silent."""
    if not enabled:
        yield None
        return
    if not err_console.is_terminal:
        yield progress_lines(time.monotonic)
        return
    size = total_size(paths)
    if size < LARGE_INPUT:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]reading[/]"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err_console,
    )
    task = bar.add_task("read", total=size)
    done: dict[str, int] = {}

    def update(name: str, read: int, _size: int | None) -> None:
        done[name] = read
        bar.update(task, completed=sum(done.values()))

    with bar:
        yield update


PROGRESS_LINE_EVERY = 60.0  # seconds


def progress_lines(
    clock: Callable[[], float], every: float = PROGRESS_LINE_EVERY
) -> Callable[[str, int, int | None], None]:
    """A progress callback that prints one line on stderr each ``every`` seconds of ``clock``."""
    from wlandoctor.sources import sanitize

    last = clock()

    def update(name: str, read: int, size: int | None) -> None:
        nonlocal last
        now = clock()
        if now - last < every:
            return
        last = now
        mib = read / (1024 * 1024)
        of = f" of {size / (1024 * 1024):.0f} MiB ({100 * read // size} %)" if size else ""
        err_console.print(f"reading {escape(sanitize(name))}: {mib:.0f} MiB{of}", markup=True)

    return update


MAX_CLOCK_SKEW_S = 3600.0  # beyond an hour two sources' clocks do not differ: they are not one network's


def clock_skew_option(value: float) -> float:
    """--clock-skew: seconds, 0 to an hour (a negative, infinite or NaN tolerance would break the splitting of
    attempts, which compares times with it)."""
    if not math.isfinite(value) or not 0.0 <= value <= MAX_CLOCK_SKEW_S:
        raise typer.BadParameter(f"give seconds from 0 to {MAX_CLOCK_SKEW_S:.0f}, not {value}")
    return value


CLOCK_SKEW = typer.Option(
    0.0,
    "--clock-skew",
    callback=clock_skew_option,
    help="Seconds of clock difference tolerated between sources (0 to 3600).",
)


def station_option(value: str | None) -> str | None:
    return normalize_mac(value) if value else None


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        f = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}", 3)
    with f:
        yield f


def fail(message: str, code: int) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(text)


@contextlib.contextmanager
def no_traceback() -> Iterator[None]:
    """Turn unexpected exceptions into one line and exit code 4 (WLANDOCTOR_DEBUG=1 shows the traceback)."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
        # (BrokenPipeError: the reader of the output went away, as with `| head`; typer then ends the
        # run quietly with exit code 1, like other command-line tools.)
        raise
    except WlandoctorError as exc:
        if os.environ.get("WLANDOCTOR_DEBUG"):
            traceback.print_exc()
        fail(str(exc), EXIT_USAGE if isinstance(exc, EngineError) else 3)
    except Exception as exc:
        if os.environ.get("WLANDOCTOR_DEBUG"):
            # the traceback, and still the exit code of an internal error (1 would say "a station failed")
            traceback.print_exc()
            raise typer.Exit(EXIT_INTERNAL) from None
        fail(
            f"internal error ({type(exc).__name__}: {exc}); rerun with WLANDOCTOR_DEBUG=1 and report it",
            EXIT_INTERNAL,
        )
