from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from endospine.access import Action, require
from endospine.audit import selectors


class AuditSearchForm(forms.Form):
    patient = forms.UUIDField(required=False, label="Patient ID")
    user = forms.CharField(required=False, max_length=150, label="Username")
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_AUDIT)
    form = AuditSearchForm(request.GET or None)
    events = selectors.search().none() if form.is_bound else selectors.search()
    if form.is_valid():
        data = form.cleaned_data
        events = selectors.search(
            patient_id=data["patient"], username=data["user"], start=data["start"], end=data["end"]
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"form": form, "page": page})
