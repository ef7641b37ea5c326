from django import forms
from django.utils import timezone

from actions.models import (
    OUTCOMES_BY_KIND,
    Action,
    ActionKind,
    Appointment,
    Dwelling,
    EvictionProcedure,
    FollowUp,
    LeaseEnd,
    LeaseReview,
    MeasureObjective,
    ObjectiveStatus,
    Outcome,
    ProcedureEnd,
    ReminderDelay,
    SlidingLease,
)
from actions.services import appointment_participant_candidates, orientation_kinds
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
        kinds = orientation_kinds(user, household)
        self.fields["kind"].choices = [(kind, ActionKind(kind).label) for kind in kinds]
        if user.is_cesf:
            self.fields["diagnostic"].required = True
            del self.fields["landlord"]
        else:
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
            "payment_order_delay",
            "summons_on",
            "dsf_requested_on",
            "dsf_diagnostic",
            "dsf_interview_on",
            "dsf_tenant_observations",
            "dsf_landlord_observations",
            "dsf_rehousing_need",
            "dsf_sent_to_ccapex_on",
            "dsf_sent_on",
            "hearing_on",
            "judgement_on",
            "judgement_kind",
            "judgement_outcome",
            "judgement_served_on",
            "payment_plan_months",
            "payment_plan_monthly",
            "grace_period_months",
            "grace_period_from",
            "cohesion_protocol_on",
            "order_to_leave_on",
            "order_to_leave_extra_months",
            "police_assistance_requested_on",
            "court",
        ]
        widgets = {
            "dsf_tenant_observations": forms.Textarea(attrs={"rows": 3}),
            "dsf_landlord_observations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_to_leave_extra_months"].required = False
        household = self.instance.household
        self.fields["dsf_diagnostic"].queryset = household.diagnostics.all()
        self.fields["dsf_diagnostic"].label_from_instance = lambda d: (
            f"Diagnostic du {d.made_on:%d/%m/%Y}"
        )

    def clean_order_to_leave_extra_months(self) -> int:
        return self.cleaned_data["order_to_leave_extra_months"] or 0


class ProcedureEndForm(forms.Form):
    ended_on = forms.DateField(label="Procédure terminée le", **DATE)
    end_reason = forms.ChoiceField(label="Motif", choices=ProcedureEnd.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SlidingLeaseForm(VersionedModelForm):
    class Meta:
        model = SlidingLease
        fields = [
            "mode",
            "dwelling",
            "address",
            "postcode",
            "city",
            "dwelling_type",
            "rent",
            "entry_on",
            "occupancy_agreement_on",
            "main_lease_signed_on",
            "tripartite_agreement_on",
            "sublease_signed_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance.action
        if action.kind != ActionKind.SCATTERED_HOUSING:
            # Action 3 is a sliding lease of a landlord's dwelling: no mode, no register.
            del self.fields["mode"]
            del self.fields["dwelling"]
            return
        free = Dwelling.objects.filter(
            association=action.association, left_stock_on__isnull=True
        ).exclude(leases__in=SlidingLease.objects.running().exclude(pk=self.instance.pk))
        self.fields["dwelling"].queryset = free
        self.fields["dwelling"].empty_label = "Aucun (adresse saisie ci-dessous)"
        self.fields[
            "dwelling"
        ].help_text = (
            "Un logement libre du registre de l'association : adresse et type en sont repris."
        )


class LeaseGlideForm(forms.Form):
    glide_on = forms.DateField(label="Glissement du bail le", **DATE)
    new_lease_reference = forms.CharField(label="Référence du nouveau bail", max_length=60)
    tenant_number = forms.CharField(
        label="Numéro de locataire chez le bailleur", max_length=40, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LeaseEndForm(forms.Form):
    ended_on = forms.DateField(label="Fin le", **DATE)
    end_reason = forms.ChoiceField(label="Motif", choices=LeaseEnd.choices)
    end_detail = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DwellingForm(VersionedModelForm):
    class Meta:
        model = Dwelling
        fields = ["address", "postcode", "city", "landlord", "dwelling_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = Partner.objects.landlords().active()
        self.fields["landlord"].empty_label = "Choisir un bailleur"


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
            "next_step_on",
            "confidential",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class AppointmentForm(VersionedModelForm):
    class Meta:
        model = Appointment
        fields = [
            "kind",
            "on",
            "at",
            "duration_minutes",
            "place",
            "participants",
            "notes",
            "reminder_days_before",
        ]
        widgets = {
            "at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = appointment_participant_candidates(household)
        self.fields["reminder_days_before"].choices = [("", "Aucun rappel"), *ReminderDelay.choices]


class AppointmentCancelForm(forms.Form):
    reason = text.form_field(text.REASON, label="Motif de l'annulation", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


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
    """No outcome chosen in advance: the referent picks one among those the action allows
    (OUTCOMES_BY_KIND, the rule measure_check_outcome applies)."""

    outcome = forms.ChoiceField(label="Issue", choices=Outcome.choices)
    outcome_detail = text.form_field(text.REASON, label="Précisions sur l'issue", required=False)
    closed_on = forms.DateField(
        label="Date de clôture", required=False, validators=[plausible_date], **DATE
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_BY_KIND.get(kind, set(Outcome)) if kind else set(Outcome)
        choices = [(value, label) for value, label in Outcome.choices if value in allowed]
        self.fields["outcome"].choices = [("", "Choisir l'issue"), *Outcome.choices]
        # The list offers what the action allows; another outcome sent anyway is refused by
        # the service, with its reason (measure_check_outcome).
        self.fields["outcome"].widget.choices = [("", "Choisir l'issue"), *choices]


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
    DwellingForm,
    LeaseReviewForm,
    FollowUpForm,
    AppointmentForm,
):
    _date_widgets(_form)


class OutreachRequestForm(forms.Form):
    association = forms.ModelChoiceField(
        label="Association sollicitée",
        queryset=Partner.objects.associations().active(),
        empty_label="Choisir une association",
    )
    reason = text.form_field(
        text.REASON,
        label="Motif de la demande",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Pourquoi aller vers ce ménage (il ne répond plus au bailleur…). Données "
            "sensibles : n'écrivez que ce qui est nécessaire."
        ),
    )


class OutreachAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Réponse",
        choices=[("accept", "Accepter l'aller-vers"), ("decline", "Décliner")],
        widget=forms.RadioSelect,
    )
    reason = text.form_field(
        text.REASON,
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour décliner : le bailleur le lit.",
    )


class OutreachCloseForm(forms.Form):
    reason = text.form_field(
        text.REASON,
        label="Bilan de l'aller-vers (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutreachWithdrawForm(forms.Form):
    reason = text.form_field(
        text.REASON,
        label="Pourquoi retirer la demande (facultatif, l'association ne le lit pas)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
