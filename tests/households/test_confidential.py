"""One rule for notes confidential to their partner (households.confidential): follow-ups and
documents share its fields and its filter, and a coordinator of another partner sees neither."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import FollowUp, FollowUpQuerySet
from documents import services as documents
from documents.models import Document, DocumentQuerySet
from households.confidential import Confidential, ConfidentialQuerySet
from households.models import Household
from tests.documents import samples
from tests.factories import MeasureFactory


def test_follow_ups_and_documents_share_one_rule():
    for model, queryset in ((FollowUp, FollowUpQuerySet), (Document, DocumentQuerySet)):
        assert issubclass(model, Confidential)
        assert issubclass(queryset, ConfidentialQuerySet)
        assert "visible_to" not in queryset.__dict__  # not written again
        for name in ("confidential", "author", "author_partner"):
            assert model._meta.get_field(name).model is model


@pytest.mark.parametrize("model", [FollowUp, Document])
def test_a_confidential_record_stays_with_its_partner(flow, model):
    measure = MeasureFactory(cesf=flow.cesf, caseworker=flow.caseworker)
    nguyen = measure.action.household
    author = flow.caseworker
    if model is FollowUp:
        record = FollowUp.objects.create(
            household=nguyen,
            happened_on=date(2026, 3, 2),
            kind="phone",
            summary="Difficultés « familiales » 😟",
            confidential=True,
            author=author,
            author_partner=author.partner,
        )
    else:
        [record] = documents.document_create(
            household=nguyen,
            by=author,
            uploads=[SimpleUploadedFile("note.pdf", samples.pdf("note"))],
            kind="other",
            title="Note",
            dated_on=date(2026, 3, 2),
            confidential=True,
        )
    records = model.objects.filter(pk=record.pk)
    assert records.visible_to(author).exists()
    assert nguyen in Household.objects.visible_to(flow.cesf)
    assert not records.visible_to(flow.coordinator).exists()
    assert not records.visible_to(flow.cesf).exists()
