"""The check of the award finder's tally (declared in measures/domain/derived.py): the tally a worker
starting now would make — the shared cache's count caught up from the log of the awards' changes — against
a fresh count. It can differ only when an award changed without its change being logged (a write with the
triggers off), which is what this catches."""

from measures.public.finder import tally


def finder_tally(repair: bool) -> list[str]:
    shared = tally._shared()
    if shared is None:  # nothing counted yet (or no cache): the next question counts afresh
        return []
    fresh = tally.fresh()
    if tally.caught_up(shared).listings == fresh.listings:
        return []
    if repair:
        tally.COUNTS.set(tally.cache_key(), (fresh.position, fresh.listings), tally.TALLY_TIMEOUT)
        tally.LATEST.clear()
    return ["the tally caught up from the log is not what the awards count (an award written below its triggers?)"]
