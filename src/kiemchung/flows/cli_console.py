"""What every `kiemchung` subcommand shares: the consoles (messages and progress to stderr,
results to stdout) and how a KiemchungError ends the command (its exit code)."""

from __future__ import annotations

import typer
from rich.console import Console

from kiemchung.core.errors import KiemchungError

console = Console(stderr=True)
out = Console()

# The run finished but some units (or review rows) could not be taken in.
EXIT_PARTIAL = 5


def fail(exc: KiemchungError) -> None:
    """Print the error in Vietnamese and exit with its code."""
    console.print(f"[bold red]Lỗi:[/] {exc}")
    raise typer.Exit(exc.exit_code)
