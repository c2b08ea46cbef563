"""The public pages, a module per page family: browse (home, policy → pillar → measure), awards (the
award finder and its CSV export), search, history (a measure's history and its page on a past day,
/changes/ and its Atom feed) and downloads (/downloads/ and its CSV and JSON files)."""
