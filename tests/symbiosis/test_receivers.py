"""Integration: documented exchanges imported within the row and column limits, and the receiver model
learned once and again when its sources change (helix.symbiosis.receivers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from helix.symbiosis import receivers
from helix.symbiosis.models import (
    DocumentedExchange,
)
from tests.helpers.exchanges import corpus

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_exchanges_import_obeys_the_row_and_column_limits(settings):
    from tests.helpers.exchanges import corpus

    text = corpus()
    rows = len(text.strip().splitlines()) - 1
    settings.HELIX_IMPORT_MAX_ROWS = rows - 1
    with pytest.raises(ValidationError) as too_long:
        receivers.import_exchanges(text, "corpus.csv")
    assert too_long.value.messages[0].startswith(f"corpus.csv, line {rows + 1}: more than {rows - 1} rows;")
    settings.HELIX_IMPORT_MAX_ROWS, settings.HELIX_IMPORT_MAX_COLUMNS = rows, 3
    with pytest.raises(ValidationError) as too_wide:
        receivers.import_exchanges(text, "corpus.csv")
    assert too_wide.value.messages[0].endswith(
        "columns; an import reads at most 3 (HELIX_IMPORT_MAX_COLUMNS)"
    )


def test_the_receiver_model_is_learned_once_and_again_when_its_sources_change(tmp_path) -> None:
    from unittest import mock

    from helix.core.symbiosis.receiver_counts import CountReceiverModel

    receivers.reset_model()
    assert receivers.receiver_model() is None  # nothing documented yet
    receivers.import_exchanges(corpus(), "corpus.csv")
    with mock.patch.object(CountReceiverModel, "learn", wraps=CountReceiverModel.learn) as learn:
        first = receivers.receiver_model()
        assert receivers.receiver_model() is first
        assert learn.call_count == 1
        # another process (the admin, a worker) adds a row: no reset here, the summary notices it
        DocumentedExchange.objects.create(source="admin", case="x", ewc="100202", receiver_nace="4212")
        assert receivers.receiver_model() is not first
        assert "4212" in receivers.receiver_model().labels
        assert learn.call_count == 2
