from django import forms
from django.utils import timezone

from actions.models import Action, FollowUp, SupportMeasure
from documents.files import ACCEPT, too_large_message
from documents.models import PROCEDURE_STEPS, DocumentKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)] if data else []


class DocumentUploadForm(forms.Form):
    files = MultipleFileField(
        label="Fichiers",
        required=False,
        help_text="Un ou plusieurs fichiers (PDF, JPEG, PNG, HEIC, DOCX, ODT), "
        "glissés ici ou choisis.",
    )
    photo = forms.FileField(
        label="Ou une photo du document",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="Sur un téléphone : l'appareil photo s'ouvre.",
    )
    kind = forms.ChoiceField(label="Type", choices=DocumentKind.choices)
    title = forms.CharField(
        label="Titre",
        max_length=200,
        required=False,
        help_text="Sans titre, le nom du fichier. Plusieurs fichiers : le titre est numéroté.",
    )
    dated_on = forms.DateField(label="Date du document", widget=DATE_WIDGET)
    confidential = forms.BooleanField(
        label="Confidentiel à ma structure",
        required=False,
        help_text="Visible seulement par les personnes de votre structure.",
    )
    action = forms.ModelChoiceField(
        label="Action concernée",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Aucune",
    )
    measure = forms.ModelChoiceField(
        label="Mesure concernée",
        queryset=SupportMeasure.objects.none(),
        required=False,
        empty_label="Aucune",
    )
    follow_up = forms.ModelChoiceField(
        label="Suivi concerné",
        queryset=FollowUp.objects.none(),
        required=False,
        empty_label="Aucun",
    )
    procedure_step = forms.ChoiceField(
        label="Étape de la procédure d'expulsion",
        choices=[("", "Aucune"), *PROCEDURE_STEPS],
        required=False,
    )

    def __init__(self, *args, household, user, too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = list(too_large)
        self.fields["dated_on"].initial = timezone.localdate()
        self.fields["action"].queryset = Action.objects.filter(household=household)
        self.fields["measure"].queryset = SupportMeasure.objects.filter(
            action__household=household
        ).select_related("action")
        self.fields["follow_up"].queryset = FollowUp.objects.filter(household=household).visible_to(
            user
        )

    def clean(self):
        data = super().clean()
        for name in self.too_large:
            self.add_error("files", too_large_message(name))
        uploads = list(data.get("files") or [])
        if data.get("photo"):
            uploads.append(data["photo"])
        if not uploads and not self.too_large:
            self.add_error("files", "Choisissez au moins un fichier, ou prenez une photo.")
        data["uploads"] = uploads
        return data

    def links(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("action", "measure", "follow_up", "procedure_step")}


class VersionForm(forms.Form):
    file = forms.FileField(
        label="Nouvelle version", widget=forms.FileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = list(too_large)

    def clean(self):
        data = super().clean()
        for name in self.too_large:
            self.add_error("file", too_large_message(name))
        return data


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Tous"), *DocumentKind.choices], required=False
    )
