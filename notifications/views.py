"""The notification centre: each user sees only its own notifications."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.addresses import address_for_each
from notifications import services
from notifications.models import Notification, NotificationPreference
from notifications.services import to_do_count


def notification_list(request: HttpRequest) -> HttpResponse:
    """Unread first, then newest; paged by keyset (`?apres=<cursor>`), never by offset."""
    cursor = request.GET.get("apres", "")[:100]
    page = services.notification_page(request.user, cursor)
    # Each row's link to its household, reversed once for the page (core.addresses). The
    # forms keep their {% url %}: tests/faults/test_double_submits.py reads what they post to.
    to_household = address_for_each(
        "households:detail", {n.household_id for n in page.notifications if n.household_id}
    )
    for notification in page.notifications:
        notification.household_link = to_household.get(notification.household_id, "")
    return render(
        request,
        "notifications/list.html",
        {"notifications": page.notifications, "next_cursor": page.next_cursor, "paged": cursor},
    )


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at=None).update(
        read_at=timezone.now()
    )
    messages.success(request, f"{count} notification(s) marquée(s) comme lue(s).")
    return redirect("notifications:list")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vos préférences sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def unread_count(request: HttpRequest) -> dict:
    """Context processor: the unread count shown in the header, capped (« 99+ »)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": lambda: services.unread_count(user),
        # « En attente »: what the notices ask of the user and is not done yet, read or not
        # (a task done by anyone of the partner is done and read: it leaves both counts).
        "tasks_to_do": lambda: to_do_count(user),
    }
