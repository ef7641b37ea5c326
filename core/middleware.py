"""What every page shares in answering: too many refused attempts (core.errors) is a 429 page
with its French message. The API answers the same refusal itself (core.api)."""

from django.shortcuts import render

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
