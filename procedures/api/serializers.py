"""Read-only shapes of the procedure catalogue for the public API."""

from rest_framework import serializers

from accounts.models import Agency

from ..models import DocumentRequirement, Fee, Procedure, Sector, StepTemplate


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentRequirement
        fields = ["id", "order", "name", "originals", "copies", "required", "formats", "note"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepTemplate
        fields = ["order", "name", "role", "days"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "unit", "note"]


class AgencySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "level"]


class ProcedureListSerializer(serializers.ModelSerializer):
    sector = SectorSerializer(read_only=True)
    processing_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code", "name", "sector", "level", "online_level", "time_unit", "legal_days", "committed_days",
            "processing_days", "fee_text", "online_fee_discount_pct", "version",
        ]  # fmt: skip


class ProcedureDetailSerializer(ProcedureListSerializer):
    requirements = RequirementSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    agencies = AgencySummarySerializer(many=True, read_only=True)
    offered_by_all = serializers.SerializerMethodField(
        help_text="True when no agency is listed: every agency of the procedure's level offers it."
    )

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields, "active", "result_type", "result_kind", "legal_basis",
            "requirements_text", "requirements", "steps", "fees", "agencies", "offered_by_all", "updated_at",
        ]  # fmt: skip

    def get_offered_by_all(self, obj: Procedure) -> bool:
        return not obj.agencies.all()


class ImportReportSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField())
    updated = serializers.ListField(child=serializers.CharField())
    unchanged = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX with the columns described in seeds/README.md")
    dry_run = serializers.BooleanField(default=False)
