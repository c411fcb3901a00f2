"""``wlandoctor collect [PLATFORM]``: what to run on a platform to get the input wlandoctor reads."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from wlandoctor.cli.app import EXIT_USAGE, app
from wlandoctor.cli.common import escape, fail, no_traceback, out_console
from wlandoctor.collect import as_data, as_markdown, as_text, find, platforms, station_mac


@app.command("collect")
def collect(
    platform: str = typer.Argument(None, help="The platform (e.g. huawei, openwrt, cisco-9800, windows)."),
    mac: str = typer.Option(None, "--mac", help="The station's MAC, in any notation; put into the commands."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    markdown: bool = typer.Option(False, "--markdown", help="Every platform as Markdown (docs/collect.md)."),
) -> None:
    """Print the commands that collect what wlandoctor reads on PLATFORM, for one station or for all, and
    how to turn the debugging off again; without PLATFORM, the platforms known.

    Examples: `wlandoctor collect`, `wlandoctor collect huawei --mac 64:e5:99:f3:18:f6`,
    `wlandoctor collect cisco-9800 -f json`.
    Exit codes: 0 printed; 2 unknown platform, bad MAC or bad command line.
    """
    with no_traceback():  # (a broken collect.yaml is a packaging error: said, never a traceback)
        _collect(platform, mac, fmt, markdown)


def _collect(platform: str | None, mac: str | None, fmt: str, markdown: bool) -> None:
    if fmt not in ("text", "json"):
        fail(f"--format {fmt!r}: collect writes text or json", EXIT_USAGE)
    if markdown:
        typer.echo(as_markdown(), nl=False)
        return
    station = None
    if mac is not None:
        station = station_mac(mac)
        if station is None:
            fail(
                f"--mac {mac!r} is not a MAC address (aa:bb:cc:dd:ee:ff, AABB-CCDD-EEFF, aabb.ccdd.eeff)",
                EXIT_USAGE,
            )
    if platform is None:
        _list(fmt)
        return
    p = find(platform)
    if p is None:
        fail(f"no platform {platform!r}; platforms: {', '.join(platforms())}", EXIT_USAGE)
        return
    if fmt == "json":
        typer.echo(json.dumps(as_data(p, station), indent=2, ensure_ascii=False))
    else:
        typer.echo(as_text(p, station), nl=False)


def _list(fmt: str) -> None:
    if fmt == "json":
        data = [
            {"platform": p.name, "title": p.title, "aliases": list(p.aliases), "reads": p.reads}
            for p in platforms().values()
        ]
        typer.echo(json.dumps(data, indent=2))
        return
    console = out_console()
    t = Table("platform", "what", "also called", "read as")
    for p in platforms().values():
        t.add_row(p.name, escape(p.title), ", ".join(p.aliases), p.reads)
    console.print(t)
    console.print("`wlandoctor collect PLATFORM [--mac MAC]` prints the commands for one platform.")
