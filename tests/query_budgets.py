"""How many queries each page may run, whatever the amount of data (see measures/public/views/browse.py
for what each one reads)."""

# The one query a public request reads before its view: the content's fingerprint, for its ETag.
CONTENT_REVISION_QUERIES = 1

# Then each page's own, after that fingerprint (measures/public/page_cache/middleware.py):
# policy, sources, pillars, their measures, all measures; who may apply; award count, largest awards, chart; related
# documents and the measures they concern
POLICY_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 11
PILLAR_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 5  # policy, sources, pillars, their measures, all measures
# measure with policy and pillar, clauses, awards, sources, sibling measures, related documents; the awards'
# kinds, their application facts, the facts' departments and guides; the latest public change; the
# publications scheduled on it (已知的后续变化); its 政策问答
MEASURE_PAGE_QUERIES = CONTENT_REVISION_QUERIES + 13

# The award finder's tally, counted by the first question of a worker (finder page or API): the position in
# the log of the awards' changes, the awards' listings, their kinds; the pillars' titles, the kinds, the
# policies. Caught up after an edit in as many: the changes logged, the changed awards and their kinds, the
# three labels (measures/public/finder/tally.py).
FINDER_TALLY_QUERIES = 6

# What a search results page (/search/?q=) reads besides the clauses (tests/test_search.py): the
# 政策问答 holding its words, in one query (measures/public/views/search.py, question_hits).
SEARCH_QUESTIONS_QUERIES = 1

# The policy library's catalogue, read once per content revision by the first question (the library page,
# its CSV or the API's policies): the policies, their awards, the kinds of their awards, their published
# measures, the documents citing them, the public kinds (measures/public/library/catalogue.py).
LIBRARY_CATALOGUE_QUERIES = 6

# The calendar's tally, read once per content revision and day by the first calendar page: the policies,
# the awards and the kinds' links counted by section, the kinds (measures/public/calendar/tally.py).
CALENDAR_TALLY_QUERIES = 4
