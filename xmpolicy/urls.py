from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "厦门科技创新政策库 · 编辑后台"
admin.site.site_title = "xmpolicy 编辑后台"
admin.site.index_title = "政策内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("measures.urls")),
]
