"""Rows that many tests start from (the small policy, an emptied database), built once and kept for as
long as consecutive tests ask for the same: inside a transaction left open across those tests, in which
each test's own transaction is a savepoint rolled back after it (as Django's setUpTestData keeps a
class's rows). docs/testing.md says when a test gets them this way."""

from django.db import transaction

# The fixtures that can be kept, in the order they are applied (each test's fixtures ask for
# empty_database before the rows they build: conftest.py), and what each builds when kept: a function
# of no argument returning what the fixture then finds it by (an id). conftest.py registers its own,
# a test module those only it uses.
KEEPABLE = {}


def keepable(name):
    """Register the decorated function as the builder of the keepable fixture `name`."""

    def register(builder):
        KEEPABLE[name] = builder
        return builder

    return register


class KeptRows:
    """The open transaction and what was built in it: fixture name -> what the fixture returns (an id)."""

    def __init__(self):
        self.atomic = None
        self.names = ()
        self.built = {}
        self.database_ready = False
        self.closing = False  # the test being torn down is the last: close after its own transaction

    def wanted(self, item, commits: bool) -> tuple[str, ...]:
        """The keepable fixtures `item` asks for, if it may get them kept: a test that commits (its
        rows are flushed) or that moves the id sequences gets its own. Empty otherwise."""
        names = tuple(name for name in KEEPABLE if name in item.fixturenames)
        if commits or "sequences_put_back" in item.fixturenames:
            return ()
        order = [item.fixturenames.index(name) for name in names]
        if order != sorted(order):
            return ()  # asked for in another order than KEEPABLE's: built in the test, as asked
        return names

    def switch_to(self, names, blocker):
        """Keep exactly `names` (roll back what was kept for other tests, build what is asked)."""
        if names == self.names and self.atomic is not None:
            return
        self.close(blocker)
        if not names or not self.database_ready:
            return
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.names = names
            for name in names:
                self.built[name] = KEEPABLE[name]()

    def get(self, name):
        """What the kept fixture `name` built, or None when the test builds its own."""
        return self.built.get(name) if self.atomic is not None else None

    def close(self, blocker):
        if self.atomic is None:
            return
        with blocker.unblock():
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        self.atomic, self.names, self.built = None, (), {}


KEPT = KeptRows()
