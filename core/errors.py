"""The two ways a request is refused, each with a French message shown as it is.

- DomainError: a workflow rule said no (a date out of order, a second renewal…). Pages show
  the message on the form; the API answers 400 with the field it concerns.
- AccessRefused: the user's role or partner may not take this decision. Pages answer 403
  with the message; so does the API. Each decision has one `ensure_can_<verb>` function
  in its app's permissions.py that raises it, used by the pages and the API alike.

A third answer is not a refusal of the request itself: TooManyAttempts (429) says that the
user was refused too often in the last minute (households.permissions limits the refused
attempts each user may make, so that the access log stays readable).
"""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A workflow rule said no; the message is French and shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AccessRefused(PermissionDenied):
    """A decision the user may not take; the message says who may, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refuse_unless(allowed: bool, message: str) -> None:
    """Raise AccessRefused with `message` unless `allowed`."""
    if not allowed:
        raise AccessRefused(message)


class TooManyAttempts(Exception):
    """Too many refused attempts in a short time: pages and the API answer 429 with the
    French message and a Retry-After of `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
