"""A HiGHS solver as review's modules use it: silent, one thread, seeded (so runs repeat exactly)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import highspy


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner from C++ when a solver is created; keep it off our output."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # pytest's capture, a StringIO
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def new_highs(time_limit_s: float) -> highspy.Highs:
    with _quiet_stdout():
        solver = highspy.Highs()  # type: ignore[no-untyped-call]  # its __init__ is not annotated
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("random_seed", 1)
    solver.setOptionValue("time_limit", float(time_limit_s))
    return solver
