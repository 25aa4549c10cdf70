"""Unit: the consortia-quality benchmark runs at its quick size on the shared CORDIS files (skips
without them) and reports each method's figures with intervals, chosen on validation only."""

import pytest

from bench.consortia_quality import bench_consortia_quality as bench
from tests.helpers.shared_data import cordis_dir

pytestmark = pytest.mark.unit


@pytest.mark.skipif(cordis_dir() is None, reason="../shared/data/cordis not found")
def test_quick_run_reports_model_and_baselines_with_intervals():
    results = bench.run(quick=True)
    assert results["chosen"] in bench.CANDIDATES
    test = results["test"]
    assert test["cases"] == bench.QUICK_CASES
    assert 0 < test["unfindable"] < test["cases"]
    model = f"model ({results['chosen']})"
    assert set(test) >= {model, "popularity", bench.COPARTICIPATION}
    for name in (model, "popularity", bench.COPARTICIPATION):
        for scope in ("all", "findable"):
            for metric in bench.METRICS:
                figure = test[name][scope][metric]
                assert 0 <= figure["low"] <= figure["value"] <= figure["high"] <= 1
        # Restricted to the findable cases, every figure is at least as high.
        assert test[name]["findable"]["hr@10"]["value"] >= test[name]["all"]["hr@10"]["value"]
    assert test[model]["all"]["hr@10"]["value"] > test["popularity"]["all"]["hr@10"]["value"]
    assert set(test[model]["all"]["ratio_to_coparticipation"]) == set(bench.METRICS)


def test_cordis_rows_keep_every_programme_part(tmp_path):
    import gzip

    with gzip.open(tmp_path / "h2020_programme_parts_2014_2018.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write("rcn,programme_part\n1,LEIT\n1,Innovation in SMEs\n2,SC1\n")
    with gzip.open(tmp_path / "h2020_participations_2014_2018.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write(
            "rcn,role,pic,type,country,start_year\n1,coordinator,9,PRC,BE,2017\n3,participant,8,HES,NL,2016\n"
        )
    rows = bench.read_cordis(tmp_path)
    assert [
        (
            r.project_id,
            r.organisation_id,
            r.role,
            r.organisation_type,
            r.country,
            r.programme_parts,
            r.start_year,
        )
        for r in rows
    ] == [
        ("1", "9", "coordinator", "PRC", "BE", ("LEIT", "Innovation in SMEs"), 2017),
        ("3", "8", "participant", "HES", "NL", (), 2016),
    ]
