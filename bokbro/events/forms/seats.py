"""The forms of the seats kept for groups (services/seats.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.directory.models import Agency, Library
from bokbro.events.forms.staff import DATETIME_WIDGET, municipalities_for
from bokbro.events.models import Event, SeatPool
from bokbro.events.services.seats import PoolData


class SeatPoolForm(forms.ModelForm):
    class Meta:
        model = SeatPool
        fields = ["name", "capacity", "municipalities", "libraries"]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "libraries": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "name": _("For example “Fredrikstad” or “The small libraries”."),
            "municipalities": _("Everyone from the libraries in these municipalities."),
            "libraries": _("Or name the libraries one by one."),
        }

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies: list[Agency] = [event.agency]
        municipalities = municipalities_for(*agencies)
        self.fields["municipalities"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["libraries"].queryset = (  # type: ignore[attr-defined]
            Library.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("name")
        )

    def pool_data(self) -> PoolData:
        data = self.cleaned_data
        return PoolData(
            name=data["name"],
            capacity=data["capacity"],
            municipalities=list(data["municipalities"]),
            libraries=list(data["libraries"]),
        )


class GroupSeatsUntilForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["group_seats_until"]
        widgets = {"group_seats_until": DATETIME_WIDGET}
