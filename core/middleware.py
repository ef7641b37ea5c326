"""What every page shares in answering: too many refused attempts (core.errors) is a 429 page
with its French message (the API answers the same refusal itself, core.api); a NUL byte in
what was typed is refused with 400 before it reaches a view (PostgreSQL cannot store it)."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import render_to_string

from core.errors import TooManyAttempts


class TooManyAttemptsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TooManyAttempts):
            return None
        response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


UNREADABLE_MESSAGE = (
    "Le formulaire envoyé est illisible (en-tête multipart sans délimiteur valide) : "
    "envoyez-le à nouveau."
)
NUL_MESSAGE = (
    "Votre saisie contient un caractère nul (\\x00), invisible et refusé : retirez-le "
    "(souvent un copier-coller) et envoyez à nouveau."
)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class NulByteMiddleware:
    """Search boxes, filters and forms alike: a NUL byte anywhere is a 400, in French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        try:
            refused = _has_nul(request.GET) or (form and _has_nul(request.POST))
        except MultiPartParserError:  # a body that is not the multipart it says it is
            return _bad_request(request, UNREADABLE_MESSAGE)
        if refused:
            return _bad_request(request, NUL_MESSAGE)
        return self.get_response(request)


def _bad_request(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))
