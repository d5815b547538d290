"""Supplier representations of the API: a compact list row, a full detail with nested parts,
and the profile update (the version travels in the body or in If-Match)."""

from datetime import datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db import models as db
from django.db.models import OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from core import roles
from core.representation import iso_datetime
from programs.models import AnchorCompany, CriticalSupplyArea, State
from suppliers import models


class ContactSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = models.Contact
        fields = ["id", "name", "position", "email", "phone", "language", "is_primary", "email_verified_at"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Authorised download URL; answers only to staff and the supplier's own users."
    )

    class Meta:
        model = models.Document
        fields = ["id", "kind", "original_name", "content_type", "size_bytes", "sha256", "created_at", "download_url"]

    def get_download_url(self, document) -> str:
        path = reverse(
            "api:supplier-document-download", kwargs={"pk": document.supplier_id, "document_id": document.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CertificationSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = models.Certification
        fields = ["id", "standard", "certificate_number", "issuer", "issued_on", "expires_on", "document"]


class AnnualFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.AnnualFigure
        fields = ["year", "sales_mdp", "employees"]


class SupplierListSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SerializerMethodField()
    supply_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    rfc_warning = serializers.SerializerMethodField(help_text="True when the RFC check digit fails (a warning).")

    class Meta:
        model = models.Supplier
        fields = [
            "id",
            "program",
            "legal_name",
            "trade_name",
            "rfc",
            "rfc_warning",
            "person_type",
            "state",
            "region",
            "municipality",
            "scian_code",
            "sector",
            "employees",
            "annual_sales_mdp",
            "export_share",
            "size",
            "employee_range",
            "supply_areas",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_region(self, supplier) -> str:
        return supplier.state.region.code

    def get_rfc_warning(self, supplier) -> bool:
        return not supplier.rfc_checksum_valid

    # The list row is written out once, by hand, from a ``.values()`` dictionary (``VALUE_COLUMNS``):
    # DRF's generic ``to_representation`` walks every field with ``get_attribute`` per row; ``format_row``
    # reads the columns directly and formats the decimal and datetime ones as the declared fields do
    # (tests/api/test_supplier_list_row.py compares it with DRF's generic output). The list endpoint reads
    # its page as dictionaries (``values`` / ``rows``: no model instances); a single instance goes through
    # ``to_representation``, which turns it into the same dictionary. CursorPagination reads its position
    # from dictionaries as well as from instances.
    VALUE_COLUMNS = (
        "id",
        "program_id",
        "legal_name",
        "trade_name",
        "rfc",
        "rfc_checksum_valid",
        "person_type",
        "state__code",
        "state__region__code",
        "municipality",
        "scian_code",
        "sector",
        "employees",
        "annual_sales_mdp",
        "export_share",
        "size",
        "employee_range",
        "status",
        "version",
        "created_at",
        "updated_at",
    )

    def to_representation(self, supplier):
        row = {column: _instance_value(supplier, column) for column in self.VALUE_COLUMNS}
        return _row_formatter()(row, [area.code for area in supplier.supply_areas.all()])

    @classmethod
    def values(cls, queryset):
        """The (filtered, ordered) supplier queryset as the dictionaries ``rows`` formats, each with its
        supply area codes (``AREA_CODES``) read by the same query."""
        return queryset.prefetch_related(None).values(*cls.VALUE_COLUMNS, **{AREA_CODES: _area_codes()})

    @classmethod
    def rows(cls, page) -> list[dict]:
        """The list rows of a page of ``values`` dictionaries."""
        format_row = _row_formatter()
        return [format_row(row, row[AREA_CODES]) for row in page]

    # The compiled list (suppliers.api.listing) reads its decimals and datetimes as text (``text_values``):
    # the decimals as their representation (PostgreSQL writes a numeric(p, s) with its s places, as the
    # field's quantize and "{:f}" do), the datetimes as ISO 8601 in UTC, which ``text_rows`` turns into the
    # field's representation with the same conversion (no per-value loader of psycopg's Python path, no
    # quantize). A column the page's cursor reads its position from is read typed as well.
    TEXT_COLUMNS = ("annual_sales_mdp", "export_share", "created_at", "updated_at")

    @classmethod
    def text_values(cls, queryset, typed=()):
        """``values`` with the ``TEXT_COLUMNS`` read as text (``<column>_text``); ``typed``: those of them
        read typed too (the ordering's: the cursor's position)."""
        columns = [c for c in cls.VALUE_COLUMNS if c not in cls.TEXT_COLUMNS or c in typed]
        texts = {f"{c}{_TEXT}": _as_text(models.Supplier._meta.get_field(c)) for c in cls.TEXT_COLUMNS}
        return queryset.prefetch_related(None).values(*columns, **texts, **{AREA_CODES: _area_codes()})

    @classmethod
    def text_rows(cls, page) -> list[dict]:
        """The list rows of a page of ``text_values`` dictionaries (the same rows as ``rows`` of ``values``)."""
        format_row = _text_row_formatter()
        return [format_row(row) for row in page]


def _instance_value(obj, column: str):
    """A ``values()`` column (``state__region__code``) read from a model instance."""
    for part in column.split("__"):
        obj = getattr(obj, part)
    return obj


def _row_formatter():
    """``format_row(values row, supply area codes) -> list row``: a supplier list row from typed values."""
    fields = _list_fields()
    decimal, share = fields["annual_sales_mdp"].to_representation, fields["export_share"].to_representation
    created = updated = iso_datetime(fields["created_at"], fields["updated_at"])

    def format_row(row: dict, areas: list[str]) -> dict:
        return _list_row(
            row,
            areas,
            None if row["annual_sales_mdp"] is None else decimal(row["annual_sales_mdp"]),
            None if row["export_share"] is None else share(row["export_share"]),
            None if row["created_at"] is None else created(row["created_at"]),
            None if row["updated_at"] is None else updated(row["updated_at"]),
        )

    return format_row


def _list_row(row: dict, areas: list[str], sales, share, created, updated) -> dict:
    """The one definition of a supplier list row (its keys in the serializer's order), its decimals and
    datetimes already represented."""
    return {
        "id": row["id"],
        "program": row["program_id"],
        "legal_name": row["legal_name"],
        "trade_name": row["trade_name"],
        "rfc": row["rfc"],
        "rfc_warning": not row["rfc_checksum_valid"],
        "person_type": row["person_type"],
        "state": row["state__code"],
        "region": row["state__region__code"],
        "municipality": row["municipality"],
        "scian_code": row["scian_code"],
        "sector": row["sector"],
        "employees": row["employees"],
        "annual_sales_mdp": sales,
        "export_share": share,
        "size": row["size"],
        "employee_range": row["employee_range"],
        "supply_areas": areas,
        "status": row["status"],
        "version": row["version"],
        "created_at": created,
        "updated_at": updated,
    }


AREA_CODES = "supply_area_codes"
_TEXT = "_text"
_UTC_ISO = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'  # to_char: ISO 8601 with microseconds, read by fromisoformat


def _as_text(field):
    """The column as text: a decimal as PostgreSQL writes it, a datetime as ISO 8601 in UTC."""
    if isinstance(field, db.DateTimeField):
        return db.Func(
            field.attname,
            template=f"to_char(%(expressions)s AT TIME ZONE 'UTC', '{_UTC_ISO}')",
            output_field=db.TextField(),
        )
    return Cast(field.attname, db.TextField())


def _text_row_formatter():
    """``format_row(text_values row) -> list row``: ``format_row``'s row from the text columns."""
    fields = _list_fields()
    sales = _decimal_text(fields["annual_sales_mdp"], models.Supplier._meta.get_field("annual_sales_mdp"))
    share = _decimal_text(fields["export_share"], models.Supplier._meta.get_field("export_share"))
    created = _datetime_text(fields["created_at"])
    updated = _datetime_text(fields["updated_at"])

    def format_row(row: dict) -> dict:
        return _list_row(
            row,
            row[AREA_CODES],
            sales(row["annual_sales_mdp_text"]),
            share(row["export_share_text"]),
            created(row["created_at_text"]),
            updated(row["updated_at_text"]),
        )

    return format_row


def _decimal_text(field, model_field):
    """A decimal column's text (``_as_text``) as the serializer field represents its value: the text itself
    when the field writes the column's places as a plain string, else the field's own representation."""
    plain = (
        getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places == model_field.decimal_places
        and field.max_digits is not None
        and field.max_digits >= model_field.max_digits
    )
    if plain:
        return lambda text: text
    return lambda text: None if text is None else field.to_representation(Decimal(text))


def _datetime_text(field):
    """A datetime column's text (``_as_text``: UTC) as the serializer field represents the value the ORM reads:
    with ``USE_TZ`` the same instant (represented in the current time zone), else the naive time of the
    connection's time zone."""
    represent = iso_datetime(field)
    if settings.USE_TZ:
        return lambda text: None if text is None else represent(datetime.fromisoformat(text))
    zone = ZoneInfo(connection.timezone_name)
    return lambda text: (
        None if text is None else represent(datetime.fromisoformat(text).astimezone(zone).replace(tzinfo=None))
    )


def _area_codes() -> ArraySubquery:
    """Each supplier's supply area codes in the areas' model order (program, code), as an array read by
    the list's own query: one round trip a page instead of two."""
    through = models.Supplier.supply_areas.through
    return ArraySubquery(
        through.objects.filter(supplier_id=OuterRef("pk"))
        .order_by("criticalsupplyarea__program_id", "criticalsupplyarea__code")
        .values("criticalsupplyarea__code")
    )


@cache
def _list_fields():
    """The list serializer's declared fields, built once per process (they only format values)."""
    return SupplierListSerializer().fields


class SupplierDetailSerializer(SupplierListSerializer):
    anchor_customers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    certifications = CertificationSerializer(many=True, read_only=True)
    annual_figures = AnnualFigureSerializer(many=True, read_only=True)
    duplicate_of = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The registration this one duplicates; shown to program staff only (null for others).",
    )

    class Meta(SupplierListSerializer.Meta):
        fields = [
            *SupplierListSerializer.Meta.fields,
            "year_founded",
            "anchor_customers",
            "status_reason",
            "duplicate_of",
            "privacy_notice_version",
            "privacy_accepted_at",
            "submitted_at",
            "verified_at",
            "contacts",
            "documents",
            "certifications",
            "annual_figures",
        ]

    def to_representation(self, instance):
        data = serializers.ModelSerializer.to_representation(self, instance)  # every declared field, generically
        request = self.context.get("request")
        if not roles.is_program_staff(getattr(request, "user", None)):
            data["duplicate_of"] = None  # another company's registration: not the SME's business
        return data


class SupplierUpdateSerializer(serializers.ModelSerializer):
    """Profile fields; ``version`` is the one read (or send ``If-Match: "<version>"``)."""

    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version read; required unless If-Match is sent."
    )
    state = serializers.SlugRelatedField(slug_field="code", queryset=State.objects.all())
    supply_areas = serializers.PrimaryKeyRelatedField(many=True, queryset=CriticalSupplyArea.objects.all())
    anchor_customers = serializers.PrimaryKeyRelatedField(many=True, queryset=AnchorCompany.objects.all())

    class Meta:
        model = models.Supplier
        fields = [
            "legal_name",
            "trade_name",
            "state",
            "municipality",
            "scian_code",
            "year_founded",
            "employees",
            "annual_sales_mdp",
            "export_share",
            "supply_areas",
            "anchor_customers",
            "version",
        ]

    def validate(self, attrs):
        program_id = self.instance.program_id
        for name in ("supply_areas", "anchor_customers"):
            foreign = [obj.pk for obj in attrs.get(name, []) if obj.program_id != program_id]
            if foreign:
                raise serializers.ValidationError({name: f"Not in this supplier's program: {foreign}"})
        return attrs
