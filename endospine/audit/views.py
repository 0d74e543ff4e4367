from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from endospine.access import Action, require
from endospine.audit import selectors


class AuditSearchForm(forms.Form):
    patient = forms.CharField(required=False, max_length=150, label=_("Patient: MRN, name or ID"))
    user = forms.CharField(required=False, max_length=150, label=_("Staff: username or name"))
    start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The trail, searched by patient, staff member and date.

    The form posts, so that MRNs and names never appear in a URL or an access log.
    """
    require(request.user, Action.VIEW_AUDIT)
    data = request.POST if request.method == "POST" else request.GET
    form = AuditSearchForm(data or None)
    events = selectors.search().none() if form.is_bound else selectors.search()
    if form.is_valid():
        fields = form.cleaned_data
        events = selectors.search(
            patient=fields["patient"], user=fields["user"], start=fields["start"], end=fields["end"]
        )
    page = Paginator(events, 50).get_page(data.get("page"))
    return render(request, "audit/search.html", {"form": form, "page": page})
