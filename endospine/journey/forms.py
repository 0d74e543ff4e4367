from typing import Any

from django import forms

from endospine.access import Action, sites_for
from endospine.accounts.models import Role, Site, User


class RegisterPatientForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none())
    given_name = forms.CharField(max_length=100, label="Given name")
    family_name = forms.CharField(max_length=100, label="Family name")
    date_of_birth = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    mrn = forms.CharField(max_length=40, label="Medical record number")
    title = forms.CharField(
        max_length=200, label="Spine problem", help_text="e.g. L4-L5 disc, left leg pain"
    )
    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        label="Patient's username",
        error_messages={"invalid": "Use 3-150 letters, digits and . @ + - _"},
    )
    email = forms.EmailField(required=False, help_text="We send the set-password link here")
    phone = forms.CharField(max_length=40, required=False)
    surgeon = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    nurse = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = sites_for(user, Action.REGISTER_PATIENT)
        staff = User.objects.filter(memberships__site__in=sites, is_active=True).distinct()
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["surgeon"].queryset = staff.filter(role=Role.SURGEON)  # type: ignore[attr-defined]
        self.fields["nurse"].queryset = staff.filter(role=Role.NURSE)  # type: ignore[attr-defined]
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()
