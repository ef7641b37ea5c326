"""A creation sent twice is made once (a double click, a form sent again, an API call
retried after a timeout): the second gets the first one's answer.

- Pages: every form drawn through templates/_form_fields.html carries a one-time
  `submit_token` (`{% submit_token %}`); the answer that follows a success (a redirect) is
  kept, and the same token sent again is redirected to the same place.
- API: a POST may carry an `Idempotency-Key` header (documented in the schema); a 2xx answer
  is kept and given again, as it was, for the same key from the same user or token.

The key is taken in the same transaction as the work it guards: a second request with the
same key waits for the first, then gets its answer. Answers that are not a success (a form
with errors, a refusal) are not kept: the user corrects and sends again. Keys are kept
IDEMPOTENCY_KEEP_HOURS."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone

from core.models import IdempotentRequest

HEADER = "Idempotency-Key"
FIELD = "submit_token"
MAX_KEY_LENGTH = 100


def _owner(request) -> str | None:
    authorization = request.headers.get("Authorization", "")
    if request.path.startswith("/api/") and authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _key(request) -> str | None:
    if request.method != "POST":
        return None
    if request.path.startswith("/api/"):
        return request.headers.get(HEADER) or None
    return request.POST.get(FIELD) or None


def _replay(request, done: IdempotentRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = HttpResponse(done.body, status=done.status, content_type=done.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
    messages.info(
        request, "Ce formulaire avait déjà été envoyé : il n'a été enregistré qu'une fois."
    )
    return HttpResponseRedirect(done.location)


def _refuse(request, message: str, status: int = 400) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({HEADER: [message]}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _kept(request, response) -> bool:
    if request.path.startswith("/api/"):
        return 200 <= response.status_code < 300
    return 300 <= response.status_code < 400 and response.has_header("Location")


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key, owner = _key(request), None
        if key is not None:
            owner = _owner(request)
        if key is None or owner is None:
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return _refuse(request, f"Clé invalide : {MAX_KEY_LENGTH} caractères visibles au plus.")
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        owner=owner, key=key, path=request.path[:500]
                    )
            except IntegrityError:
                done = IdempotentRequest.objects.get(owner=owner, key=key)
                if done.path != request.path[:500]:
                    return _refuse(request, "Cette clé a déjà servi pour une autre demande.")
                if not done.status:
                    return _refuse(request, "Cette demande est déjà en cours.", 409)
                return _replay(request, done)
            response = self.get_response(request)
            if not _kept(request, response):
                record.delete()
                return response
            record.status = response.status_code
            record.location = response.get("Location", "")[:500]
            record.content_type = response.get("Content-Type", "")[:100]
            if request.path.startswith("/api/") and not response.streaming:
                record.body = response.content
            record.save()
        return response


def forget_old_keys() -> int:
    limit = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=limit).delete()
    return deleted
