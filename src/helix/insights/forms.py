"""The story form: its text, kind and language, the domains, project and synergy it tells about, and the
organisations it features (each of which approves it before it goes public)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.insights.models import Story
from helix.registry.models import Cluster, Domain, Organisation


class StoryForm(forms.ModelForm):  # type: ignore[type-arg]
    featured = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Organisations it features"),
        help_text=_("Each of them approves the story before it shows on the public showcase."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Story
        fields = ("kind", "title", "summary", "body", "language", "domains", "project", "synergy")
        widgets = {"domains": forms.CheckboxSelectMultiple, "body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from helix.projects.models import Project
        from helix.symbiosis.models import Synergy

        domains = Domain.objects.filter(cluster=cluster).order_by("name")
        if domains.exists():
            self.fields["domains"].queryset = domains
        else:  # a cluster without domains: no empty list of boxes to tick
            del self.fields["domains"]
        self.fields["project"].queryset = Project.objects.filter(cluster=cluster).order_by("title")
        members = Organisation.objects.filter(memberships__cluster=cluster).distinct().order_by("name")
        self.fields["featured"].queryset = members
        self.fields["synergy"].queryset = (
            Synergy.objects.filter(have__organisation__in=members).select_related("have").order_by("-pk")
        )
        if self.instance.pk:
            self.fields["featured"].initial = [f.organisation_id for f in self.instance.featured.all()]
