"""Above the threshold the engine uses HNSW indexes, saves them, and a restart loads them instead of
rebuilding, then catches up with what changed meanwhile."""

from __future__ import annotations

import json

import pytest

from helix.market import engine as market_engine
from helix.market import services
from helix.market.engine import reindex
from helix.market.suggestions import suggestions_for
from tests.factories import OrganisationFactory, UserFactory, make_listing

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def small_threshold(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    settings.HELIX_ANN_THRESHOLD = 3
    return tmp_path


def test_hnsw_index_is_saved_and_reloaded_without_rebuilding(small_threshold, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    city = OrganisationFactory(kind="government", size_class="")
    need = make_listing(city, "need", title="Street lighting with LED lanterns", description="Dimmable.")
    for n in range(2):
        make_listing(city, "need", title=f"Other need {n}", description="Heat pumps for schools.")
    offers = [
        make_listing(OrganisationFactory(), title=title, description="For cities.")
        for title in ("LED lanterns for street lighting", "Heat pumps", "Insulation panels", "Bike sharing")
    ]
    reindex()
    engine = market_engine.get_engine()
    assert engine.index_kind("offer") == "hnsw"
    assert engine.index_kind("need") == "hnsw"
    saved = market_engine.index_directory(engine.encoder)
    assert (saved / "offer" / "manifest.json").exists()
    user = UserFactory(is_superuser=True)
    before = [(s.listing.pk, s.match.score) for s in suggestions_for(need, user)]
    assert before[0][0] == offers[0].pk

    # A restart: the graphs come from disk, none is built from the vectors again.
    built: list[int] = []
    real_build = market_engine.build_index

    def counting_build(keys, vectors, **kwargs):  # type: ignore[no-untyped-def]
        built.append(len(keys))
        return real_build(keys, vectors, **kwargs)

    monkeypatch.setattr(market_engine, "build_index", counting_build)
    market_engine.reset_engine()
    offers[2].title = "LED street lighting, dimmable lanterns"
    services.save_listing(offers[2])  # changed while the process was down
    after = [(s.listing.pk, s.match.score) for s in suggestions_for(need, user)]
    assert [n for n in built if n] == []
    assert market_engine.get_engine().index_kind("offer") == "hnsw"
    assert offers[2].pk in [pk for pk, _ in after[:2]]
    unchanged = dict(before)
    for pk, score in after:
        if pk != offers[2].pk:
            assert score == pytest.approx(unchanged[pk], abs=1e-5)


def test_a_corrupt_saved_index_is_ignored_and_rebuilt(small_threshold) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        make_listing(OrganisationFactory(), title=f"Offer {n}", description="LED lanterns.")
    engine = market_engine.get_engine()
    manifest = market_engine.index_directory(engine.encoder) / "offer" / "manifest.json"
    manifest.write_text("{not json", encoding="utf-8")
    market_engine.reset_engine()
    assert market_engine.get_engine().index_kind("offer") == "hnsw"
    assert json.loads(manifest.read_text(encoding="utf-8"))["kind"] == "hnsw"  # written anew
