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


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        from helix.insights.models import Programme

        model = Programme
        fields = ("name", "description", "visibility", "organisers")
        widgets = {
            "organisers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = (
            Organisation.objects.filter(memberships__cluster=cluster).distinct().order_by("name")
        )


class CycleForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new cycle: its dates and work domains (the proposed ones ticked), and why these."""

    class Meta:
        from helix.insights.models import Cycle

        model = Cycle
        fields = ("starts_on", "ends_on", "work_domains", "domains_note")
        widgets = {
            # ISO, as a browser's date input reads and writes it (whatever the language's date format)
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_domains": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_domains"].queryset = Domain.objects.filter(cluster=cluster).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The cycle ends before it starts."))
        return data


class OutputForm(forms.ModelForm):  # type: ignore[type-arg]
    """An output of a phase; its working table or trajectory is one of the cycle's projects."""

    url = forms.URLField(label=_("where to find it"), required=False, assume_scheme="https")

    class Meta:
        from helix.insights.models import Output

        model = Output
        fields = ("phase", "kind", "title", "summary", "url", "language", "domains", "project", "visibility")
        widgets = {"domains": forms.CheckboxSelectMultiple, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, cycle: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from helix.projects.models import Project

        cluster = cycle.programme.cluster
        self.fields["domains"].queryset = Domain.objects.filter(cluster=cluster).order_by("name")
        self.fields["project"].queryset = (
            Project.objects.filter(phase_links__cycle=cycle).distinct().order_by("title")
        )
