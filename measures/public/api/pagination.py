"""The API's pages: `page` = 1, 2, …, and one 404 for a page that does not exist."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from measures.public.formatting import on_site


class Pages(PageNumberPagination):
    """`page` = 1, 2, …; "" is the first. Every 404 of the API says the same, "未找到。" (in the visitor's
    language): a page out of range too, and "last" is no page number."""

    invalid_page_message = NotFound.default_detail
    last_page_strings = ()

    # `next` and `previous` on the site's own address, as every absolute URL: DRF builds them on the request's host.
    def get_next_link(self):
        return on_site(super().get_next_link())

    def get_previous_link(self):
        return on_site(super().get_previous_link())

    def get_schema_operation_parameters(self, view):
        (page,) = super().get_schema_operation_parameters(view)
        return [{**page, "schema": {"type": "integer", "minimum": 1}}]


class SearchPagination(Pages):
    """The search's pages, how its amount terms were understood (`amounts`) and which words its terms were
    widened to (`widened`), both added by the view."""

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        nullable_integer = {"type": "integer", "nullable": True}
        schema["properties"]["amounts"] = {
            "type": "array",
            "description": "读作金额或金额范围的检索词，以及它们的含义（元，含两端）",
            "items": {
                "type": "object",
                "properties": {
                    "term": {"type": "string", "example": "500万以上"},
                    "min_yuan": {**nullable_integer, "example": 5000000},
                    "max_yuan": {**nullable_integer, "example": None},
                    "exact": {"type": "boolean", "example": False},
                    "description": {"type": "string", "example": "金额 ≥ 500万元"},
                    "beyond_any_award": {"type": "boolean", "example": False},
                    "finder_url": {
                        "type": "string",
                        "format": "uri",
                        "nullable": True,
                        "example": "https://example.org/awards/?min=500",
                    },
                },
                "required": ["term", "min_yuan", "max_yuan", "exact", "description", "beyond_any_award", "finder_url"],
            },
        }
        schema["properties"]["widened"] = {
            "type": "array",
            "description": "同时搜索的词：检索词的近义词，或申报主体常见叫法对应的正式名称",
            "items": {
                "type": "object",
                "properties": {
                    "term": {"type": "string", "example": "补贴"},
                    "words": {"type": "array", "items": {"type": "string"}, "example": ["补助", "资助"]},
                },
                "required": ["term", "words"],
            },
        }
        schema["required"] = [*schema.get("required", []), "amounts", "widened"]
        return schema
