"""Run work in forked child processes that share the parent's memory copy-on-write.

Pelican's generated context (every story, term and template) is large and full of objects
that do not pickle cheaply; a forked child sees it as it is. Only each child's result
crosses back, pickled through a pipe, with the warnings it logged (the parent logs them
again, so they count for --strict). Children leave with os._exit: no cleanup of the
parent's (caches, locks, temp folders) runs twice.
"""

from __future__ import annotations

import logging
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import BuildError

T = TypeVar("T")
R = TypeVar("R")

Warning_ = tuple[int, str, str]  # level, logger name, message


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[Warning_] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.name, record.getMessage()))


def fork_map(work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, what: str) -> list[R]:
    """``work(items[k::workers])`` in child k, results in order; in-process for one worker."""
    if workers <= 1 or len(items) < 2:
        return [work(items)]
    children: list[tuple[int, int]] = []
    for number in range(workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child(work, items[number::workers], write_end)
        os.close(write_end)
        children.append((pid, read_end))
    results: list[R] = []
    failures: list[str] = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not payload:
            failures.append(f"a worker died (status {status})")
            continue
        state, detail, warnings = pickle.loads(payload)
        for level, logger_name, message in warnings:
            logging.getLogger(logger_name).log(level, "%s", message)
        if state == "error":
            failures.append(str(detail))
        else:
            results.append(detail)
    if failures:
        raise BuildError(f"{what} failed: {failures[0]}")
    return results


def _child(work: Callable[[Sequence[T]], Any], share: Sequence[T], write_end: int) -> None:
    """Run in the child: do the share, send the outcome and the warnings, and leave."""
    code = 0
    capture = _Capture()
    logging.getLogger().handlers = [capture]
    for name in ("pelican", "newsarchive"):
        logging.getLogger(name).handlers = []
    try:
        payload = pickle.dumps(("ok", work(share), capture.records))
    except BaseException as error:  # reported to the parent, which fails the build
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        payload = pickle.dumps(("error", detail, capture.records))
        code = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)
