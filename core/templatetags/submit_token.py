"""`{% submit_token %}`: a one-time token for a form (core.idempotency), built in."""

import uuid

from django import template
from django.utils.html import format_html

from core.idempotency import FIELD

register = template.Library()


@register.simple_tag
def submit_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
