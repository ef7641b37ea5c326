"""A few papers in the demo's case files, so that the documents pages, the case journal and
the action, measure and procedure pages show some: small PDFs made here (one page of text,
no external file), each added through documents.services as an upload would be.

Idempotent: a household's paper already there (same title) is not added again."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import Action, EvictionProcedure, SupportMeasure
from documents import services
from documents.models import Document, DocumentKind
from households.models import Household, ProcedureStage
from partners.models import User


def _pdf_text(line: str) -> bytes:
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica) with the title and a few lines, accents included."""
    text = [b"BT /F1 16 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET"]
    for index, line in enumerate(lines):
        y = 740 - 20 * index
        text.append(b"BT /F1 11 Tf 56 %d Td (" % y + _pdf_text(line) + b") Tj ET")
    stream = b"\n".join(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# (household, author, kind, title, days ago, confidential, what it is about, lines)
PAPERS = [
    (
        "Martin",
        "cesf.actis",
        DocumentKind.SIGNED_DIAGNOSTIC,
        "Diagnostic signé par Mme Martin",
        20,
        False,
        None,
        ["Diagnostic social partagé, lu et signé par le ménage.", "Taux d'effort : 41 %."],
    ),
    (
        "Nguyen",
        "cesf.opac38",
        DocumentKind.FSL_DECISION,
        "Décision du FSL — aide au maintien",
        45,
        False,
        "action",
        ["Fonds de solidarité pour le logement de l'Isère.", "Aide accordée : 850,00 €."],
    ),
    (
        "Nguyen",
        "caseworker.oiseaubleu",
        DocumentKind.INCOME_PROOF,
        "Attestation CAF (ressources)",
        30,
        True,
        "measure",
        ["Attestation de paiement de la CAF.", "Confidentiel à L'Oiseau Bleu."],
    ),
    (
        "Rousseau",
        "cesf.opac38",
        DocumentKind.JUDGEMENT,
        "Jugement — délais de paiement de 24 mois",
        35,
        False,
        ProcedureStage.JUDGEMENT,
        ["Tribunal judiciaire de Grenoble.", "Clause résolutoire suspendue, 80 € par mois."],
    ),
    (
        "Rousseau",
        "caseworker.ulisse",
        DocumentKind.REPAYMENT_PLAN,
        "Plan d'apurement signé",
        50,
        False,
        "measure",
        ["Plan d'apurement de la dette locative.", "Mensualité : 80,00 € sur 24 mois."],
    ),
    (
        "Mercier",
        "cesf.pluralis",
        DocumentKind.TRIPARTITE_AGREEMENT,
        "Convention tripartite du bail glissant",
        700,
        False,
        "action",
        ["Bailleur, association et ménage.", "Points d'étape tous les six mois."],
    ),
]


def _links(household: Household, about) -> dict:
    if about == "action":
        return {"action": Action.objects.filter(household=household).first()}
    if about == "measure":
        return {"measure": SupportMeasure.objects.filter(action__household=household).first()}
    if (
        about in ProcedureStage.values
        and EvictionProcedure.objects.filter(household=household).exists()
    ):
        return {"procedure_step": about}
    return {}


def load(users: dict[str, User]) -> int:
    """Add the demo's papers; return how many were added now."""
    today, added = timezone.localdate(), 0
    for name, author, kind, title, days, confidential, about, lines in PAPERS:
        household = Household.objects.filter(name=name).first()
        if household is None or Document.objects.filter(household=household, title=title).exists():
            continue
        file_name = f"{kind.label}.pdf"
        services.document_create(
            household=household,
            by=users[author],
            uploads=[SimpleUploadedFile(file_name, demo_pdf(title, lines))],
            kind=kind,
            title=title,
            dated_on=today - timedelta(days=days),
            confidential=confidential,
            links=_links(household, about),
        )
        added += 1
    return added
