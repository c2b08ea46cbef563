"""The search page, /search/?q=: what a match is, how results are ranked and highlighted is
decided in measures/search/query.py, which words a term is widened to in measures/search/widening.py.
One SQL query for the widening, two for a results page (query.find), one for the recipient kinds
(申报主体) the words name, one for the related documents and one for the 政策问答; a page without results
adds those of its suggestions; none for the empty form."""

from django.shortcuts import render

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import RecipientKind
from measures.domain.questions import QuestionAnswer
from measures.public.alerts import follow_url
from measures.search import query as finder
from measures.search import suggestions
from measures.search.widening import widen

# Offered on the empty search page: words of the policy a reader might look for.
EXAMPLE_TERMS = ["孵化器", "中试", "金砖", "苏颂", "概念验证", "实验室"]
# How many 政策问答 a results page lists at most (beside the clauses, in the policies' order).
QUESTIONS_SHOWN = 20


def question_hits(query) -> list:
    """The published 政策问答 holding every term of the query, each with its question and answer
    highlighted: one query, made when the query has a text term (as for the kinds and documents it
    names; amounts alone make none). A 问答 has no awards of its own: an amount term (500万以上) is looked
    for in its text as written."""
    if not query.words:
        return []
    return [
        (
            qa,
            finder.highlight(qa.question, query.marked, width=None),
            finder.highlight(qa.answer, query.marked),
        )
        for qa in QuestionAnswer.objects.named([query.alternatives(t) for t in query.terms], QUESTIONS_SHOWN)
    ]


def search(request):
    query = widen(finder.parse_query(request.GET.get("q")))
    results = finder.find(query)
    hits = [
        (
            clause,
            finder.highlight(clause.measure.title, query.marked, width=None, amounts=query.amounts),
            finder.highlight(clause.text, query.marked, amounts=query.amounts),
        )
        for clause in results.clauses
    ]
    kinds = list(RecipientKind.objects.public().named(query.words)) if query.words else []
    context = {
        "query": query,
        "search_value": query.text,
        "results": results,
        "hits": hits,
        # Kinds of applicant named by the words: each leads to the calculator with it chosen.
        "kinds": kinds,
        # Related documents (相关文件) the words name: a draft implementing rule is found by its subject.
        "documents": list(RelatedDocument.objects.named(query.words)) if query.words else [],
        # 政策问答 that hold the words, each linking to its place on its measure's page.
        "questions": question_hits(query),
        # Nothing found: kinds and words that do find something, each a link that gives results.
        "suggestions": suggestions.suggest(query) if query and not results.total and not kinds else None,
        "example_terms": EXAMPLE_TERMS,
        "max_query_length": finder.MAX_QUERY_LENGTH,
        "max_terms": finder.MAX_TERMS,
        # 关注 this query: mail when a clause (or award) it finds appears or changes.
        "follow_url": follow_url(kind="search", q=query.text) if query else None,
        "follow_kind": "search",
    }
    response = render(request, "measures/search.html", context)
    if query:
        # Result pages are endless and thin: keep them out of search engines (the base template
        # has no slot for a robots <meta>; this header says the same).
        response["X-Robots-Tag"] = "noindex"
    return response
