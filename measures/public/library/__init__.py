"""The policy library (/policies/): every policy the portal holds, with its filters, facet counts and CSV.

catalogue.py reads every policy once per content revision with what the library shows of it (awards,
recorded measures, the documents citing it); filters.py is the one FilterSet the page, its CSV and the
API's /api/v1/policies/ read their parameters with.
"""
