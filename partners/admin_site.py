"""The Django admin, for coordinators and superusers: reached only with the second factor,
through the application's own login page (locked out like it after repeated failures)."""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator


class SecureAdminSite(AdminSite):
    site_header = "Le logement toujours — administration"
    site_title = "Le logement toujours"

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and user.is_verified()

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in without the right to the admin: no loop through the login page.
            raise PermissionDenied("L'administration est réservée à la coordination.")
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(reverse("login") + "?" + urlencode({"next": target}))
