"""Forms of the account pages, in the words the pages use."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms

from partners import services
from partners.models import Partner, PartnerKind, Role


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Attention aux majuscules et aux minuscules."
        ),
        "inactive": "Ce compte est désactivé : adressez-vous au responsable de votre structure.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the link through the service (same e-mail as a manager's « lien de
    réinitialisation », written to the security log). An unknown address gets the same
    answer as a known one."""

    def save(self, *, request=None, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            services.password_reset_send(user=user, request=request)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a password from a reset link or an invitation."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password2"].label = "Le même, pour vérifier"

    def save(self, commit=True):
        services.user_password_set(
            user=self.user, password=self.cleaned_data["new_password1"], request=self.request
        )
        return self.user


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    """The current password is checked like a login attempt (counted, locked out)."""

    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password):
            return old_password
        raise forms.ValidationError(
            "Votre mot de passe actuel est incorrect.", code="password_incorrect"
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=80,
        help_text="Par exemple : logiciel de gestion locative, tableau de bord.",
    )
    expires_in_days = forms.IntegerField(
        label="Valable (jours)",
        required=False,
        min_value=1,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
        help_text="Laissez vide pour un jeton sans date de fin (déconseillé).",
    )
    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Pour confirmer que c'est bien vous.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].max_value = settings.API_TOKEN_MAX_DAYS
        self.fields["expires_in_days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class PartnerForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=Partner._meta.get_field("name").max_length)
    short_name = forms.SlugField(
        label="Nom court",
        max_length=Partner._meta.get_field("short_name").max_length,
        help_text="Lettres minuscules, chiffres et tirets : « habitat-gresivaudan ».",
    )
    kind = forms.ChoiceField(label="Type", choices=PartnerKind.choices)


class SecurityLogFilterForm(forms.Form):
    username = forms.CharField(label="Identifiant", required=False, max_length=150)
    kind = forms.ChoiceField(label="Événement", required=False)
    since = forms.DateField(
        label="Depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from partners.models import SecurityEventKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tous"), *SecurityEventKind.choices]
