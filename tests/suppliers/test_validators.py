"""Validators: DOF 2009 stratification (DESIGN.md examples), RFC, SCIAN and upload content checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from suppliers.rfc import normalize_rfc
from suppliers.stratification import Sector, Size, combined_score, company_size, sector_for_scian
from suppliers.validators import inspect_upload, validate_rfc, validate_scian, validate_sme_size
from tests.suppliers.conftest import EXE_BYTES, JPEG_BYTES, PDF_BYTES, png_bytes, upload


@pytest.mark.parametrize(
    "sector, employees, sales, expected",
    [
        # DESIGN.md examples (Secretaría de Economía, DOF 30 June 2009)
        (Sector.INDUSTRY, 10, "4", Size.MICRO),
        (Sector.INDUSTRY, 10, "4.01", Size.SMALL),
        (Sector.COMMERCE, 45, "90", Size.SMALL),
        (Sector.INDUSTRY, 1000, "100", Size.MEDIUM),
        (Sector.INDUSTRY, 300, "260", Size.LARGE),
        # 4.6 is inclusive: 10*0.1 + 4*0.9 = 4.6
        (Sector.SERVICES, 10, "4", Size.MICRO),
        (Sector.COMMERCE, 46, "0", Size.MICRO),
        (Sector.COMMERCE, 47, "0", Size.SMALL),
        # small ceilings: comercio 93 vs industria 95
        (Sector.COMMERCE, 100, "92.2", Size.SMALL),  # 10 + 82.98 = 92.98 <= 93
        (Sector.COMMERCE, 100, "92.3", Size.MEDIUM),  # 93.07 > 93
        (Sector.INDUSTRY, 100, "94.4", Size.SMALL),  # 94.96 <= 95
        (Sector.INDUSTRY, 150, "90", Size.MEDIUM),  # 15 + 81 = 96 > 95
        # medium ceilings: industria 250, comercio/servicios 235
        (Sector.INDUSTRY, 500, "222.2", Size.MEDIUM),  # 50 + 199.98 = 249.98
        (Sector.SERVICES, 500, "222.2", Size.LARGE),
    ],
)
def test_company_size(sector, employees, sales, expected):
    assert company_size(sector, employees, Decimal(sales)) == expected


def test_design_example_score_190():
    assert combined_score(1000, Decimal("100")) == Decimal("190")


@pytest.mark.parametrize(
    "scian, sector",
    [
        ("336370", Sector.INDUSTRY),
        ("326192", Sector.INDUSTRY),
        ("311010", Sector.INDUSTRY),
        ("431110", Sector.COMMERCE),
        ("461110", Sector.COMMERCE),
        ("541330", Sector.SERVICES),
    ],
)
def test_sector_for_scian(scian, sector):
    assert sector_for_scian(scian) == sector


@pytest.mark.parametrize("employees, sales, ok", [(40, "20", True), (1000, "100", True), (300, "260", False)])
def test_validate_sme_size_refuses_large(employees, sales, ok):
    if ok:
        assert validate_sme_size(scian_code="336370", employees=employees, annual_sales_mdp=Decimal(sales)).size
    else:
        with pytest.raises(ValidationError) as exc:
            validate_sme_size(scian_code="336370", employees=employees, annual_sales_mdp=Decimal(sales))
        assert exc.value.code == "not_sme"


def test_validate_sme_size_flags_employees_outside_the_range():
    check = validate_sme_size(scian_code="336370", employees=1000, annual_sales_mdp=Decimal("100"))
    assert (check.size, check.employee_range) == ("mediana", "above")


def test_normalize_rfc():
    assert normalize_rfc(" mab-930714 8t4 ") == "MAB9307148T4"
    assert normalize_rfc(None) == ""


def test_validate_sme_size_refuses_negative_figures():
    with pytest.raises(ValidationError) as exc:
        validate_sme_size(scian_code="336370", employees=10, annual_sales_mdp=Decimal("-1"))
    assert exc.value.code == "negative"


@pytest.mark.parametrize(
    "value, rfc, person_type, checksum_ok",
    [
        ("MAB9307148T4", "MAB9307148T4", "moral", True),
        ("mab-930714-8t4", "MAB9307148T4", "moral", True),
        ("GODE561231GR8", "GODE561231GR8", "fisica", True),
        ("GODE 561231 GR8", "GODE561231GR8", "fisica", True),
        ("VACE460910SX6", "VACE460910SX6", "fisica", False),  # failed check digit: accepted, flagged
        ("MAB9307148T5", "MAB9307148T5", "moral", False),
        ("  mab 930714_8t4\t", "MAB9307148T4", "moral", True),
        ("GODE-561231-GR8", "GODE561231GR8", "fisica", True),
    ],
)
def test_validate_rfc_accepts(value, rfc, person_type, checksum_ok):
    check = validate_rfc(value)
    assert (check.rfc, check.person_type, check.checksum_valid) == (rfc, person_type, checksum_ok)


@pytest.mark.parametrize(
    "value, code",
    [
        ("", "rfc_length"),
        ("COMG600703", "rfc_length"),
        ("ABCDEFGHIJKLMN", "rfc_length"),
        ("MAB9313148T4", "rfc_format"),  # month 13
        ("1234567890AB", "rfc_format"),
        ("XAXX010101000", "rfc_generic"),  # público en general
        ("XEXX010101000", "rfc_generic"),  # extranjeros
        ("xaxx-010101 000", "rfc_generic"),
        (" XEXX 010101 000 ", "rfc_generic"),
    ],
)
def test_validate_rfc_refuses_malformed(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_rfc(value)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "value, ok",
    [
        ("336370", True),
        ("326192", True),
        ("33637", False),
        ("ABCDEF", False),
        ("996370", False),
        (" 336390 ", True),
        ("111110", False),  # agriculture: no DOF sector
        ("501010", False),  # not a SCIAN sector
        ("931110", True),
    ],
)
def test_validate_scian(value, ok):
    if ok:
        assert validate_scian(value) == value.strip()
    else:
        with pytest.raises(ValidationError):
            validate_scian(value)


@pytest.mark.parametrize(
    "name, content, mime",
    [
        ("csf.pdf", PDF_BYTES, "application/pdf"),
        ("scan.png", png_bytes(), "image/png"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("no-extension", PDF_BYTES, "application/pdf"),  # the name does not matter, the content does
    ],
)
def test_upload_accepted_by_content(name, content, mime):
    assert inspect_upload(upload(name, content)).content_type == mime


@pytest.mark.parametrize(
    "name, content",
    [
        ("csf.pdf", png_bytes()),  # PNG content named .pdf
        ("logo.gif", b"GIF89a" + b"\x00" * 40),  # a GIF: not an accepted type
        ("scan.png", PDF_BYTES),  # PDF content named .png
        ("csf.pdf", EXE_BYTES),  # a Windows executable named .pdf
        ("notes.pdf", b"just some text, not a pdf"),
        ("empty.pdf", b""),
    ],
)
def test_upload_refused_by_content(name, content):
    with pytest.raises(ValidationError):
        inspect_upload(upload(name, content))


def test_pdf_name_with_png_bytes_is_refused_as_mismatch():
    with pytest.raises(ValidationError) as exc:
        inspect_upload(upload("constancia.pdf", png_bytes()))
    assert exc.value.code == "file_type_mismatch"


def test_exe_content_is_refused_as_wrong_type():
    with pytest.raises(ValidationError) as exc:
        inspect_upload(upload("constancia.pdf", EXE_BYTES))
    assert exc.value.code == "file_type"


def test_upload_size_limit(settings):
    settings.SDP_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        inspect_upload(upload("big.pdf", PDF_BYTES + b"0" * 200))
    assert exc.value.code == "file_too_large"
    settings.SDP_MAX_UPLOAD_BYTES = 10_000
    assert inspect_upload(upload("ok.pdf", PDF_BYTES)).size_bytes == len(PDF_BYTES)
