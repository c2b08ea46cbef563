"""The editors' page for search's synonym list (搜索近义词, measures/search/synonyms.py): each row edited
with a reason and kept in its history, like the policy's own rows (EditorModelAdmin)."""

from django.contrib import admin

from measures.editing.admin import LAST_SAVED_FIELDS, EditorModelAdmin
from measures.search.synonyms import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(EditorModelAdmin):
    list_display = ("words", "updated_at")
    search_fields = ("words",)
    ordering = ("words",)
    fieldsets = (
        (None, {"fields": ("words",)}),
        ("记录", {"fields": LAST_SAVED_FIELDS}),
    )
