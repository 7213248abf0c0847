"""The progress of a long command, readable wherever its output goes.

On a terminal: click's progress bar, redrawn in place. Anywhere else (a log file, CI, a
pipe, cron's mail): plain lines, one per step, or one per twentieth of the run when it
has more steps than that, so that a log reads ``rescoring 26/52`` on its own line and
never ``1/52/53/5…``. Every long command (``ckan mofcompliance import|export|rescore``,
``mofcompliance-audit --url``) reports through this one helper. It does not import CKAN,
so the audit's console script can use it.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, TextIO

import click

Report = Callable[[int, int], None]   # (done, total)
LINES_PER_RUN = 20


class _Bar:
    """click's bar, opened at the first report (when the total is known)."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label, self.stream = label, stream
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label,
                                         file=self.stream, show_pos=True).__enter__()
        self.bar.length = max(total, 1)
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


class _Lines:
    """One line per step, or per ``total // LINES_PER_RUN`` steps, and always the last."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label, self.stream = label, stream
        self.written = 0

    def __call__(self, done: int, total: int) -> None:
        every = max(1, -(-total // LINES_PER_RUN))
        if done > self.written and (done >= total or done - self.written >= every):
            click.echo("%s %d/%d" % (self.label, done, total), file=self.stream)
            self.written = done

    def close(self) -> None:
        """Nothing to finish: every line is complete when written."""


@contextlib.contextmanager
def progress(label: str, stream: TextIO | None = None) -> Iterator[Report]:
    """A ``report(done, total)`` callback for the run inside the ``with`` block, writing to
    ``stream`` (default: standard error, so that standard output stays the result)."""
    stream = stream or click.get_text_stream("stderr")
    reporter = _Bar(label, stream) if stream.isatty() else _Lines(label, stream)
    try:
        yield reporter
    finally:
        reporter.close()
