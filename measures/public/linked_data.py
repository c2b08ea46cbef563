"""The policy and measure pages as schema.org JSON-LD: what a search engine or a harvester reads.

A policy and each measure are `Legislation`; each award is a `MonetaryGrant` (its amount in CNY), and how
to apply for it a `GovernmentService`, only when some application fact is known. Nothing unknown is
written: an unconfirmed issue date gives no `legislationDate`. The values are the policy's own Chinese
whatever the interface language, like the downloads. Only what the page shows, so only published content;
tests/test_linked_data.py checks every node against a vendored part of the schema.org vocabulary.
"""

import json

from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from measures.domain.models import Award, Policy, measure_path
from measures.public.formatting import official_url, site_url, zh_lang

SCHEMA_ORG = "https://schema.org"
CURRENCY = "CNY"  # every amount is in yuan (measures.text.money)
LEGAL_FORCE = {
    Policy.ValidityStatus.IN_FORCE: "https://schema.org/InForce",
    Policy.ValidityStatus.NOT_YET: "https://schema.org/NotInForce",
    Policy.ValidityStatus.EXPIRED: "https://schema.org/NotInForce",
}
# What a browser would read as the end of the script element, or as markup, is escaped inside strings.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(document: dict) -> SafeString:
    """The document as a `<script type="application/ld+json">` element (not run: no CSP source needed)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    # Its text is the policy's Chinese: marked so on an English page, as the page's own policy text is.
    return format_html('<script type="application/ld+json"{}>{}</script>', zh_lang(), mark_safe(text))


def policy_document(policy) -> dict:
    """The policy page: the policy and its published measures as its parts (policy.measures prefetched
    published, as Policy.objects.for_overview() does)."""
    node = {"@context": SCHEMA_ORG, **_policy_node(policy)}
    node["hasPart"] = [
        {"@type": "Legislation", "@id": _measure_url(policy, measure), "name": _measure_name(measure)}
        for pillar in policy.pillars.all()
        for measure in pillar.measures.all()
    ]
    return node


def measure_document(measure, awards, changed_at=None, questions=()) -> dict:
    """A measure page: the measure, part of its policy, about its published awards (`awards`, each with
    `facts`: measures.domain.eligibility.attach_eligibility), and how to apply for those where it is known;
    its published 政策问答 (`questions`), as an FAQPage about it. Its version is `changed_at`, the latest
    public change the page shows, else its rows' latest save."""
    policy = measure.policy
    url = _measure_url(policy, measure)
    with translation.override("zh-hans"):
        grants = [_grant(award, url) for award in awards]
        services = [_service(award, url) for award in awards if _known_facts(award.facts)]
    node = {
        "@type": "Legislation",
        "@id": url,
        "url": url,
        "name": _measure_name(measure),
        "position": measure.number,
        "inLanguage": "zh-Hans",
        "legislationLegalForce": LEGAL_FORCE[policy.validity_status(timezone.localdate())],
        "legislationDateVersion": _local_date(changed_at or _measure_changed_at(measure)),
        "isPartOf": _policy_node(policy),
    }
    if grants:
        node["about"] = grants
    faq = [_faq_page(url, questions)] if questions else []
    return {"@context": SCHEMA_ORG, "@graph": [node, *services, *faq]}


def _faq_page(url, questions) -> dict:
    """The measure's 政策问答 (its page's #questions section): each question with its accepted answer."""
    return {
        "@type": "FAQPage",
        "@id": f"{url}#questions",
        "url": f"{url}#questions",
        "inLanguage": "zh-Hans",
        "about": {"@id": url},
        "mainEntity": [
            {
                "@type": "Question",
                "@id": f"{url}#{question.anchor}",
                "name": question.question,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": question.answer,
                    "dateCreated": question.answered_on.isoformat(),
                    "url": f"{url}#{question.anchor}",
                },
            }
            for question in questions
        ],
    }


def _policy_node(policy) -> dict:
    url = site_url(policy.get_absolute_url())
    node = {
        "@type": "Legislation",
        "@id": url,
        "url": url,
        "name": policy.title,
        "inLanguage": "zh-Hans",
        "legislationPassedBy": [
            {"@type": "Organization", "name": body} for body in policy.issuing_bodies.split("、") if body
        ],
        "legislationLegalForce": LEGAL_FORCE[policy.validity_status(timezone.localdate())],
        "legislationDateVersion": _local_date(policy.updated_at),
    }
    if policy.short_title:
        node["alternateName"] = policy.short_title
    if policy.document_number:
        node["legislationIdentifier"] = policy.document_number
    # An unconfirmed issue date is the latest date that can be confirmed, not the date: it stays out.
    if policy.issue_date_confirmed:
        node["legislationDate"] = policy.issue_date.isoformat()
    if policy.effective_date or policy.issue_date_confirmed:
        node["legislationDateOfApplicability"] = policy.effective_from.isoformat()
    return node


def _measure_url(policy, measure) -> str:
    return site_url(measure_path(policy.slug, measure.number))


def _measure_name(measure) -> str:
    return measure.title


def _measure_changed_at(measure):
    """The latest change of the measure, its published clauses or their published awards, as the
    sitemap dates its page (measures/public/sitemaps.py); read from the prefetched rows, no query."""
    times = [measure.updated_at]
    for clause in measure.clauses.all():
        times.append(clause.updated_at)
        times.extend(award.updated_at for award in clause.awards.all())
    return max(times)


def _local_date(moment) -> str:
    return timezone.localdate(moment).isoformat()  # the day in Xiamen (TIME_ZONE)


def _grant(award, measure_url) -> dict:
    amount = {"@type": "MonetaryAmount", "currency": CURRENCY}
    amount["maxValue" if award.limit == Award.Limit.CEILING else "value"] = award.amount_yuan
    grant = {
        "@type": "MonetaryGrant",
        "@id": f"{measure_url}#award-{award.pk}",
        # The award's id in the downloads (金额编号), so that the two can be joined.
        "identifier": str(award.pk),
        # The source's own words ("给予每年每家最高500万元奖励"): they also say what the amount leaves out, how often.
        "name": award.source_phrase,
        "description": award.recipient,  # who may receive it
        "url": f"{measure_url}#{award.clause.anchor}",
        "amount": amount,
    }
    if award.condition:
        grant["disambiguatingDescription"] = award.condition
    return grant


def _known_facts(facts) -> bool:
    return len(facts.missing) < len(facts.FACT_NAMES)


def _service(award, measure_url) -> dict:
    """How to apply for the award: only the facts some record gives."""
    facts = award.facts
    node = {
        "@type": "GovernmentService",
        "@id": f"{measure_url}#award-{award.pk}-application",
        "serviceOutput": {"@id": f"{measure_url}#award-{award.pk}"},
    }
    if facts.departments:
        node["provider"] = [_department(department) for department in facts.departments]
    if facts.delivery_mode:
        node["serviceType"] = str(facts.delivery_mode_label)
    channels = []
    if facts.hotline:
        phone = {"@type": "ContactPoint", "telephone": facts.hotline}
        channels.append({"@type": "ServiceChannel", "servicePhone": phone})
    if facts.entry:
        # Where to apply (去办理): the official system's own address, as the page links it.
        channel = {"@type": "ServiceChannel", "name": facts.entry.name}
        if official_url(facts.entry.url):
            channel["serviceUrl"] = facts.entry.url
        channels.append(channel)
    if channels:
        node["availableChannel"] = channels[0] if len(channels) == 1 else channels
    if facts.guides:
        node["subjectOf"] = [{"@type": "CreativeWork", "name": guide.title, "url": guide.url} for guide in facts.guides]
    if facts.window is not None and facts.window.kind == "dates":
        hours = {"@type": "OpeningHoursSpecification"}
        if facts.window.opens:
            hours["validFrom"] = facts.window.opens.isoformat()
        if facts.window.closes:
            hours["validThrough"] = facts.window.closes.isoformat()
        node["hoursAvailable"] = hours
    # The materials, and a window without dates (常年受理, 以年度通知为准), have no schema.org property:
    # the page says them.
    return node


def _department(department) -> dict:
    node = {"@type": "GovernmentOrganization", "name": department.name}
    if department.phone:
        node["telephone"] = department.phone
    if department.website:
        node["url"] = department.website
    if department.address:
        node["address"] = department.address
    return node
