"""The table of impact factors every estimate is computed from: the defaults of
helix.core.symbiosis.impact with the superuser's edits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from helix.core.symbiosis import Factors
from helix.core.symbiosis.impact import DEFAULT_FACTORS
from helix.registry.permissions import may
from helix.symbiosis.models import ImpactFactorSetting
from helix.symbiosis.validation import in_range, number_range_text


def factors() -> Factors:
    return Factors({s.key: s.value for s in ImpactFactorSetting.objects.all()})


def factor_table() -> list[dict[str, Any]]:
    edits = {s.key: s for s in ImpactFactorSetting.objects.select_related("updated_by")}
    rows = []
    for f in DEFAULT_FACTORS:
        edit = edits.get(f.key)
        rows.append(
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "default": f.value,
                "value": edit.value if edit else f.value,
                "source": (edit.source if edit and edit.source else f.source),
                "default_source": f.source,
                "edited": edit is not None,
                "updated_by": edit.updated_by if edit else None,
                "updated_at": edit.updated_at if edit else None,
            }
        )
    return rows


def can_edit_factors(user: Any) -> bool:
    """Every cluster's estimates use the one table of factors: only the superuser changes it."""
    return may(user, "edit", ImpactFactorSetting)


def set_factor(user: Any, key: str, value: float, source: str = "") -> ImpactFactorSetting:
    if not can_edit_factors(user):
        raise PermissionDenied
    if key not in {f.key for f in DEFAULT_FACTORS}:
        raise ValidationError({"key": _("Unknown impact factor %(key)s.") % {"key": key}})
    if not in_range(value):  # NaN or Infinity would poison every cluster's estimates
        raise ValidationError({"value": number_range_text(0)})
    if value < 0:
        raise ValidationError({"value": _("An impact factor cannot be negative.")})
    setting, _created = ImpactFactorSetting.objects.update_or_create(
        key=key, defaults={"value": value, "source": source, "updated_by": user}
    )
    return setting
