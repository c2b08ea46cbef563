"""The editors' private preview of a draft: its measure's page as the public will see it once the draft
is published (measures/domain/draft_preview.py), rendered by the public page's own view and template.

Editors only (signed-in staff who may view the draft's kind of row; others are sent to the admin's
login, or refused with a 403); never cached (private, no-store; the page cache leaves the `preview`
namespace alone) and never indexed (X-Robots-Tag and a robots meta tag). A row that is no draft has no
preview: 404.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import add_never_cache_headers, patch_cache_control

from measures.domain.draft_preview import measure_once_published
from measures.domain.eligibility import attach_eligibility
from measures.domain.models import Award, Clause, Measure, PublicationStatus
from measures.public.views.browse import render_measure
from xmpolicy.read_only import read_only

MODELS = {"measure": Measure, "clause": Clause, "award": Award}


def _eligibility(awards, measure=None):
    """attach_eligibility, each copy of an award in a draft of a change keeping its own kinds and
    taking the application facts of the award it will be saved onto."""
    awards = attach_eligibility(awards, measure)
    copies = [award for award in awards if award.preview_of]
    originals = attach_eligibility(Award(pk=award.preview_of, clause=award.clause) for award in copies)
    for copy, original in zip(copies, originals, strict=True):
        copy.facts = original.facts
    return awards


@staff_member_required
def preview(request, kind, pk):
    model = MODELS[kind]
    if not request.user.has_perm(f"measures.view_{model._meta.model_name}"):
        raise PermissionDenied
    draft = get_object_or_404(model.objects.all(), pk=pk)
    if getattr(draft, "draft_of_id", None) is None and draft.status != PublicationStatus.DRAFT:
        raise Http404("这一项不是草稿，没有预览。")
    if "as_of" in request.GET:  # a draft has no past: the preview is always of today
        request.GET = request.GET.copy()
        del request.GET["as_of"]
    measure = measure_once_published(draft)
    response = render_measure(
        request,
        measure,
        template="measures/measure_preview.html",
        eligibility=_eligibility,
        extra={"draft": draft, "draft_kind": kind},
        public=False,
    )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# Mounted by xmpolicy/urls.py under /preview/, namespace "preview": apart from the public pages (the page
# cache leaves the namespace alone), GET and HEAD only like them.
app_name = "preview"
urlpatterns = [
    path("measures/<int:pk>/", read_only(preview), {"kind": "measure"}, name="measure"),
    path("clauses/<int:pk>/", read_only(preview), {"kind": "clause"}, name="clause"),
    path("awards/<int:pk>/", read_only(preview), {"kind": "award"}, name="award"),
]
