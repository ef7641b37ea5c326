from datetime import date

from django import forms

from stats.indicators import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_YEAR = 2010


class PeriodForm(forms.Form):
    """The statistics' period: a calendar year, or dates within it and the years around."""

    since = forms.DateField(label="Du", required=False, widget=DATE)
    until = forms.DateField(label="Au", required=False, widget=DATE)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        for name, day in (("since", since), ("until", until)):
            if day and not FIRST_YEAR <= day.year <= date.today().year + 5:
                self.add_error(
                    name, f"Choisissez une date entre {FIRST_YEAR} et {date.today().year + 5}."
                )
        if since and until and since > until:
            self.add_error("until", "La fin de la période suit son début.")
        return data

    def period(self) -> Period:
        whole = Period.year(self.year)
        if not self.is_bound or not self.is_valid():
            return whole
        return Period(
            self.cleaned_data["since"] or whole.start, self.cleaned_data["until"] or whole.end
        )


class ReportTextForm(forms.Form):
    text = forms.CharField(
        label="Texte de la coordination",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Le bilan de l'année vu par la coordination. N'y nommez aucun ménage.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
