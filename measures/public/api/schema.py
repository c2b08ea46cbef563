"""The API's OpenAPI document (/api/schema/) says what the server does, no more and no less; Schemathesis
checks the two against each other (tests/test_api_contract.py).

Every operation documents its errors with their bodies, and each filter parameter is described from its
filter (its bounds, and the policies' slugs read from the database). See docs/api.md#the-openapi-document.
"""

from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers

from measures.public import calculator
from measures.public.finder.filters import LARGEST_WAN, KindFilter, PolicyFilter, WanFilter, WholeNumberFilter
from measures.public.library.catalogue import catalogue_for as library_catalogue
from measures.public.library.filters import IssuerFilter, LibraryKindFilter


class InvalidFilterSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_('每个无效的参数及其错误说明，如 {"min": ["最低金额必须是数字（万元），例如 500 或 0.5。"]}'),
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("说明，使用访问者选择的语言，如“未找到。”"))


INVALID_FILTER = OpenApiResponse(InvalidFilterSerializer, description=_("参数无效或重复给出：响应列出每个这样的参数。"))
NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("未找到：没有这个编号或网址标识，或者没有这一页。"))
TOO_MANY_REQUESTS = OpenApiResponse(
    DetailSerializer, description=_("请求过于频繁：超过了合理使用的上限，Retry-After 给出需要等待的秒数。")
)
UNAVAILABLE = OpenApiResponse(DetailSerializer, description=_("服务暂时不可用：暂时无法连接数据库，请稍后再试。"))
SERVER_ERROR = OpenApiResponse(DetailSerializer, description=_("服务器出错：请求未能完成，请稍后再试。"))


class ApiSchema(AutoSchema):
    """drf-spectacular's description of a view, with the errors every operation may answer."""

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if not isinstance(responses, dict):
            responses = {200: responses}
        # Any operation: a parameter given twice is a 400 (measures/public/one_value.py), a detail's too.
        errors = {400: INVALID_FILTER, 404: NOT_FOUND, 429: TOO_MANY_REQUESTS, 500: SERVER_ERROR, 503: UNAVAILABLE}
        return {**responses, **dict(sorted(errors.items()))}

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                # "" is "not given" (see the module's docstring), but for a parameter that must be given.
                parameter["allowEmptyValue"] = not parameter.get("required", False)
                if parameter.get("schema", {}).get("type") != "array":
                    once = gettext("只能给出一次：重复给出答 400。")
                    parameter["description"] = f"{parameter.get('description', '')} {once}".strip()
            elif parameter["name"] == "id":
                # The views take any text up to the next "/" (a JSON 404 for "1.5" rather than the site's
                # HTML one), which drf-spectacular would document as a pattern: ids are whole numbers.
                parameter["schema"] = {"type": "integer"}
        return parameters


class CalculatorSchema(ApiSchema):
    """The calculator's document: `kind` is one of the kinds it can answer for today, read from the database
    (one query, as a policy's slugs are): any other, or one with no published award in a policy in force,
    is a 400."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["name"] == "kind":
                try:
                    slugs = answerable_kinds()
                except DatabaseError:  # before `migrate` (see _slugs_schema)
                    slugs = None
                items = {"type": "string", "enum": slugs} if slugs else {"type": "string", "minLength": 1}
                parameter["schema"] = {**parameter["schema"], "items": items}
        return parameters


def answerable_kinds() -> list[str]:
    return sorted(kind.slug for kind in calculator.kinds_with_counts(valid_only=True) if kind.award_count)


class ApiFilterExtension(DjangoFilterExtension):
    """Our filters' parameters, with the constraints the filters enforce (see the module's docstring)."""

    target_class = "measures.public.api.filters.FilterBackend"
    priority = 1  # before drf-spectacular's own extension, which would match this backend too

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            if isinstance(filter_field, WholeNumberFilter):
                bounds = {"minimum": filter_field.extra["min_value"], "maximum": filter_field.extra["max_value"]}
                parameter["schema"] = {"type": "integer", **bounds}
            elif isinstance(filter_field, WanFilter):
                parameter["schema"] = {"type": "number", "minimum": 0, "maximum": int(LARGEST_WAN)}
                label = {"label": filter_field.label}
                parameter["description"] = gettext("%(label)s（万元，含），如 500 或 0.5") % label
            elif isinstance(filter_field, PolicyFilter | KindFilter):
                parameter["schema"] = self._slugs_schema(filter_field)
            elif isinstance(filter_field, IssuerFilter | LibraryKindFilter):
                parameter["schema"] = self._library_schema(filter_field)
            alias_of = getattr(filterset_class, "ALIASES", {}).get(field_name)
            if alias_of:
                parameter["deprecated"] = True
                name = {"name": alias_of}
                parameter["description"] = gettext("已弃用：同 %(name)s；两者都给出时以 %(name)s 为准。") % name
        return parameters

    @staticmethod
    def _library_schema(filter_field):
        """The issuers or the kinds' slugs the policy library knows (its catalogue: measures/public/library/)."""
        try:
            catalogue = library_catalogue()
        except DatabaseError:  # before `migrate` (see _slugs_schema)
            return {"type": "string"}
        if isinstance(filter_field, IssuerFilter):
            values = sorted(catalogue.issuers)
        else:
            values = sorted(kind.slug for kind in catalogue.kinds)
        return {"type": "string", "enum": values} if values else {"type": "string", "maxLength": 0}

    @staticmethod
    def _slugs_schema(filter_field):
        """The values a model-choice filter accepts, as an enum: one query."""
        queryset = filter_field.queryset
        if callable(queryset):
            queryset = queryset(None)  # a function of the request (measures.public.finder.filters.finder_policies)
        try:
            slugs = sorted(queryset.values_list(filter_field.extra["to_field_name"], flat=True))
        except DatabaseError:
            # `manage.py check --deploy` builds the document too (drf-spectacular's check), maybe before
            # `migrate`: without the table, any slug.
            return {"type": "string"}
        # With no policy yet only "" (no filter) is accepted, and an enum may not be empty.
        return {"type": "string", "enum": slugs} if slugs else {"type": "string", "maxLength": 0}


OFFERED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class SchemaView(SpectacularAPIView):
    """drf-spectacular's document view, in the site's languages only, with a well-formed file name."""

    @extend_schema(exclude=True)  # the document does not describe itself (SERVE_INCLUDE_SCHEMA)
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if not language:
            return self._get_schema_response(request)
        # drf-spectacular would activate any code given, and Django keeps every catalogue it loads
        # for as long as the process lives.
        if language not in OFFERED_LANGUAGES:
            message = gettext("语言无效：“%(value)s”不是可选的值，只能是 %(offered)s。") % {
                "value": language,
                "offered": "、".join(sorted(OFFERED_LANGUAGES)),
            }
            return JsonResponse({"errors": {"lang": [message]}}, status=400, json_dumps_params={"ensure_ascii": False})
        with translation.override(language):
            return self._get_schema_response(request)

    def _get_schema_response(self, request):
        response = super()._get_schema_response(request)
        # drf-spectacular writes filename="<title>.yaml" and the title is Chinese: the header, not
        # Latin-1, would be sent whole as an RFC 2047 word no browser reads as a header.
        version = self.api_version or request.version or self._get_version_parameter(request)
        filename = self._get_filename(request, version)
        response.headers["Content-Disposition"] = (
            f"inline; filename=\"xmpolicy-api.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"
        )
        return response
