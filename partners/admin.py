"""The admin for coordinators, who cannot escalate from it: they never see nor set
`is_superuser`, `is_staff`, groups or permissions, never set a password (a reset link is
sent instead), never change their own membership nor a coordinator's account; only a
superuser created from the command line does that. Users are invited from the application's
pages, not added here. Every change is in the history (django-simple-history)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from partners import permissions, services
from partners.models import ROLES_BY_PARTNER_KIND, Membership, Partner, Role, User


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            # Through the service: a partner leaving the programme loses its access.
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.partner_update(partner=obj, by=request.user, data=data)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
            return
        try:
            created = services.partner_create(
                name=obj.name,
                short_name=obj.short_name,
                kind=obj.kind,
                active=obj.active,
                by=request.user,
            )
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return
        obj.pk, obj.group_id = created.pk, created.group_id


class MembershipInlineForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["partner", "role"]

    def clean(self):
        cleaned = super().clean()
        partner, role = cleaned.get("partner"), cleaned.get("role")
        if partner and role and role not in ROLES_BY_PARTNER_KIND[partner.kind]:
            raise forms.ValidationError(
                "Ce rôle n'existe pas chez ce type de partenaire.", code="role"
            )
        return cleaned


class MembershipInline(admin.StackedInline):
    model = Membership
    form = MembershipInlineForm
    fk_name = "user"
    can_delete = False
    min_num = 0
    max_num = 1

    def _may_change(self, request, obj) -> bool:
        return obj is None or permissions.can_manage(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._may_change(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [
                choice for choice in db_field.get_choices() if choice[0] != Role.COORDINATOR
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    actions = ["send_password_reset", "deactivate"]
    readonly_fields = ["password_state", "is_active", "last_login", "date_joined"]
    coordinator_fieldsets = (
        (None, {"fields": ("username", "password_state")}),
        ("Identité", {"fields": ("first_name", "last_name", "email")}),
        ("État", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *coordinator_fieldsets,
        ("Droits (super-utilisateurs)", {"fields": ("is_staff", "is_superuser", "groups")}),
    )

    @admin.display(description="mot de passe")
    def password_state(self, obj) -> str:
        if obj.invitation_pending:
            return "Invitation en attente : le compte n'a pas encore choisi son mot de passe."
        if not obj.has_usable_password():
            return "Aucun."
        return (
            "Choisi par l'utilisateur, connu de lui seul. Pour le changer, envoyez-lui un "
            "lien de réinitialisation (action de la liste des utilisateurs)."
        )

    def get_fieldsets(self, request, obj=None):
        return self.superuser_fieldsets if request.user.is_superuser else self.coordinator_fieldsets

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(
            "Personne ne choisit le mot de passe d'un autre : envoyez-lui un lien de "
            "réinitialisation."
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        others = obj is not None and obj.pk != request.user.pk
        if others and not permissions.can_manage(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        """Memberships go through the service, which applies who may give which role and
        puts the user in the partner's group."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if not inline_form.has_changed() or not data or not data.get("partner"):
                continue
            try:
                services.membership_set(
                    user=form.instance, partner=data["partner"], role=data["role"], by=request.user
                )
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)

    @admin.action(description="Envoyer un lien pour choisir un nouveau mot de passe")
    def send_password_reset(self, request, queryset):
        for user in queryset:
            try:
                services.password_reset_send(user=user, by=request.user, request=request)
            except DomainError as error:
                self.message_user(request, f"{user} : {error.message}", level=messages.ERROR)
            else:
                self.message_user(request, f"Lien envoyé à {user}.")

    @admin.action(description="Désactiver (ferme ses sessions et ses jetons)")
    def deactivate(self, request, queryset):
        for user in queryset:
            try:
                services.user_deactivate(user=user, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{user} : {error.message}", level=messages.ERROR)
            else:
                self.message_user(request, f"{user} est désactivé.")
