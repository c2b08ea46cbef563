"""The public pages, a module per page family: browse (policy → pillar → measure), awards (the
award finder and its CSV export), search."""
