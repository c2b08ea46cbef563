"""The check of the award finder's tally (declared in measures/domain/derived.py): the tally the shared
cache holds for the current content revision against a fresh count. It can differ only when content
changed without the revision moving, which is what this catches."""

import json

from measures.public.finder import tally


def _comparable(parts) -> str:
    rows, pillar_titles, kinds, policies = parts
    return json.dumps(
        [
            sorted(map(repr, rows)),
            sorted(map(repr, pillar_titles.items())),
            list(map(list, kinds)),
            sorted(map(repr, policies.items())),
        ]
    )


def finder_tally(repair: bool) -> list[str]:
    revision = tally.revision_key(request=None)  # no request: the revision as it is now
    key = tally.cache_key(revision)
    kept = tally.COUNTS.get(key)
    if kept is None:  # nothing counted for this revision yet (or no cache): the next question counts afresh
        return []
    fresh = tally._count()
    if _comparable(kept) == _comparable(fresh):
        return []
    if repair:
        tally.COUNTS.set(key, fresh, tally.TALLY_TIMEOUT)
        tally.LATEST.clear()
    return [f"the tally of revision {revision} is not what the awards count (was the revision moved?)"]
