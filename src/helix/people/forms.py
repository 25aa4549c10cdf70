"""Forms of the people pages: invitations (one, a colleague, a file), accepting, signing up, deciding.

Forms check what was typed; who may do what and the lifecycles are the services' (helix.people.invitations,
joining, signups).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from helix.people.invitations import inviting_clusters, inviting_organisations
from helix.registry.models import LANGUAGE_CODES, LANGUAGES, Cluster, Organisation, OrganisationKind
from helix.uploads import check_table_upload

User = get_user_model()


def _language() -> str:
    code = (get_language() or "en")[:2]
    return code if code in LANGUAGE_CODES else "en"


class _ClusterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.current_name)


class _Person(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)


class _Letter(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=LANGUAGES, help_text=_("The invitation is written in it.")
    )
    job_title = forms.CharField(label=_("Job title or role"), max_length=150, required=False)
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the invitation, under your name."),
    )


class _OrganisationChoice(forms.Form):
    """An organisation the user may add people to, or a new one (its name, kind and cluster)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(choose one, or name a new one below)"),
        help_text=_("An organisation of your clusters."),
    )
    new_organisation = forms.CharField(
        label=_("Or a new organisation"),
        max_length=200,
        required=False,
        help_text=_(
            "Created when the person accepts: not public until its profile is filled in, "
            "interested in the cluster below."
        ),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.COMPANY,
        required=False,
    )
    cluster = _ClusterChoice(
        label=_("Cluster of the new organisation"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("(choose)"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = inviting_organisations(user).order_by("name")
        self.fields["cluster"].queryset = inviting_clusters(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("organisation") and data.get("new_organisation"):
            self.add_error("new_organisation", _("Choose an organisation or name a new one, not both."))
        elif not data.get("organisation") and not data.get("new_organisation"):
            self.add_error("organisation", _("Choose the organisation, or give the name of a new one."))
        elif data.get("new_organisation") and not data.get("cluster"):
            self.add_error("cluster", _("Choose the cluster the new organisation joins."))
        return data

    def organisation_choice(self) -> dict[str, Any]:
        """The organisation chosen, or the new one (its kind: a company unless chosen) and its cluster, as
        invitations.invite and signups.approve_signup take them."""
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "new_organisation": data["new_organisation"],
            "organisation_kind": data["organisation_kind"] or "company",
            "cluster": data["cluster"],
        }


class InviteForm(_Person, _OrganisationChoice, _Letter):
    """Staff invite one person to an organisation of their clusters, or to a new one."""

    field_order = (
        "email",
        "first_name",
        "last_name",
        "organisation",
        "new_organisation",
        "organisation_kind",
        "cluster",
        "language",
        "job_title",
        "message",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        clusters = self.fields["cluster"].queryset
        if len(clusters) == 1:
            self.fields["cluster"].initial = clusters[0].pk
        self.fields["language"].initial = _language()


class ColleagueForm(_Person, _Letter):
    """A member invites a colleague of their own organisation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = _language()


class InvitationFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "organisation: its slug, scheme:identifier or exact name; or new_organisation and cluster (the "
            "cluster's slug). language: nl, fr, de or en."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=LANGUAGES,
        help_text=_("For the rows whose language column is empty."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = _language()

    def clean_file(self) -> Any:
        return check_table_upload(self.cleaned_data["file"])


class _NewPassword(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def account(self, data: dict[str, Any]) -> Any:
        """The account the password is checked against (similar to the name or the address?)."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, self.account(data))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AcceptForm(_NewPassword):
    field_order = ("first_name", "last_name", "password1", "password2")
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)

    def __init__(self, *args: Any, invitation: Any, **kwargs: Any) -> None:
        self.invitation = invitation
        kwargs.setdefault("initial", {"first_name": invitation.first_name, "last_name": invitation.last_name})
        super().__init__(*args, **kwargs)

    def account(self, data: dict[str, Any]) -> Any:
        return User(
            username=self.invitation.email.split("@")[0],
            email=self.invitation.email,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )


class SignupForm(_Person, _NewPassword):
    field_order = (
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "organisation",
        "cluster",
        "message",
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Pick it from the list if it is in the directory, or type its name."),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "organization"}),
    )
    cluster = _ClusterChoice(
        label=_("Cluster"),
        queryset=Cluster.objects.prefetch_related("names"),
        required=False,
        empty_label=_("(the clusters of my organisation)"),
        help_text=_(
            "Whose staff look at your request. Needed when your organisation is not in the directory."
        ),
    )
    message = forms.CharField(
        label=_("Message to the staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your role, why you would like an account."),
    )
    # A field people never see (hidden by the page's CSS); robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def account(self, data: dict[str, Any]) -> Any:
        email = data.get("email") or ""
        return User(
            username=email.split("@")[0],
            email=email,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = " ".join((data.get("organisation") or "").split())
        found = list(Organisation.objects.filter(is_published=True, name__iexact=name)[:2]) if name else []
        data["directory_organisation"] = found[0] if len(found) == 1 else None
        if name and data["directory_organisation"] is None and not data.get("cluster"):
            self.add_error(
                "cluster", _("Your organisation is not in the directory: choose the cluster you would join.")
            )
        return data


class ApproveForm(_OrganisationChoice):
    """Staff attach the approved account to an organisation of their clusters, or to a new one."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisation"].label = _("Attach to the organisation")
        self.fields["organisation"].help_text = ""
        self.fields["new_organisation"].label = _("Or create the organisation")
        self.fields["new_organisation"].help_text = ""


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person by e-mail."),
    )
