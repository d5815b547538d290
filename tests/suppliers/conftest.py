import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.programs.factories import (
    AnchorCompanyFactory,
    CertificationStandardFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
    StateFactory,
    UserFactory,
)


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def file_obj(name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def program(db):
    program = ProgramFactory()
    return program


@pytest.fixture
def catalog(program):
    """A state, two supply areas, an anchor and a certification standard of the test program."""
    state = StateFactory()
    area = CriticalSupplyAreaFactory(program=program, name_es="Estampado", name_en="Stamping")
    area2 = CriticalSupplyAreaFactory(program=program, name_es="Inyección de plástico", name_en="Plastics")
    anchor = AnchorCompanyFactory(program=program, name="Ancla Uno")
    standard = CertificationStandardFactory()
    return {"state": state, "area": area, "area2": area2, "anchor": anchor, "standard": standard}


@pytest.fixture
def company_data(catalog):
    return {
        "legal_name": "Troqueles del Bajío, S.A. de C.V.",
        "trade_name": "Troqueles del Bajío",
        "rfc": "MAB9307148T4",
        "person_type": "moral",
        "state": catalog["state"],
        "municipality": "León",
        "scian_code": "336370",
        "year_founded": 1998,
        "employees": 40,
        "annual_sales_mdp": "20",
    }


@pytest.fixture
def sme_user(db):
    """An SME account whose email is verified (as after following the link)."""
    from core import audit
    from suppliers.services.accounts import EMAIL_VERIFIED_ACTION

    user = UserFactory(username="duena@pyme.mx", email="duena@pyme.mx", first_name="Ana Pérez")
    audit.record(user, action=EMAIL_VERIFIED_ACTION, actor=user)
    return user
