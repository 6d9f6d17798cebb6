"""fork_map: shares worked on in forked children and in this process, results in order."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from newsarchive.core.errors import BuildError
from newsarchive.core.parallel import fork_map


def _pids_and_items(share: Sequence[int]) -> tuple[int, list[int]]:
    return os.getpid(), list(share)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_shares_come_back_in_order_and_the_last_is_worked_here(workers: int) -> None:
    results = fork_map(_pids_and_items, list(range(10)), workers, "counting")
    assert [items for _, items in results] == [list(range(10))[k::workers] for k in range(workers)]
    pids = [pid for pid, _ in results]
    assert pids[-1] == os.getpid()  # this process takes a share instead of waiting
    assert len(set(pids)) == workers and all(pid != os.getpid() for pid in pids[:-1])


def _fails_on_nine(share: Sequence[int]) -> list[int]:
    if 9 in share:
        raise ValueError("nine is not allowed")
    return list(share)


def test_a_failure_in_this_processs_share_is_reported_as_a_childs_is() -> None:
    with pytest.raises(BuildError, match="counting failed: ValueError: nine is not allowed"):
        fork_map(_fails_on_nine, list(range(10)), 2, "counting")  # 9 is in the last share
    with pytest.raises(BuildError, match="counting failed: ValueError: nine is not allowed"):
        fork_map(_fails_on_nine, list(range(9, -1, -1)), 2, "counting")  # 9 is in a child's
