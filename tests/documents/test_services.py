"""Documents in the domain layer: what a file must pass, versions, confidentiality,
soft deletion and its purge. Each refusal leaves nothing in the storage."""

import io
import socket
import struct
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.errors import DomainError
from documents import files, services
from documents.models import Document, DocumentVersion
from partners.models import Role
from tests.documents import samples
from tests.factories import household_create, orientation_create, user_create
from tests.helpers import stored_files


def upload(content: bytes, name: str = "bail.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def add(household, by, *uploads, **fields):
    data = {"kind": "lease", "title": "", "dated_on": date(2025, 9, 1), **fields}
    return services.document_create(household=household, by=by, uploads=list(uploads), **data)


@pytest.fixture
def household(cesf):
    return household_create(by=cesf, name="Lefèvre-Ducœur")


def test_a_pdf_is_stored_under_a_name_the_application_made(household, cesf, documents_storage):
    [document] = add(household, cesf, upload(samples.pdf(), "Bail signé « Zoé » 😀.pdf"))
    version = document.versions.get()
    assert document.title == "Bail_signe_Zoe"
    assert version.file_name == "Bail_signe_Zoe.pdf"
    assert version.content_type == "application/pdf"
    assert version.stored_as.startswith(f"menages/{household.pk}/")
    assert "Bail" not in version.stored_as
    assert (documents_storage / version.stored_as).read_bytes() == samples.pdf()
    assert document.author == cesf and document.author_partner == cesf.partner


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\bail.pdf", "bail.pdf"),
        ("/var/www/../jugement.exe", "jugement.pdf"),
        ("....pdf", "pdf.pdf"),
        ("", "document.pdf"),
        ("Décision FSL – n°12 (copie).PDF", "Decision_FSL_n12_copie.pdf"),
        ("a" * 300 + ".pdf", "a" * 80 + ".pdf"),
    ],
)
def test_a_file_name_is_normalised_and_never_leaves_its_folder(
    household, cesf, documents_storage, name, expected
):
    [document] = add(household, cesf, upload(samples.pdf(), name or "x"), title="Bail")
    version = document.versions.get()
    if name:
        assert version.file_name == expected
    stored = stored_files(documents_storage)
    assert [path.resolve() for path in stored] == [
        (documents_storage / version.stored_as).resolve()
    ]
    assert documents_storage.resolve() in stored[0].resolve().parents


def test_a_disguised_executable_is_refused_by_its_content(household, cesf, documents_storage):
    with pytest.raises(DomainError, match="n'est pas d'un type accepté"):
        add(household, cesf, upload(samples.windows_executable(), "jugement.pdf"))
    with pytest.raises(DomainError, match="n'est pas d'un type accepté"):
        add(household, cesf, upload(samples.plain_zip(), "plan.docx"))
    with pytest.raises(DomainError, match="n'est pas d'un type accepté"):
        add(household, cesf, upload(b"Bonjour, ceci est du texte.", "note.pdf"))
    assert Document.objects.count() == 0
    assert stored_files(documents_storage) == []


@pytest.mark.parametrize(
    ("make", "name", "content_type"),
    [
        (samples.docx, "plan.docx", files.ALLOWED_TYPES["docx"][0]),
        (samples.odt, "plan.odt", files.ALLOWED_TYPES["odt"][0]),
        (samples.png, "scan.png", "image/png"),
        (samples.docx, "plan-mal-nomme.pdf", files.ALLOWED_TYPES["docx"][0]),
    ],
)
def test_office_documents_and_images_are_accepted_by_content(
    household, cesf, make, name, content_type
):
    [document] = add(household, cesf, upload(make(), name))
    version = document.versions.get()
    assert version.content_type == content_type
    assert (
        version.file_name.rsplit(".", 1)[1]
        == files.ALLOWED_TYPES[
            {
                "image/png": "png",
                files.ALLOWED_TYPES["docx"][0]: "docx",
                files.ALLOWED_TYPES["odt"][0]: "odt",
            }[content_type]
        ][1]
    )


def _exif_of(path: Path) -> dict:
    with Image.open(path) as image:
        return dict(image.getexif())


@pytest.mark.parametrize("make", [samples.jpeg_with_location, samples.heic_with_location])
def test_a_photo_loses_its_exif_location(household, cesf, documents_storage, make):
    original = make()
    with Image.open(io.BytesIO(original)) as image:
        assert samples.GPS_IFD in image.getexif()  # the phone wrote where it was
    [document] = add(household, cesf, upload(original, "photo.heic"), kind="income_proof")
    version = document.versions.get()
    assert version.content_type == "image/jpeg"
    assert version.file_name == "photo.jpg"
    path = documents_storage / version.stored_as
    assert _exif_of(path) == {}
    content = path.read_bytes()
    assert b"Exif" not in content and "TéléphoneCorp".encode() not in content
    with Image.open(path) as image:
        assert image.size == (64, 48)


def test_a_file_over_the_limit_is_refused_while_read(household, cesf, settings, documents_storage):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    big = samples.pdf() + b"0" * (1024 * 1024)

    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.read_bytes += len(chunk)
            return chunk

    stream = Counting(big + b"1" * 10 * 1024 * 1024)
    with pytest.raises(DomainError, match="dépasse la taille maximale de 1 Mo"):
        add(household, cesf, stream)
    assert Counting.read_bytes < 1024 * 1024 + 2 * files.CHUNK  # stopped at the limit
    with pytest.raises(DomainError, match="dépasse la taille maximale"):
        add(household, cesf, upload(big))
    exactly = samples.pdf() + b"0" * (1024 * 1024 - len(samples.pdf()))
    assert len(add(household, cesf, upload(exactly))) == 1
    assert len(stored_files(documents_storage)) == 1


def test_an_empty_file_is_refused(household, cesf):
    with pytest.raises(DomainError, match="est vide"):
        add(household, cesf, upload(b"", "vide.pdf"))


def test_several_files_at_once_all_or_none(household, cesf, documents_storage):
    made = add(
        household,
        cesf,
        upload(samples.pdf(), "a.pdf"),
        upload(samples.jpeg_with_location(), "b.jpg"),
        title="Justificatifs « CAF » 2025",
        kind="income_proof",
    )
    assert [d.title for d in made] == [
        "Justificatifs « CAF » 2025 (1/2)",
        "Justificatifs « CAF » 2025 (2/2)",
    ]
    with pytest.raises(DomainError):
        add(
            household,
            cesf,
            upload(samples.pdf(), "c.pdf"),
            upload(samples.windows_executable(), "d.pdf"),
        )
    assert Document.objects.count() == 2
    assert len(stored_files(documents_storage)) == 2


def test_a_new_version_keeps_the_previous_ones(household, cesf, documents_storage):
    [document] = add(household, cesf, upload(samples.pdf("v1"), "bail.pdf"), title="Bail")
    second = services.document_add_version(
        document=document, by=cesf, upload=upload(samples.pdf("v2"), "bail-signé.pdf")
    )
    assert second.number == 2
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert (documents_storage / versions[0].stored_as).read_bytes() == samples.pdf("v1")
    assert (documents_storage / versions[1].stored_as).read_bytes() == samples.pdf("v2")
    assert document.current.number == 2


@pytest.mark.parametrize(
    ("dated_on", "message"),
    [
        (timezone.localdate() + timedelta(days=1), "dans le futur"),
        (date(1899, 12, 31), "antérieure à 1900"),
    ],
)
def test_a_document_date_stays_within_reason(household, cesf, dated_on, message):
    with pytest.raises(DomainError, match=message):
        add(household, cesf, upload(samples.pdf()), dated_on=dated_on)


def test_a_document_names_only_records_of_its_household(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    other = household_create(by=flow.cesf, name="Autre")
    with pytest.raises(DomainError, match="un autre ménage"):
        add(other, flow.cesf, upload(samples.pdf()), links={"action": orientation.action})
    [document] = add(
        orientation.household,
        flow.cesf,
        upload(samples.pdf()),
        links={"action": orientation.action},
    )
    assert document.action == orientation.action


def test_confidential_documents_stay_with_the_authors_partner(household, cesf):
    colleague = user_create(Role.CESF, partner=cesf.partner)
    coordinator = user_create(Role.COORDINATOR)
    [secret] = add(household, cesf, upload(samples.pdf()), confidential=True, title="Secret")
    [shared] = add(household, cesf, upload(samples.pdf()), title="Partagé")
    assert set(Document.objects.visible_to(colleague)) == {secret, shared}
    assert list(Document.objects.visible_to(coordinator)) == [shared]


def test_deletion_is_soft_then_purged_with_its_files(household, cesf, settings, documents_storage):
    settings.DOCUMENTS_DELETED_KEEP_DAYS = 30
    [document] = add(household, cesf, upload(samples.pdf()))
    services.document_add_version(document=document, by=cesf, upload=upload(samples.pdf("2")))
    [kept] = add(household, cesf, upload(samples.pdf("gardé")))
    services.document_delete(document=document, by=cesf)
    assert not Document.objects.live().filter(pk=document.pk).exists()
    assert len(stored_files(documents_storage)) == 3  # still there, for 30 days
    with pytest.raises(DomainError, match="déjà supprimé"):
        services.document_delete(document=document, by=cesf)
    assert services.documents_purge_deleted(timezone.now() + timedelta(days=29)) == 0
    assert services.documents_purge_deleted(timezone.now() + timedelta(days=31)) == 1
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Document.history.filter(id=document.pk).exists()
    assert DocumentVersion.objects.filter(document=kept).count() == 1
    assert stored_files(documents_storage) == [documents_storage / kept.current.stored_as]


def test_the_nightly_task_purges_the_deleted_documents(household, cesf, settings):
    from documents.tasks import purge_deleted_documents

    settings.DOCUMENTS_DELETED_KEEP_DAYS = 0
    [document] = add(household, cesf, upload(samples.pdf()))
    services.document_delete(document=document, by=cesf)
    assert purge_deleted_documents.delay().get() == 1


# --- Antivirus: a fake clamd speaking the INSTREAM protocol on a local socket ----------------

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    def __init__(self, path: Path):
        self.path = str(path)
        self.received: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(5)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                command = b""
                while not command.endswith(b"\0"):
                    command += connection.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (size,) = struct.unpack("!L", self._exactly(connection, 4))
                    if size == 0:
                        break
                    data += self._exactly(connection, size)
                self.received.append(data)
                verdict = (
                    b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                )
                connection.sendall(verdict)

    @staticmethod
    def _exactly(connection, size: int) -> bytes:
        data = b""
        while len(data) < size:
            data += connection.recv(size - len(data))
        return data

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    fake = FakeClamd(tmp_path / "clamd.sock")
    settings.DOCUMENTS_CLAMD = fake.path
    yield fake
    fake.close()


def test_clamd_scans_each_file_and_refuses_an_infected_one(
    household, cesf, clamd, documents_storage
):
    add(household, cesf, upload(samples.pdf()))
    assert clamd.received == [samples.pdf()]
    with pytest.raises(DomainError, match="contient un virus \\(Eicar-Test-Signature\\)"):
        add(household, cesf, upload(samples.pdf() + EICAR, "jugement.pdf"))
    assert Document.objects.count() == 1
    assert len(stored_files(documents_storage)) == 1


def test_an_unreachable_clamd_refuses_the_upload(household, cesf, settings, tmp_path):
    settings.DOCUMENTS_CLAMD = str(tmp_path / "absent.sock")
    with pytest.raises(DomainError, match="antivirus est indisponible"):
        add(household, cesf, upload(samples.pdf()))
    assert Document.objects.count() == 0
