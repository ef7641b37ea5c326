from django import forms
from django.utils import timezone

from codecision.models import Answer, CoDecision, CommitteeSession, Purpose, Side
from codecision.services import (
    ARBITRATION_REJECT,
    ARBITRATION_REOPEN,
    committee_pending_items,
    referent_candidates,
)
from core import text
from core.dates import plausible_date
from partners.models import Membership, Role, User


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label="Réponse", choices=Answer.choices, widget=forms.RadioSelect)
    comment = text.form_field(text.REASON, label="Commentaire", required=False)
    referent = forms.ModelChoiceField(
        label="Référent·e de la mesure",
        required=False,
        queryset=User.objects.none(),
        empty_label="Choisir",
        help_text="En approuvant, l'association désigne le ou la référent·e parmi ses "
        "travailleurs sociaux.",
    )
    starts_on = forms.DateField(
        label="Début de la mesure",
        required=False,
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Si les deux parties ont approuvé ; aujourd'hui par défaut.",
    )
    side = forms.ChoiceField(label="Partie qui répond", choices=Side.choices)
    session = forms.ModelChoiceField(
        label="Comité", queryset=CommitteeSession.objects.none(), empty_label="Choisir"
    )

    def __init__(self, *args, codecision, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referent_candidates(codecision.association)
        if user.is_coordinator:
            self.fields["session"].queryset = CommitteeSession.objects.filter(
                signed_off_at__isnull=True
            )
            # On a committee's agenda: that committee, without choosing it again.
            self.fields["session"].initial = codecision.session_id
        else:
            del self.fields["side"]
            del self.fields["session"]
        # The referent and the first day are the association's to give, when it approves a
        # start (codecision.services.codecision_answer): the landlord never sees them.
        association_side = (
            user.is_coordinator or codecision.side_of(user.partner) == Side.ASSOCIATION
        )
        if codecision.purpose != Purpose.START or not association_side:
            del self.fields["referent"]
            del self.fields["starts_on"]


class ArbitrationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision de la coordination",
        choices=[
            (ARBITRATION_REJECT, "Refuser la proposition"),
            (ARBITRATION_REOPEN, "Demander un nouvel examen aux deux parties"),
        ],
        widget=forms.RadioSelect,
    )
    comment = text.form_field(text.REASON, label="Motif")


class CommitteeSessionForm(forms.Form):
    held_on = forms.DateField(
        label="Date du comité",
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    participants = forms.ModelMultipleChoiceField(
        label="Participants",
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = text.form_field(
        text.REASON,
        label="Autres participants",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    codecisions = forms.ModelMultipleChoiceField(
        label="Ordre du jour : co-décisions à examiner",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Inscrivez au moins une co-décision à l'ordre du jour."},
    )

    def __init__(self, *args, open_codecisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["codecisions"].queryset = open_codecisions
        self.fields["codecisions"].label_from_instance = lambda c: (
            f"{c.household.reference} — {c.household.name} : "
            f"{c.get_kind_display()} ({c.get_purpose_display().lower()}, "
            f"{c.get_status_display().lower()})"
        )
        memberships = Membership.objects.exclude(role=Role.FUNDER_VIEWER).select_related("partner")
        self.fields["participants"].queryset = User.objects.filter(
            pk__in=memberships.values("user_id"), is_active=True
        ).order_by("last_name", "first_name")
        # Each participant with the organisation it represents (and its role), read at once.
        of_user = {m.user_id: m for m in memberships}
        self.fields["participants"].label_from_instance = lambda u: (
            f"{u} — {of_user[u.pk].partner} ({of_user[u.pk].get_role_display()})"
            if u.pk in of_user
            else str(u)
        )


class SignOffForm(forms.Form):
    notes = text.form_field(
        text.ACCOUNT,
        label="Relevé de décisions et notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    adjourned = forms.ModelMultipleChoiceField(
        label="Dossiers sans décision, ajournés à un prochain comité",
        required=False,
        queryset=CoDecision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Un dossier encore en attente doit être ajourné pour valider le compte rendu.",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        pending = committee_pending_items(session).select_related("household")
        self.fields["adjourned"].queryset = pending
        self.fields["adjourned"].label_from_instance = lambda c: (
            f"{c.household.reference} — {c.get_kind_display()} ({c.get_status_display().lower()})"
        )
        if not pending.exists():
            del self.fields["adjourned"]


class CommitteeAnswerForm(forms.Form):
    """One side's answer to one co-decision, given in the committee (one row of the
    committee's answers page). Left on « pas de réponse », the row records nothing."""

    answer = forms.ChoiceField(
        label="Réponse",
        required=False,
        choices=[("", "Pas de réponse enregistrée"), *Answer.choices],
    )
    comment = text.form_field(text.REASON, label="Commentaire", required=False)
    referent = forms.ModelChoiceField(
        label="Référent·e de la mesure",
        required=False,
        queryset=User.objects.none(),
        empty_label="Choisir",
    )
    starts_on = forms.DateField(
        label="Début de la mesure",
        required=False,
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, prefix=f"cd{row.codecision.pk}-{row.side}", **kwargs)
        self.row = row
        # Labels that say which household and partner, in the page and its error summary.
        where = f"{row.partner} ({row.codecision.household.reference})"
        self.fields["answer"].label = f"Réponse de {where}"
        self.fields["comment"].label = f"Commentaire de {where}"
        if row.asks_referent:
            self.fields["referent"].queryset = referent_candidates(row.partner)
            self.fields["referent"].label = f"Référent·e de la mesure ({where})"
            self.fields["starts_on"].label = f"Début de la mesure ({where})"
        else:
            del self.fields["referent"]
            del self.fields["starts_on"]

    def given(self) -> dict | None:
        """What the row says, for committee_answers_record; None when left unanswered."""
        data = self.cleaned_data
        if not data.get("answer"):
            return None
        return {
            "row": self.row,
            "answer": data["answer"],
            "comment": data["comment"],
            "referent": data.get("referent"),
            "starts_on": data.get("starts_on"),
        }
