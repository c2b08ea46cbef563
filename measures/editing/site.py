"""The editors' admin site: its titles, and its index — the editor's start page, then the models in the
order the policy is built (政策 → 方面 → 措施 → 条款 → 奖补金额, then the rest), not alphabetically.

Installed in place of django.contrib.admin (INSTALLED_APPS names EditorsAdminConfig), so that
`admin.site` is this site everywhere."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# The content models as the policy nests them; any other model follows, alphabetically.
POLICY_ORDER = ["policy", "pillar", "measure", "clause", "award"]


class EditorsAdminSite(admin.AdminSite):
    site_header = "厦门科技创新政策库 · 编辑后台"
    site_title = "xmpolicy 编辑后台"
    index_title = "政策内容管理"
    # The editor's start page above the list of models (measures/editing/start_page.py).
    index_template = "admin/editors_index.html"

    def index(self, request, extra_context=None):
        # Imported here: this module is loaded with the app registry, before the models are ready.
        from measures.editing.start_page import start_page

        return super().index(request, {**(extra_context or {}), "start": start_page(request.user)})

    @property
    def login_form(self):
        # Imported here: this module is imported while the apps load, before forms on models may be.
        from measures.editing.login import EditorLoginForm

        return EditorLoginForm

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"].sort(key=_policy_order)
        return apps


def _policy_order(entry):
    name = entry["object_name"].lower()
    return (POLICY_ORDER.index(name) if name in POLICY_ORDER else len(POLICY_ORDER), entry["name"])


class EditorsAdminConfig(AdminConfig):
    default_site = "measures.editing.site.EditorsAdminSite"
