"""``/api/v1/tokens/``: program staff list, issue and revoke users' API tokens (``core.tokens``)."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from .models import ApiToken
from .permissions import IsProgramStaff
from .tokens import token_issue, token_revoke


class TokenSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    last_used = serializers.DateTimeField(
        source="last_used_at", read_only=True, allow_null=True, help_text="When the token last authenticated."
    )
    key_prefix = serializers.CharField(
        source="prefix", read_only=True, help_text="The first characters of the key, to tell tokens apart."
    )

    class Meta:
        model = ApiToken
        fields = ["user", "username", "created", "last_used", "key_prefix"]


class IssuedTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The token; shown only in this response.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class TokenIssueSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())


USER_PATH = OpenApiParameter("user", OpenApiTypes.INT, OpenApiParameter.PATH, description="The user's id.")


@extend_schema_view(
    list=extend_schema(summary="List API tokens", tags=["tokens"]),
    retrieve=extend_schema(summary="A user's API token", tags=["tokens"], parameters=[USER_PATH]),
    create=extend_schema(
        summary="Issue (or rotate) a user's API token",
        tags=["tokens"],
        request=TokenIssueSerializer,
        responses={201: IssuedTokenSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke a user's API token", tags=["tokens"], parameters=[USER_PATH], responses={204: None}
    ),
)
class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsProgramStaff]
    serializer_class = TokenSerializer
    queryset = ApiToken.objects.select_related("user").order_by("user__username")
    lookup_field = "user"
    lookup_value_regex = r"[0-9]+"
    filter_backends = []

    def create(self, request):
        data = TokenIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = token_issue(user=data.validated_data["user"], actor=request.user)
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, user=None):
        owner = get_object_or_404(get_user_model(), pk=user)
        if not token_revoke(user=owner, actor=request.user):
            raise exceptions.NotFound(_("This user has no API token."))
        return Response(status=status.HTTP_204_NO_CONTENT)
