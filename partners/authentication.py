"""Personal API tokens: `Authorization: Token <secret>` (or `Bearer <secret>`), and the API's
rate limit per token."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from redis.exceptions import RedisError
from rest_framework import authentication, exceptions, throttling

from partners.models import ApiToken
from partners.security import is_locked_out, lockout_message

logger = logging.getLogger(__name__)


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """A token that is unknown, revoked, expired or whose user is deactivated is refused and
    counted like a failed login; an address locked out after too many is refused before any
    lookup."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        parts = header.split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        django_request = request._request
        if is_locked_out(django_request):
            raise exceptions.Throttled(detail=lockout_message())
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("En-tête d'authentification mal formé.")
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(parts[1])).first()
        )
        if token is None or not token.is_active or not token.user.is_active:
            user_login_failed.send(
                sender=type(self),
                credentials={"username": None, "api_token": parts[1][:10]},
                request=django_request,
            )
            if token is not None and token.is_expired:
                raise exceptions.AuthenticationFailed("Jeton expiré : créez-en un autre.")
            raise exceptions.AuthenticationFailed("Jeton inconnu ou révoqué.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """API_RATE_LIMIT requests per token; a session counts per user, anonymous requests per
    address."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    # When the cache did not answer, the next CACHE_RETRY_SECONDS of this process's requests
    # are not counted rather than each waiting for it again.
    CACHE_RETRY_SECONDS = 10
    _cache_down_until = 0.0

    def allow_request(self, request, view) -> bool:
        """The counters live in Redis: while it is down or frozen (a bounded wait, the
        cache's socket timeouts), requests go through uncounted rather than failing."""
        if time.monotonic() < TokenRateThrottle._cache_down_until:
            return True
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("Cache unreachable: the API's rate limit is not counted")
            TokenRateThrottle._cache_down_until = time.monotonic() + self.CACHE_RETRY_SECONDS
            return True

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "jetonPersonnel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Jeton personnel créé sur la page Profil : « Token <secret> ».",
        }
