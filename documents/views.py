"""Document pages: a household's documents tab (filtered by type), adding documents (several
files at once, from the household, an action or a measure), a new version, deletion, and the
one way a file leaves the application: the download, through the access layer.

Uploads are size-checked while they stream in: the size limit's handler is installed before
the body is read, so these views check the CSRF token themselves afterwards."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Action, SupportMeasure
from core.errors import DomainError
from documents import files, services
from documents.forms import DocumentFilterForm, DocumentUploadForm, VersionForm
from documents.permissions import (
    can_add_document,
    can_delete_document,
    ensure_can_add_document,
    ensure_can_delete_document,
    get_document_or_404,
    get_version_for_download,
    visible_documents,
)
from households.permissions import HouseholdAction, get_household_or_404


def download_response(version) -> FileResponse:
    """The file as an attachment, never shown inline, never cached, its type not guessed."""
    response = FileResponse(
        files.document_storage().open(version.stored_as, "rb"),
        as_attachment=True,
        filename=version.file_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _apply_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def document_list(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    documents = (
        visible_documents(request.user, household)
        .select_related("author", "author_partner", "action", "measure")
        .prefetch_related("versions")
    )
    filters = DocumentFilterForm(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["kind"]:
        documents = documents.filter(kind=filters.cleaned_data["kind"])
    rows = []
    for document in documents:
        document.household = household  # its access is asked once for the whole page
        rows.append(
            {
                "document": document,
                "versions": list(document.versions.all()),
                "can_delete": can_delete_document(request.user, document),
            }
        )
    return render(
        request,
        "documents/list.html",
        {
            "household": household,
            "rows": rows,
            "filters": filters,
            "can_add": can_add_document(request.user, household),
        },
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    files.install_size_limit(request)
    return _document_create(request, household_pk)


@csrf_protect
def _document_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_add_document(request.user, household)
    initial = _initial_links(request, household)
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        household=household,
        user=request.user,
        too_large=getattr(request, "too_large_uploads", []),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            documents = services.document_create(
                household=household,
                by=request.user,
                uploads=data["uploads"],
                kind=data["kind"],
                title=data["title"],
                dated_on=data["dated_on"],
                confidential=data["confidential"],
                links=form.links(),
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            count = len(documents)
            messages.success(
                request,
                "Le document est enregistré."
                if count == 1
                else f"{count} documents sont enregistrés.",
            )
            return _back(request, household, data)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/form.html", {"form": form, "household": household}, status=status
    )


def _initial_links(request: HttpRequest, household) -> dict:
    """?action= or ?mesure= when the upload starts from an action's or a measure's page."""
    initial = {}
    action = request.GET.get("action", "")
    measure = request.GET.get("mesure", "")
    if action.isdigit():
        initial["action"] = Action.objects.filter(household=household, pk=action).first()
    if measure.isdigit():
        found = SupportMeasure.objects.filter(action__household=household, pk=measure).first()
        initial["measure"] = found
        if found is not None:
            initial["action"] = found.action
    return {key: value for key, value in initial.items() if value is not None}


def _back(request, household, data):
    if data.get("measure"):
        return redirect("actions:measure_detail", pk=data["measure"].pk)
    if data.get("action"):
        return redirect("actions:action_detail", pk=data["action"].pk)
    return redirect("documents:list", household_pk=household.pk)


def document_download(request: HttpRequest, pk: int, number: int | None = None) -> FileResponse:
    _, version = get_version_for_download(request, pk, number)
    return download_response(version)


@csrf_exempt
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    files.install_size_limit(request)
    return _version_create(request, pk)


@csrf_protect
def _version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request, pk)
    ensure_can_add_document(request.user, document.household)
    form = VersionForm(
        request.POST, request.FILES, too_large=getattr(request, "too_large_uploads", [])
    )
    if form.is_valid():
        try:
            version = services.document_add_version(
                document=document, by=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"La version {version.number} est enregistrée.")
            return redirect("documents:list", household_pk=document.household_id)
    return render(
        request,
        "documents/version_form.html",
        {"form": form, "document": document, "household": document.household},
        status=400,
    )


@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request, pk)
    ensure_can_delete_document(request.user, document)
    try:
        services.document_delete(document=document, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Le document « {document.title} » est supprimé.")
    return redirect("documents:list", household_pk=document.household_id)
