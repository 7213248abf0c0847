"""Many resources checked at once: a bounded pool of threads (the per-host limits are in
the policy), results handed back as they finish."""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from typing import Any, Callable, Iterable, Iterator, Optional

from .core import Settings, check

UploadPath = Callable[[dict[str, Any]], Optional[str]]


def checked(refs: Iterable[dict[str, Any]], settings: Settings, threads: int,
            upload_path: Optional[UploadPath] = None,
            ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(ref, result) as the checks finish, at most ``threads`` at a time and as many
    waiting, so that memory stays flat however many resources there are."""
    def work(ref: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        return ref, check(ref, settings, upload_path)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        running: set[Future] = set()
        for ref in refs:
            if len(running) >= threads * 2:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in finished)
            running.add(pool.submit(work, ref))
        for future in as_completed(running):
            yield future.result()
