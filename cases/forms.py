from django import forms
from django.utils import timezone

from cases.models import SubjectAccessRequest


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
