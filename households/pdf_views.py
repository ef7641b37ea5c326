from django.http import HttpRequest, HttpResponse

from households.pdf import render_pdf
from households.permissions import HouseholdAction, get_household_or_404
from households.summary import case_summary


def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The case summary as a PDF: same access as the page, written to the access log."""
    household = get_household_or_404(request, pk, HouseholdAction.EXPORT)
    pdf = render_pdf("pdf/case_summary.html", {"summary": case_summary(household, request.user)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{household.reference}.pdf"'
    return response
