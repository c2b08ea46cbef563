"""The 报告问题 / 我要提问 form, the page with the reference number, and /feedback/'s figures.

None is kept in the page cache (the form holds a CSRF token; the figures move with every message, not
with the content). A visitor's text and address are never logged, and reach a page only through the
templates' escaping. Sending is limited per client (FEEDBACK_RATE_LIMIT), like the 关注 form.
"""

import logging
import smtplib

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from measures.domain.feedback import MAX_TEXT_LENGTH, REFERENCE_PREFIX, Feedback
from measures.public.alerts.forms import MAX_EMAIL_LENGTH
from measures.public.feedback import mail
from measures.public.feedback.figures import FRESH_FOR, current_figures
from measures.public.feedback.forms import FeedbackForm
from measures.public.feedback.place import PlaceError, place_from_params
from xmpolicy.ratelimit import client_of, over_limit

logger = logging.getLogger(__name__)

# What the form gives back to the visitor after an error: a text this long or shorter is shown again,
# so that nothing typed is lost; a longer one (a script's) is not echoed.
MAX_ECHOED_TEXT = 10 * MAX_TEXT_LENGTH


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def _notice(request, title, message, *, status):
    context = {"title": title, "message": message, "link": "/", "link_text": _("返回首页")}
    return _private(render(request, "alerts/notice.html", context, status=status))


def _context(place, form):
    text = form["text"].value() or ""
    email = form["email"].value() or ""
    return {
        "place": place,
        "where": place.describe(),
        "form": form,
        "text_value": text if len(text) <= MAX_ECHOED_TEXT else "",
        "email_value": email if len(email) <= MAX_EMAIL_LENGTH else "",
        "max_text_length": MAX_TEXT_LENGTH,
        "max_email_length": MAX_EMAIL_LENGTH,
        "keep_days": settings.FEEDBACK_ADDRESS_KEEP_DAYS,
        "due_days": settings.FEEDBACK_DUE_DAYS,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    data = request.POST if request.method == "POST" else request.GET
    try:
        place = place_from_params(data)
    except PlaceError as error:
        return _notice(request, _("无法留言"), error.message, status=error.status)
    if request.method != "POST":
        kind = data.get("kind") if data.get("kind") in Feedback.Kind.values else Feedback.Kind.REPORT
        form = FeedbackForm(initial={"kind": kind})
        return _private(render(request, "feedback/new.html", _context(place, form)))

    rate = settings.FEEDBACK_RATE_LIMIT
    retry_after = over_limit("feedback", rate, client_of(request)) if rate else 0
    if retry_after:
        response = render(request, "feedback/too_many.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return _private(response)
    form = FeedbackForm(request.POST)
    if form.is_spam():
        # Answered as if received, so that the script learns nothing; nothing is kept or sent.
        return redirect("feedback:received", reference=f"{REFERENCE_PREFIX}-0000-000000")
    if not form.is_valid():
        return _private(render(request, "feedback/new.html", _context(place, form), status=400))
    with translation.override("zh-hans"):
        concerns = place.describe()[:300]  # kept in Chinese, for the editors
    item = Feedback.receive(
        kind=form.cleaned_data["kind"],
        text=form.cleaned_data["text"],
        email=form.cleaned_data["email"],
        language=translation.get_language(),
        policy=place.measure.policy,
        measure=place.measure,
        clause=place.clause,
        award=place.award,
        concerns=concerns,
    )
    if item.email:
        try:
            mail.receipt(item).send()
        except (smtplib.SMTPException, OSError) as error:
            # The message is kept (the editors answer it); only the confirmation is missing.
            logger.error("the confirmation of feedback %s could not be sent: %s", item.reference, error)
    return redirect("feedback:received", reference=item.reference)


@never_cache
@require_safe
def received(request, reference):
    if reference == f"{REFERENCE_PREFIX}-0000-000000":
        item = None  # a honeypot's answer
    else:
        item = Feedback.objects.filter(reference=reference).only("reference", "kind", "due_on").first()
        if item is None:
            raise Http404
    context = {"item": item, "reference": reference, "due_days": settings.FEEDBACK_DUE_DAYS}
    return _private(render(request, "feedback/received.html", context))


@require_safe
def figures_page(request):
    fresh_minutes = int(FRESH_FOR.total_seconds() // 60)
    context = {**current_figures(), "due_days": settings.FEEDBACK_DUE_DAYS, "fresh_minutes": fresh_minutes}
    return render(request, "feedback/figures.html", context)
