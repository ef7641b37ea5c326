from decimal import Decimal

from django import forms
from django.utils import timezone

from core.api import query_id
from households.merge import REASON_MAX_LENGTH as MERGE_REASON_MAX_LENGTH
from households.models import (
    AccessAction,
    Diagnostic,
    Household,
    HouseholdMember,
    HousingStatus,
    LandlordChangeKind,
)
from households.services import DWELLING_FIELDS, REASON_MAX_LENGTH
from partners.models import Partner, User

ZERO = Decimal("0")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HouseholdForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Household
        fields = [
            "name",
            "housing_status",
            "landlord",
            "tenant_number",
            "address",
            "postcode",
            "city",
            "contact_name",
            "contact_phone",
            "contact_email",
            "consent_given_on",
        ]
        widgets = {"consent_given_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = Partner.objects.landlords().active()
        self.fields["landlord"].empty_label = "Aucun (ménage demandeur)"
        self.fields["consent_given_on"].required = True
        self.fields[
            "consent_given_on"
        ].help_text = "Le ménage a accepté que ses données soient traitées pour son accompagnement."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # A landlord change is a step of its own, with its reason, never an edit.
            self.fields["landlord"].disabled = True
            self.fields["landlord"].help_text = (
                "Le bailleur change par « Changer de bailleur » sur la fiche du ménage : une "
                "mutation ou une correction motivée de la coordination."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("housing_status") == HousingStatus.TENANT and not cleaned.get("landlord"):
            self.add_error("landlord", "Indiquez le bailleur d'un ménage locataire.")
        return cleaned


class DuplicateConfirmForm(forms.Form):
    """The confirmation step of a new file when similar ones exist (households.duplicates)."""

    confirm_duplicate = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'un autre ménage, ou je dois ouvrir ce dossier quand même",
        required=False,
    )
    ask_coordination = forms.BooleanField(
        label=(
            "Demander à la coordination de vérifier s'il s'agit du même ménage (elle peut vous "
            "donner accès au dossier existant ou fusionner les deux)"
        ),
        required=False,
    )


class HouseholdMergeForm(forms.Form):
    """The coordination merges another file (the duplicate) into this one, or this one into
    the other: the first step names it, the second confirms."""

    other = forms.CharField(
        label="Référence de l'autre dossier",
        max_length=20,
        help_text="Par exemple LT-2026-0023.",
    )
    keep = forms.ChoiceField(
        label="Dossier conservé",
        choices=[("this", "Ce dossier"), ("other", "L'autre dossier")],
        initial="this",
        widget=forms.RadioSelect,
        help_text="L'autre est archivé comme fusionné, avec un lien vers celui conservé.",
    )
    reason = forms.CharField(
        label="Motif",
        max_length=MERGE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pourquoi ces deux dossiers sont le même ménage : il figure dans l'historique.",
    )
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_other(self) -> Household:
        reference = self.cleaned_data["other"].strip().upper()
        other = Household.objects.filter(reference=reference).first()
        if other is None:
            raise forms.ValidationError("Aucun dossier ne porte cette référence.")
        if other.pk == self.household.pk:
            raise forms.ValidationError("Choisissez un autre dossier que celui-ci.")
        return other

    def pair(self) -> tuple[Household, Household]:
        """(kept, merged), once the form is valid."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["keep"] == "other":
            return other, self.household
        return self.household, other


MEMBER_FIELDS = ("first_name", "last_name", "birth_date", "relationship", "occupation", "left_on")


class LandlordChangeForm(forms.Form):
    """A landlord change: a transfer (CESF of the current landlord, coordination) or a
    correction (coordination); a glide is recorded with the sliding lease."""

    kind = forms.ChoiceField(label="Nature du changement")
    landlord = forms.ModelChoiceField(
        label="Nouveau bailleur",
        queryset=Partner.objects.landlords().active(),
        required=False,
        empty_label="Aucun (ménage demandeur)",
    )
    reason = forms.CharField(
        label="Motif",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pourquoi le bailleur change : il figure dans l'historique du dossier.",
    )
    tenant_number = forms.CharField(label="Numéro de locataire", max_length=40, required=False)
    address = forms.CharField(label="Adresse du logement", max_length=200, required=False)
    postcode = forms.CharField(label="Code postal", max_length=5, required=False)
    city = forms.CharField(label="Commune", max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, household: Household, user: User, **kwargs):
        initial = {name: getattr(household, name) for name in DWELLING_FIELDS}
        super().__init__(*args, initial={**initial, "version": household.version}, **kwargs)
        kinds = [LandlordChangeKind.TRANSFER]
        if user.is_coordinator:
            kinds.append(LandlordChangeKind.CORRECTION)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["landlord"].queryset = (
            Partner.objects.landlords().active().exclude(pk=household.landlord_id)
        )

    def dwelling(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in DWELLING_FIELDS}


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = list(MEMBER_FIELDS)
        widgets = {"birth_date": DATE_WIDGET, "left_on": DATE_WIDGET}


# Several members at once: blank lines to fill without JavaScript, and « Ajouter une ligne »
# (static/js/formset.js) clones the empty form for more; blank lines are ignored.
HouseholdMemberFormSet = forms.inlineformset_factory(
    Household,
    HouseholdMember,
    form=HouseholdMemberForm,
    extra=3,
    can_delete=False,
)


def members_data(formset) -> list[dict]:
    """What the member forms say, for the service: changed or new rows only."""
    rows = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        data = {key: form.cleaned_data[key] for key in MEMBER_FIELDS}
        data["id"] = form.instance if form.instance.pk else None
        rows.append(data)
    return rows


class DiagnosticForm(forms.ModelForm):
    """The diagnostic in the sections of a social and financial diagnostic (DSF), as
    docs/DOMAIN_RULES.md lists what it records."""

    # The version read, when correcting: a correction saved meanwhile is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SECTIONS = (
        ("Le ménage", ("made_on", "household_met", "persons", "composition")),
        (
            "Ressources mensuelles",
            (
                "income_work",
                "income_unemployment",
                "income_minimum",
                "income_family",
                "income_pension",
                "income_other",
            ),
        ),
        (
            "Charges mensuelles",
            (
                "rent",
                "recoverable_charges",
                "other_housing_costs",
                "housing_aid",
                "energy_costs",
                "energy_label",
                "other_fixed_charges",
                "debt_repayments",
            ),
        ),
        (
            "Dettes",
            (
                "rent_arrears",
                "rent_arrears_since",
                "rent_payment_resumed",
                "other_debts",
                "other_debts_detail",
                "repayment_capacity",
            ),
        ),
        ("Procédure d'expulsion", ("procedure_stage", "procedure_stage_on", "hearing_on")),
        (
            "Dispositifs sollicités",
            ("fsl_status", "overindebtedness_status", "repayment_plan_status"),
        ),
        (
            "Besoins et proposition",
            ("health_needs", "employment_needs", "other_needs", "conclusion", "proposed_action"),
        ),
    )
    # What the figures are computed from (Diagnostic's properties), shown as one types.
    FIGURE_FIELDS = (
        "persons",
        "income_work",
        "income_unemployment",
        "income_minimum",
        "income_family",
        "income_pension",
        "income_other",
        "rent",
        "recoverable_charges",
        "other_housing_costs",
        "housing_aid",
        "energy_costs",
        "other_fixed_charges",
        "debt_repayments",
        "rent_arrears",
    )

    class Meta:
        model = Diagnostic
        fields = [
            f.name
            for f in Diagnostic._meta.get_fields()
            if f.editable and f.concrete and f.name not in {"id", "household", "created_at"}
        ]
        widgets = {
            "made_on": DATE_WIDGET,
            "rent_arrears_since": DATE_WIDGET,
            "procedure_stage_on": DATE_WIDGET,
            "hearing_on": DATE_WIDGET,
            "rent_payment_resumed": forms.NullBooleanSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["made_on"].initial = timezone.localdate()
        else:
            self.fields["version"].initial = self.instance.version

    def sections(self):
        """(heading, its bound fields) in the order of a DSF."""
        return [(heading, [self[name] for name in names]) for heading, names in self.SECTIONS]

    def preview(self) -> Diagnostic:
        """An unsaved diagnostic of the figures typed so far, for the running totals: an
        amount not (yet) readable counts as 0, the persons as 1. The figures themselves are
        the model's (one formula)."""
        values = {}
        for name in self.FIGURE_FIELDS:
            field = self.fields[name]
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                value = None
            values[name] = value if value is not None else (1 if name == "persons" else ZERO)
        return Diagnostic(**values)


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False)
    housing_status = forms.ChoiceField(
        label="Situation", required=False, choices=[("", "Toutes"), *HousingStatus.choices]
    )
    landlord = forms.ModelChoiceField(
        label="Bailleur", required=False, queryset=Partner.objects.landlords(), empty_label="Tous"
    )


class AccessLogFilterForm(forms.Form):
    """The access log's filters: who (a user, or everyone of a partner), which household (its
    reference, or the number asked for, which finds attempts on households that do not
    exist), what, and when (a period, both days included)."""

    user = forms.ModelChoiceField(
        label="Utilisateur", required=False, queryset=User.objects.all(), empty_label="Tous"
    )
    partner = forms.ModelChoiceField(
        label="Structure", required=False, queryset=Partner.objects.all(), empty_label="Toutes"
    )
    household = forms.CharField(
        label="Ménage",
        required=False,
        max_length=20,
        help_text="Référence (LT-2026-0042) ou numéro demandé.",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AccessAction.choices]
    )
    since = forms.DateField(label="Du", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="Au", required=False, widget=DATE_WIDGET)

    def clean_household(self) -> str:
        return self.cleaned_data["household"].strip()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "La fin de la période précède son début.")
        return cleaned

    def filter(self, entries):
        """The entries that match what the form says (call once it is valid)."""
        data = self.cleaned_data
        for name in ("user", "partner", "action"):
            if data[name]:
                entries = entries.filter(**{name: data[name]})
        if data["household"]:
            number = query_id(data["household"])
            if number:
                entries = entries.filter(household_pk=number)
            else:
                entries = entries.filter(household__reference__iexact=data["household"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries
