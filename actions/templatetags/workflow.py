from django import template

from actions.permissions import can_log_follow_up, can_orient

register = template.Library()


@register.simple_tag
def may_orient(user, household) -> bool:
    return can_orient(user, household)


@register.simple_tag
def may_log_follow_up(user, household) -> bool:
    return can_log_follow_up(user, household)
