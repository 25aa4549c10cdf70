"""A HiGHS solver as the core's optimisers use it (review assignment and selection, symbiosis allocation):
silent, one thread, seeded where runs must repeat exactly."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import highspy


@contextmanager
def quiet_stdout() -> Iterator[None]:
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


def new_highs(time_limit_s: float, *, seed: int | None = 1) -> highspy.Highs:
    """A silent one-thread solver stopping after ``time_limit_s``; ``seed`` None keeps HiGHS's own."""
    with quiet_stdout():
        solver = highspy.Highs()  # type: ignore[no-untyped-call]  # its __init__ is not annotated
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    if seed is not None:
        solver.setOptionValue("random_seed", seed)
    solver.setOptionValue("time_limit", float(time_limit_s))
    return solver
