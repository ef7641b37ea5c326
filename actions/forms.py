from django import forms
from django.utils import timezone

from actions.models import (
    Action,
    ActionKind,
    EvictionProcedure,
    FollowUp,
    LeaseReview,
    MeasureObjective,
    ObjectiveStatus,
    Outcome,
    SlidingLease,
)
from core import text
from core.dates import plausible_date
from households.models import Diagnostic
from partners.models import Partner

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _date_widgets(model_form_class) -> None:
    for field in model_form_class.base_fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedModelForm(forms.ModelForm):
    """A form on a record two people may edit at once: the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def data_without_version(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class OrientationForm(forms.Form):
    kind = forms.ChoiceField(label="Action proposée", choices=ActionKind.choices)
    diagnostic = forms.ModelChoiceField(
        label="Diagnostic sur lequel s'appuie l'orientation",
        queryset=Diagnostic.objects.none(),
        required=False,
        empty_label="Aucun (action 4)",
    )
    association = forms.ModelChoiceField(
        label="Association proposée",
        queryset=Partner.objects.associations().active(),
        empty_label="Choisir une association",
    )
    landlord = forms.ModelChoiceField(
        label="Bailleur qui fournit le logement",
        queryset=Partner.objects.landlords().active(),
        required=False,
        empty_label="Choisir pour l'action 4",
        help_text="Pour l'action 4 (logement en diffus).",
    )
    reason = text.form_field(
        text.REASON,
        label="Motif de l'orientation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement.",
    )

    def __init__(self, *args, household, user, **kwargs):
        super().__init__(*args, **kwargs)
        diagnostics = household.diagnostics.select_related("author")
        self.fields["diagnostic"].queryset = diagnostics
        self.fields["diagnostic"].label_from_instance = lambda d: (
            f"Diagnostic du {d.made_on:%d/%m/%Y} par {d.author}"
        )
        latest = diagnostics.first()
        if latest and not self.is_bound:
            self.initial["diagnostic"] = latest.pk
            if latest.proposed_action:
                self.initial["kind"] = latest.proposed_action
        if user.is_cesf:
            self.fields["kind"].choices = [
                c for c in ActionKind.choices if c[0] != ActionKind.SCATTERED_HOUSING
            ]
            self.fields["diagnostic"].required = True
            del self.fields["landlord"]
        else:
            self.fields["kind"].choices = [
                c for c in ActionKind.choices if c[0] == ActionKind.SCATTERED_HOUSING
            ]
            self.fields["landlord"].required = True
            self.fields["association"].initial = user.partner.pk


class EnergyTrackingForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = [
            "energy_label",
            "transfer_requested_on",
            "dwelling_offered_on",
            "offer_accepted_on",
            "moved_on",
        ]


class SolvencyTrackingForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = [
            "repayment_plan_monthly",
            "repayment_plan_start",
            "fsl_status",
            "overindebtedness_status",
            "solvency_target",
            "transfer_requested_on",
            "dwelling_offered_on",
            "offer_accepted_on",
            "moved_on",
        ]


class ProcedureForm(VersionedModelForm):
    class Meta:
        model = EvictionProcedure
        fields = [
            "lease_signed_on",
            "ccapex_referred_on",
            "payment_order_on",
            "summons_on",
            "dsf_requested_on",
            "dsf_interview_on",
            "dsf_sent_on",
            "hearing_on",
            "judgement_on",
            "eviction_ordered",
            "order_to_leave_on",
            "order_to_leave_extra_months",
            "police_assistance_requested_on",
            "court",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_to_leave_extra_months"].required = False

    def clean_order_to_leave_extra_months(self) -> int:
        return self.cleaned_data["order_to_leave_extra_months"] or 0


class SlidingLeaseForm(VersionedModelForm):
    class Meta:
        model = SlidingLease
        fields = [
            "address",
            "dwelling_type",
            "rent",
            "entry_on",
            "main_lease_signed_on",
            "tripartite_agreement_on",
            "sublease_signed_on",
            "glide_on",
            "new_lease_reference",
        ]


class LeaseReviewForm(forms.ModelForm):
    class Meta:
        model = LeaseReview
        fields = [
            "held_on",
            "rent_paid_regularly",
            "peaceful_occupation",
            "dwelling_upkept",
            "budget_managed",
            "observations",
            "landlord_offers_lease",
        ]


class RentReductionForm(forms.Form):
    monthly_amount = forms.DecimalField(
        label="Minoration mensuelle (€)", min_value=0, max_digits=10, decimal_places=2
    )
    starts_on = forms.DateField(label="Premier mois", validators=[plausible_date], **DATE)
    ends_on = forms.DateField(label="Dernier mois", validators=[plausible_date], **DATE)


class ArrearsReadingForm(forms.Form):
    read_on = forms.DateField(label="Date du relevé", validators=[plausible_date], **DATE)
    amount = forms.DecimalField(
        label="Montant des impayés (€)", min_value=0, max_digits=10, decimal_places=2
    )


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = [
            "happened_on",
            "kind",
            "duration_minutes",
            "summary",
            "next_step",
            "confidential",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = MeasureObjective
        fields = ["text"]


class ObjectiveStatusForm(forms.Form):
    objective = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="État", choices=ObjectiveStatus.choices)


class RenewalRequestForm(forms.Form):
    comment = text.form_field(text.REASON, label="Pourquoi renouveler ?")


class ClosureForm(forms.Form):
    outcome = forms.ChoiceField(label="Issue", choices=Outcome.choices)
    outcome_detail = text.form_field(text.REASON, label="Précisions sur l'issue", required=False)
    closed_on = forms.DateField(
        label="Date de clôture", required=False, validators=[plausible_date], **DATE
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MeasureFilterForm(forms.Form):
    association = forms.ModelChoiceField(
        label="Association",
        required=False,
        queryset=Partner.objects.associations(),
        empty_label="Toutes",
    )
    kind = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *ActionKind.choices]
    )


for _form in (
    EnergyTrackingForm,
    SolvencyTrackingForm,
    ProcedureForm,
    SlidingLeaseForm,
    LeaseReviewForm,
    FollowUpForm,
):
    _date_widgets(_form)
