"""The documents of an action or a measure, on its page (actions' templates load this tag:
the workflow's code knows nothing of documents, which sit above it)."""

from django import template

from documents.permissions import can_add_document, visible_documents

register = template.Library()


@register.inclusion_tag("documents/_record_documents.html", takes_context=True)
def record_documents(context, household, action=None, measure=None):
    """The live documents `user` may see about this action or measure, and the link to add
    one already linked to it."""
    user = context["request"].user
    documents = visible_documents(user, household).prefetch_related("versions")
    if measure is not None:
        documents = documents.filter(measure=measure)
    elif action is not None:
        documents = documents.filter(action=action)
    return {
        "household": household,
        "documents": list(documents),
        "can_add": can_add_document(user, household),
        "query": f"mesure={measure.pk}" if measure is not None else f"action={action.pk}",
    }
