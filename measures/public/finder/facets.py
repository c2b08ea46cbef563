"""The award finder's facets: for each filter (measures.public.finder.filters.AwardFilter.FACETS), its options,
each counted with every filter applied but the facet's own, as the results would be once it is chosen.

The counts come from the finder's tally (measures/public/finder/tally.py), whatever the amount of
data. The database counts only what the tally does not hold: the kinds of one policy's awards, the
policies of one kind's awards, and every facet of a question naming both (their awards are few).

The policy facet lists only the POLICIES_SHOWN policies with the most matching awards; the page links
to the full list (/awards/policies/, `policy_choices`), which can be searched by name.
"""

import bisect
import dataclasses
import heapq

from measures.domain.models import Award
from measures.public.finder.bands import AMOUNT_BANDS
from measures.public.finder.filters import Facet, FacetOption
from measures.public.finder.tally import ALL, LATEST, Question, revision_key, scope_of, within
from measures.public.formatting import kind_label

POLICIES_SHOWN = 8  # the policy facet lists the policies with the most awards; the rest are a click away


def finder_facets(finder, request) -> list[Facet]:
    """The finder's facets (measures.public.finder.filters.AwardFilter.FACETS), each option counted with every
    filter applied but the facet's own: what the results would be once it is chosen."""
    cleaned = finder.form.cleaned_data
    tally = LATEST.get(revision_key(request))
    policy, kind = cleaned.get("policy"), cleaned.get("kind")
    scope = scope_of(cleaned)
    label = {name: finder.filters[name].label for name in finder.FACETS}
    if scope is None:  # a kind within a policy: its few awards counted by the database
        facets = {facet.name: facet for facet in finder.facets()}
        facets["policy"] = _shortened(facets["policy"], policy)
    else:
        facets = {
            "band": _band_facet(tally, scope, cleaned, label["band"]),
            "pillar": _pillar_facet(tally, scope, cleaned, label["pillar"], policy),
            "recurrence": _choice_facet(tally, scope, cleaned, "recurrence", Award.Recurrence.choices, label),
            "limit": _choice_facet(tally, scope, cleaned, "limit", Award.Limit.choices, label),
            # Each without its own filter: the kinds within the policy, the policies within the kind.
            "kind": _kind_facet(tally, cleaned, label["kind"]) if policy is None else finder.kind_facet(),
            "policy": (
                _policy_facet(tally, cleaned, label["policy"])
                if kind is None
                else _shortened(finder.policy_facet(), policy)
            ),
        }
    # The 不限 counts that are not the sum of the options: an award open to two kinds counts in both, and
    # the policy facet lists only a few policies.
    question = Question.of(cleaned)
    without_kind = tally.count(("policy", policy.pk) if policy else ALL, question)
    without_policy = tally.count(("kind", kind.pk) if kind else ALL, question)
    facets["kind"] = dataclasses.replace(facets["kind"], total=without_kind)
    facets["policy"] = dataclasses.replace(facets["policy"], total=without_policy)
    return [facets[name] for name in finder.FACETS]


def policy_choices(finder, request) -> list[FacetOption]:
    """Every policy with an award the question would find without its `policy`, with their counts, in
    the order of their addresses: the policy facet's full list (the finder's page shows the first few)."""
    cleaned = finder.form.cleaned_data
    if cleaned.get("kind") is not None:
        options = finder.policy_facet().options
    else:
        options = _policy_options(LATEST.get(revision_key(request)), cleaned)
    return [option for option in options if option.count]


def _band_facet(tally, scope, cleaned, label):
    question = Question.of(cleaned, without="band")
    options = []
    for band in AMOUNT_BANDS:
        low, high = within(question.low, question.high, band)
        count = tally.count(scope, Question(low, high, question.pillar, question.recurrence, question.limit))
        options.append(FacetOption(band.slug, band.label, count))
    return Facet("band", label, options)


def _choice_facet(tally, scope, cleaned, name, choices, labels):
    counts = tally.by(scope, Question.of(cleaned, without=name), name)
    return Facet(name, labels[name], [FacetOption(value, text, counts.get(value, 0)) for value, text in choices])


def _pillar_facet(tally, scope, cleaned, label, policy):
    """The pillar numbers holding matching awards, in order; the chosen one even when none match."""
    counts = tally.by(scope, Question.of(cleaned, without="pillar"), "pillar")
    chosen = cleaned.get("pillar")
    numbers = sorted({number for number, count in counts.items() if count} | ({chosen} if chosen else set()))
    policy_id = policy.pk if policy else None
    options = [FacetOption(str(n), tally.pillar_label(n, policy_id), counts.get(n, 0)) for n in numbers]
    return Facet("pillar", label, options)


def _kind_facet(tally, cleaned, label):
    """The kinds the matching awards are open to, in the kinds' order; the chosen one even when none are."""
    question = Question.of(cleaned)  # the kind and policy are scopes, not part of it
    chosen = cleaned.get("kind")
    options = []
    for pk, slug, name, name_en in tally.kinds:
        count = tally.count(("kind", pk), question)
        if count or (chosen is not None and chosen.pk == pk):
            options.append(FacetOption(slug, kind_label(name, name_en), count))
    return Facet("kind", label, options)


def _policy_facet(tally, cleaned, label):
    """The POLICIES_SHOWN policies with the most matching awards (ties in the order of their addresses),
    and the chosen one. The policies are visited largest first, so the visit stops at the first that
    has fewer awards in all than the last one listed has matching."""
    question = Question.of(cleaned)  # the kind and policy are scopes, not part of it
    shown = []  # (-count, slug, option), in the facet's order
    for negative_total, slug, pk, name in tally.policies_by_size:
        if len(shown) == POLICIES_SHOWN and -negative_total < -shown[-1][0]:
            break
        count = tally.count(("policy", pk), question)
        if count:
            bisect.insort(shown, (-count, slug, FacetOption(slug, name, count)))
            del shown[POLICIES_SHOWN:]
    options = [option for *_, option in shown]
    chosen = cleaned.get("policy")
    if chosen is not None and chosen.slug not in {option.value for option in options}:
        name = tally.policies.get(chosen.pk, (chosen.slug, chosen.short_title or chosen.title))[1]
        options.append(FacetOption(chosen.slug, name, tally.count(("policy", chosen.pk), question)))
    return Facet("policy", label, options, more=len(tally.policies) - len(shown))


def _policy_options(tally, cleaned):
    question = Question.of(cleaned)  # the kind and policy are scopes, not part of it
    options = []
    for pk, (slug, name) in tally.policies.items():
        count = tally.count(("policy", pk), question)
        if count:
            options.append(FacetOption(slug, name, count))
    return sorted(options, key=lambda option: option.value)


def _shortened(facet, chosen):
    """The policy facet as the page lists it: the POLICIES_SHOWN policies with the most matching awards
    (ties in the order of their addresses), the chosen one among them even when it has none; `more` says
    how many policies with awards are left to the full list."""
    shown = heapq.nsmallest(POLICIES_SHOWN, facet.options, key=lambda option: (-option.count, option.value))
    if chosen is not None and chosen.slug not in {option.value for option in shown}:
        found = next((option for option in facet.options if option.value == chosen.slug), None)
        shown.append(found or FacetOption(chosen.slug, chosen.short_title or chosen.title, 0))
    more = sum(1 for option in facet.options if option.count) - sum(1 for option in shown if option.count)
    return dataclasses.replace(facet, options=shown, more=more)
