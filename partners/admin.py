from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.errors import DomainError
from partners import services
from partners.models import ROLES_BY_PARTNER_KIND, Membership, Partner, User


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            created = services.partner_create(
                name=obj.name, short_name=obj.short_name, kind=obj.kind, active=obj.active
            )
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]

    def save_formset(self, request, form, formset, change):
        """Memberships go through the service, which also puts the user in the partner's group."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = inline_form.cleaned_data
            if data and not data.get("DELETE") and data.get("partner"):
                try:
                    services.membership_set(
                        user=form.instance, partner=data["partner"], role=data["role"]
                    )
                except DomainError as error:
                    self.message_user(request, error.message, level="error")
