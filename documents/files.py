"""What a file must pass before it joins a case file, and where it is kept.

- Its size is checked while it streams in: SizeLimitUploadHandler stops reading a file past
  DOCUMENTS_MAX_UPLOAD_MB (pages and API), and `read_limited` again for any other caller.
- Its type is read from its first bytes (filetype's magic numbers), never from its name:
  PDF, JPEG, PNG, HEIC, DOCX and ODT only.
- Its name is normalised: no folder, no accent, no character a file system or a header
  could misread, the extension of the type found.
- Images are re-encoded from their pixels (HEIC to JPEG), so that no EXIF data, the
  location of the phone that took the photo included, leaves with them.
- With DOCUMENTS_CLAMD set, clamd scans the file first (INSTREAM over its socket); a file
  it finds infected, or any failure to scan, refuses the upload.
- Files live in the storage named "documents" (settings.STORAGES): the local file system
  under var/ by default, an S3-compatible bucket in production.
"""

import hashlib
import io
import re
import socket
import struct
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from core.errors import DomainError

register_heif_opener()

# What a case file accepts: the type filetype reads in the first bytes → (MIME type, extension).
ALLOWED_TYPES = {
    "pdf": ("application/pdf", "pdf"),
    "jpg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "heic": ("image/heic", "heic"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
}
ALLOWED_LABEL = "PDF, JPEG, PNG, HEIC (photo de téléphone), DOCX ou ODT"
# What the file picker offers (a hint only: the content decides).
ACCEPT = ",".join(
    [
        ".pdf",
        ".jpg",
        ".jpeg",
        ".png",
        ".heic",
        ".docx",
        ".odt",
        *sorted({mime for mime, _ in ALLOWED_TYPES.values()}),
    ]
)
CHUNK = 64 * 1024


def document_storage() -> Storage:
    """The documents' storage, looked up at each use (settings.STORAGES["documents"])."""
    return storages["documents"]


def max_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message(name: str) -> str:
    return (
        f"« {name} » dépasse la taille maximale de {settings.DOCUMENTS_MAX_UPLOAD_MB} Mo : "
        "réduisez-le (scan en qualité moyenne, photo moins grande) ou découpez-le."
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each uploaded file's bytes as they arrive and skips the rest of a file past
    the limit, so that it is never stored whole; the names skipped are kept on the request
    (`too_large_uploads`) for the page or the API to say so. Passes every chunk on to the
    next handler (memory or temporary file)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        if request is not None and not hasattr(request, "too_large_uploads"):
            request.too_large_uploads = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            if self.request is not None:
                self.request.too_large_uploads.append(self.file_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def install_size_limit(request) -> None:
    """Put the size limit before Django's own handlers (before the body is read). Settings
    name it first in FILE_UPLOAD_HANDLERS, so that it also holds when a middleware reads the
    body before the view (the NUL-byte check): then there is nothing to add."""
    if any(isinstance(handler, SizeLimitUploadHandler) for handler in request.upload_handlers):
        return
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))


def read_limited(uploaded, name: str) -> bytes:
    """The file's content, read in chunks and refused as soon as it passes the limit."""
    limit, parts, total = max_bytes(), [], 0
    chunks = (
        uploaded.chunks(CHUNK)
        if hasattr(uploaded, "chunks")
        else iter(lambda: uploaded.read(CHUNK), b"")
    )
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise DomainError(too_large_message(name), field="file")
        parts.append(chunk)
    if total == 0:
        raise DomainError(f"« {name} » est vide.", field="file")
    return b"".join(parts)


def normalise_name(name: str, extension: str) -> str:
    """A safe file name: the last part of any path, letters without accents, digits and
    . _ - only, 80 characters at most, ending with the extension of the type found."""
    base = PurePath(str(name).replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem)
    ascii_stem = re.sub(r"[._-]{2,}", "_", ascii_stem).strip("._-")[:80]
    return f"{ascii_stem or 'document'}.{extension}"


def sniff(content: bytes, name: str) -> tuple[str, str]:
    """(MIME type, extension) from the content's magic bytes, or a DomainError."""
    kind = filetype.guess(content)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise DomainError(
            f"« {name} » n'est pas d'un type accepté ({ALLOWED_LABEL}) : son contenu a été "
            "vérifié, quel que soit son nom.",
            field="file",
        )
    return ALLOWED_TYPES[kind.extension]


def reencode_image(content: bytes, name: str) -> tuple[bytes, str, str]:
    """The image drawn again from its pixels, upright, without EXIF or any other metadata;
    HEIC photos become JPEG. Returns (content, MIME type, extension)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            fmt = "PNG" if image.format == "PNG" else "JPEG"
            upright = ImageOps.exif_transpose(image)
            mode = "RGBA" if fmt == "PNG" and upright.mode in ("RGBA", "LA", "P") else "RGB"
            pixels = upright.convert(mode)
            clean = Image.new(mode, pixels.size)
            clean.paste(pixels)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise DomainError(f"« {name} » n'est pas une image lisible.", field="file") from None
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, "PNG")
        return out.getvalue(), "image/png", "png"
    clean.save(out, "JPEG", quality=90)
    return out.getvalue(), "image/jpeg", "jpg"


class ScanError(Exception):
    pass


def clamd_scan(content: bytes) -> str | None:
    """clamd's verdict (INSTREAM): None when clean, the signature's name when infected.
    ScanError when clamd cannot be reached or answers something else."""
    address = settings.DOCUMENTS_CLAMD
    try:
        if ":" in address and not address.startswith("/"):
            host, port = address.rsplit(":", 1)
            sock = socket.create_connection((host, int(port)), settings.DOCUMENTS_CLAMD_TIMEOUT)
        else:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with sock:
            if sock.family == socket.AF_UNIX:
                sock.settimeout(settings.DOCUMENTS_CLAMD_TIMEOUT)
                sock.connect(address)
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except (OSError, ValueError) as error:
        raise ScanError(str(error)) from None
    verdict = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if verdict.endswith(" OK"):
        return None
    if verdict.endswith(" FOUND"):
        return verdict.split(":", 1)[-1].removesuffix(" FOUND").strip()
    raise ScanError(verdict)


def scan(content: bytes, name: str) -> None:
    if not settings.DOCUMENTS_CLAMD:
        return
    try:
        found = clamd_scan(content)
    except ScanError:
        raise DomainError(
            "L'analyse antivirus est indisponible : le fichier n'a pas été enregistré. "
            "Réessayez dans quelques minutes.",
            field="file",
        ) from None
    if found:
        raise DomainError(
            f"« {name} » contient un virus ({found}) : il n'a pas été enregistré.", field="file"
        )


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    file_name: str
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_upload(uploaded, name: str | None = None) -> CheckedFile:
    """Everything a file passes before it is stored (the module's docstring)."""
    name = name or getattr(uploaded, "name", "") or "document"
    display = PurePath(str(name).replace("\\", "/")).name[:120] or "document"
    content = read_limited(uploaded, display)
    scan(content, display)
    content_type, extension = sniff(content, display)
    if content_type.startswith("image/"):
        content, content_type, extension = reencode_image(content, display)
    return CheckedFile(content, normalise_name(name, extension), content_type)


def store(checked: CheckedFile, household_id: int) -> str:
    """Save in the documents storage under a name made by the application; return it."""
    extension = checked.file_name.rsplit(".", 1)[-1]
    name = f"menages/{household_id}/{uuid.uuid4().hex}.{extension}"
    return document_storage().save(name, ContentFile(checked.content))


def erase(stored_as: str) -> None:
    if stored_as:
        document_storage().delete(stored_as)
