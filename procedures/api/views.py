"""Procedure catalogue API: public list/search and detail, and an administrators' import endpoint."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound

from ..importer import import_catalogue
from ..models import Sector
from ..selectors import catalogue_list, procedure_detail_queryset
from .filters import ProcedureFilter
from .serializers import (
    ImportReportSerializer,
    ImportRequestSerializer,
    ProcedureDetailSerializer,
    ProcedureListSerializer,
    SectorSerializer,
)


@extend_schema(tags=["procedures"], summary="Danh mục thủ tục (search and filter the catalogue)")
class ProcedureListView(generics.ListAPIView):
    """Active procedures; `q` ignores Vietnamese diacritics and case ("dang ky khai sinh")."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ProcedureListSerializer
    filterset_class = ProcedureFilter

    def get_queryset(self):
        return catalogue_list()


@extend_schema(tags=["procedures"], summary="Chi tiết thủ tục theo mã (components, steps, fees)")
class ProcedureDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = ProcedureDetailSerializer
    lookup_field = "code"

    def get_object(self):
        code = self.kwargs["code"]
        procedure = procedure_detail_queryset().filter(code=code).first()
        if procedure is None:
            raise NotFound(f"Không có thủ tục mã {code}.", f"No procedure with code {code}.")
        return procedure


@extend_schema(tags=["procedures"], summary="Lĩnh vực (sectors)")
class SectorListView(generics.ListAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = SectorSerializer
    pagination_class = None
    queryset = Sector.objects.order_by("name")


class ProcedureImportView(APIView):
    """Imports a catalogue file (administrators only); bad rows come back in error.errors, nothing written."""

    permission_classes = [permissions.IsAdminUser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["procedures"],
        summary="Nhập danh mục thủ tục từ CSV/XLSX (import the catalogue)",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(description="error.errors lists each bad row: line, column, message"),
        },
    )
    def post(self, request):
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        report = import_catalogue(upload, filename=upload.name, dry_run=form.validated_data["dry_run"])
        return Response(ImportReportSerializer(report.as_dict()).data)
