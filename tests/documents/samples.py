"""Files as people upload them, made here: a PDF, photos with their location in EXIF, office
documents, and files that pretend to be what they are not."""

import io
import zipfile

from PIL import Image
from pillow_heif import register_heif_opener

register_heif_opener()

GPS_IFD = 0x8825
# 45°11'18" N, 5°43'27" E: Grenoble, where the photo was taken.
GRENOBLE = {1: "N", 2: (45.0, 11.0, 18.0), 3: "E", 4: (5.0, 43.0, 27.0)}


def pdf(text: str = "Bail signé") -> bytes:
    body = text.encode("latin-1", "replace")
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% "
        + body
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _photo(fmt: str, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "TéléphoneCorp"  # Make
    exif[GPS_IFD] = GRENOBLE
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def jpeg_with_location() -> bytes:
    return _photo("JPEG")


def heic_with_location() -> bytes:
    return _photo("HEIF")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document>Plan d'apurement</w:document>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def windows_executable() -> bytes:
    """The start of a Windows program (MZ header, PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    return bytes(header) + b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x00" * 200


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", windows_executable())
    return out.getvalue()
