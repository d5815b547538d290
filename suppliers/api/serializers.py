"""Supplier representations of the API: a compact list row, a full detail with nested parts,
and the profile update (the version travels in the body or in If-Match)."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
        path = reverse("api:supplier-document-download",
                       kwargs={"pk": document.supplier_id, "document_id": document.pk})
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
        fields = ["id", "program", "legal_name", "trade_name", "rfc", "rfc_warning", "person_type", "state", "region",
                  "municipality", "scian_code", "sector", "employees", "annual_sales_mdp", "export_share", "size",
                  "supply_areas", "status", "version", "created_at", "updated_at"]

    @extend_schema_field(serializers.CharField())
    def get_region(self, supplier) -> str:
        return supplier.state.region.code

    def get_rfc_warning(self, supplier) -> bool:
        return not supplier.rfc_checksum_valid


class SupplierDetailSerializer(SupplierListSerializer):
    anchor_customers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    certifications = CertificationSerializer(many=True, read_only=True)
    annual_figures = AnnualFigureSerializer(many=True, read_only=True)

    class Meta(SupplierListSerializer.Meta):
        fields = [*SupplierListSerializer.Meta.fields, "year_founded", "anchor_customers", "status_reason",
                  "duplicate_of", "privacy_notice_version", "privacy_accepted_at", "submitted_at", "verified_at",
                  "contacts", "documents", "certifications", "annual_figures"]


class SupplierUpdateSerializer(serializers.ModelSerializer):
    """Profile fields; ``version`` is the one read (or send ``If-Match: "<version>"``)."""

    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version read; required unless If-Match is sent.")
    state = serializers.SlugRelatedField(slug_field="code", queryset=State.objects.all())
    supply_areas = serializers.PrimaryKeyRelatedField(many=True, queryset=CriticalSupplyArea.objects.all())
    anchor_customers = serializers.PrimaryKeyRelatedField(many=True, queryset=AnchorCompany.objects.all())

    class Meta:
        model = models.Supplier
        fields = ["legal_name", "trade_name", "state", "municipality", "scian_code", "year_founded", "employees",
                  "annual_sales_mdp", "export_share", "supply_areas", "anchor_customers", "version"]

    def validate(self, attrs):
        program_id = self.instance.program_id
        for name in ("supply_areas", "anchor_customers"):
            foreign = [obj.pk for obj in attrs.get(name, []) if obj.program_id != program_id]
            if foreign:
                raise serializers.ValidationError({name: f"Not in this supplier's program: {foreign}"})
        return attrs
