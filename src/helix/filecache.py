"""A file cache for pages shared by the server processes, that does not list its folder on every write.

Django's FileBasedCache counts its files (a directory listing) on every ``set`` to decide whether to
cull: with thousands of kept pages that listing costs more than the page it keeps. Here each process
counts only every ``CHECK_EVERY`` writes; the cache can exceed ``MAX_ENTRIES`` by that many files
between checks.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

CHECK_EVERY = 200


class SharedFileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = itertools.count(1)

    def _cull(self) -> None:
        if next(self._writes) % CHECK_EVERY == 0:
            super()._cull()
