from django import forms
from django.utils import timezone

from cases.agenda import AgendaKind
from cases.models import SubjectAccessRequest
from households.forms import HouseholdFilterForm
from households.models import ActionKind
from partners.models import User


class SubjectAccessRequestForm(forms.ModelForm):
    class Meta:
        model = SubjectAccessRequest
        fields = ["requester", "basis", "received_on", "basis_detail"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "basis": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class CaseloadFilterForm(HouseholdFilterForm):
    """« Mes ménages »' filters: the household's own, then its current action's kind and its
    measure's referent (among the referents of the user's caseload)."""

    kind = forms.ChoiceField(
        label="Action en cours", required=False, choices=[("", "Toutes"), *ActionKind.choices]
    )
    referent = forms.ModelChoiceField(
        label="Référent", required=False, queryset=User.objects.none(), empty_label="Tous"
    )

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents


class AgendaFilterForm(forms.Form):
    """« Mes échéances »' filters: kinds of items, one household of the agenda."""

    type = forms.MultipleChoiceField(
        label="Type",
        required=False,
        choices=AgendaKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    menage = forms.TypedChoiceField(
        label="Ménage", required=False, coerce=int, empty_value=None, choices=[]
    )
    attention = forms.BooleanField(label="Seulement ce qui demande votre attention", required=False)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["menage"].choices = [("", "Tous"), *households]
