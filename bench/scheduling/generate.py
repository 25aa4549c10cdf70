"""Generated matchmaking events of any size, shaped like real brokerage days: a few popular participants
(large companies, cities) are asked for far more meetings than there are slots, most are asked for a few;
some participants arrive late or leave early; priorities 1-3."""

from __future__ import annotations

import numpy as np

from helix.core.scheduling import Meeting, Problem


def generate_event(
    n_participants: int = 1000,
    n_requests: int = 10_000,
    n_slots: int = 24,
    n_tables: int = 300,
    seed: int = 7,
) -> Problem:
    rng = np.random.default_rng(seed)
    # popularity: a heavy tail (Zipf-like), so the most wanted are requested 50-100 times
    popularity = 1.0 / np.arange(1, n_participants + 1) ** 0.8
    popularity = rng.permutation(popularity)
    popularity /= popularity.sum()
    activity = rng.gamma(2.0, 1.0, n_participants)
    activity /= activity.sum()
    pairs: set[tuple[int, int]] = set()
    meetings: list[Meeting] = []
    while len(meetings) < n_requests:
        a = int(rng.choice(n_participants, p=activity))
        b = int(rng.choice(n_participants, p=popularity))
        key = (min(a, b), max(a, b))
        if a == b or key in pairs:
            continue
        pairs.add(key)
        priority = int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))
        meetings.append(Meeting(a, b, priority=priority))
    forbidden = []
    for _ in range(n_participants):
        r = rng.random()
        if r < 0.15:  # arrives late
            forbidden.append(frozenset(range(int(rng.integers(2, n_slots // 2)))))
        elif r < 0.30:  # leaves early
            forbidden.append(frozenset(range(n_slots - int(rng.integers(2, n_slots // 2)), n_slots)))
        else:
            forbidden.append(frozenset())
    limits = tuple(
        int(rng.integers(8, n_slots + 1)) if rng.random() < 0.2 else None for _ in range(n_participants)
    )
    return Problem(
        n_participants,
        n_slots,
        tuple(n_tables for _ in range(n_slots)),
        tuple(meetings),
        tuple(forbidden),
        n_slots // 2,
        f"generated-{n_participants}-{n_requests}",
        limits,
    )
