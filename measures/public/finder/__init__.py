"""The award finder (/awards/), below the faces that show it: its filters (`filters.py`, one FilterSet
read by the finder page, its CSV, the API's awards and the finder alerts), the amount bands
(`bands.py`), the tally that counts a question's awards without a COUNT(*) (`tally.py`) and the facets
counted from it (`facets.py`). The pages themselves are measures/public/views/awards.py and
measures/public/api/views.py."""
