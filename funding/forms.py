from django import forms

from core import text
from funding.models import LEDGER_AMOUNT, LEDGER_DATES, FundingKind, FundingSource
from partners.models import Partner

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TYPED_KINDS = [
    (k, label)
    for k, label in FundingKind.choices
    if k not in (FundingKind.FLAT_FEE, FundingKind.RENT_REDUCTION)
]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=TYPED_KINDS)
    on = forms.DateField(label="Date", widget=DATE, validators=[LEDGER_DATES])
    amount = forms.DecimalField(
        label="Montant (€)", max_digits=12, decimal_places=2, validators=LEDGER_AMOUNT
    )
    label = forms.CharField(label="Libellé", max_length=text.SHORT_LINE)
    source = forms.ModelChoiceField(
        label="Source de financement",
        queryset=FundingSource.objects.all(),
        required=False,
        empty_label="Aucune",
    )
    partner = forms.ModelChoiceField(
        label="Partenaire concerné",
        queryset=Partner.objects.all(),
        required=False,
        empty_label="Aucun (État, fondation…)",
    )


class SourceForm(forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = [
            "kind",
            "year",
            "funder",
            "funder_name",
            "amount_committed",
            "amount_received",
            "documents",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].empty_label = "Aucun : organisme extérieur"

    def clean(self):
        data = super().clean()
        if not data.get("funder") and not data.get("funder_name"):
            self.add_error("funder_name", "Indiquez le financeur : un partenaire ou un organisme.")
        return data


class CorrectionForm(forms.Form):
    reason = text.form_field(text.REASON, label="Motif de la correction")
    amount = forms.DecimalField(
        label="Montant juste (€)",
        max_digits=12,
        decimal_places=2,
        validators=LEDGER_AMOUNT,
        required=False,
        help_text="Laissez vide pour seulement annuler l'écriture.",
    )


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *FundingKind.choices]
    )
    partner = forms.ModelChoiceField(
        label="Partenaire", required=False, queryset=Partner.objects.all(), empty_label="Tous"
    )


class BudgetForm(forms.Form):
    amount_engaged = forms.DecimalField(
        label="Budget engagé (€)", max_digits=12, decimal_places=2, min_value=0
    )
    households_targeted = forms.IntegerField(label="Ménages visés", min_value=0, max_value=100000)
    flat_fee = forms.DecimalField(
        label="Forfait bailleur par mesure (€)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Laissé vide : le forfait par défaut.",
    )


class MeasureFundingForm(forms.Form):
    """A measure this source finances, named by its household's reference."""

    reference = forms.CharField(label="Référence du ménage", max_length=20)
    hours = forms.DecimalField(
        label="Heures financées",
        max_digits=6,
        decimal_places=1,
        min_value=0,
        required=False,
        localize=True,
    )
    amount = forms.DecimalField(
        label="Montant financé (€)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
    )
