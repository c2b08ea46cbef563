"""The content revision kept in each process, and learnt of from PostgreSQL's LISTEN/NOTIFY rather than
asked for on every request.

A request polls the listening socket without waiting; when the listening cannot be trusted (SQLite, a
transaction, a dropped connection, RECHECK_SECONDS without a reading) it asks the database, as before.
An editor's save waits until its own change is announced (`wait_until_announced`).
See docs/architecture.md#the-revision-in-each-process.
"""

import collections
import contextlib
import logging
import os
import select
import threading
import time

from django.db import connection

CHANNEL = "measures_content_revision"  # as in migration 0012
RETRY_SECONDS = 5.0
RECHECK_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 2
WAIT_SECONDS = 2.0

logger = logging.getLogger(__name__)


class RevisionWatch:
    def __init__(self):
        self._lock = threading.Lock()
        self._listener = None  # the psycopg connection that LISTENs, in this process
        self._pid = None
        self._revision = None  # the last reading, or None: read at the next request
        self._read_at = 0.0
        self._retry_at = 0.0
        self._heard = collections.deque(maxlen=64)  # the counters announced lately, newest last

    def current(self, read):
        """(revision, kept): the content revision, and whether it is the one kept in memory (True) or
        read() just now, because it may have changed or the watch is off (False)."""
        if not self.usable():
            return read(), False
        with self._lock:
            now = time.monotonic()
            if not self._listening(now):
                self._revision = None
                return read(), False
            if self._revision is not None and now - self._read_at <= RECHECK_SECONDS:
                return self._revision, True
            self._revision = None  # if read() fails (the database is down), ask again next time
            self._revision, self._read_at = read(), now
            return self._revision, False

    def usable(self) -> bool:
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def wait_until_announced(self, revision, timeout: float = WAIT_SECONDS) -> bool:
        """Wait (at most `timeout`) until this process has heard the announcement of `revision`, which a
        request of its own has just committed. PostgreSQL signals every listening process at once, so
        when the announcement is back here it is with every other worker too: the writer answers only
        then, and the page its browser asks for next, from any worker, shows the change.
        False if it did not come (the watch is down: other processes ask the database meanwhile)."""
        try:
            wanted = int(revision.key)
        except ValueError:
            return False
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                now = time.monotonic()
                if not self._listening(now):
                    return False
                if any(counter >= wanted for counter in self._heard):
                    return True
                if now >= deadline:
                    logger.warning("the announcement of revision %s did not come back in %.1f s", wanted, timeout)
                    return False
                socket = self._listener.pgconn.socket
            # Outside the lock, so other requests go on; in short slices, as another may read it first.
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: the next turn finds out
                select.select([socket], [], [], min(0.05, deadline - now))

    def listen(self) -> None:
        """Listen from now on, if not yet: before a write whose announcement will be waited for, since an
        announcement sent before the LISTEN is never heard (a worker whose first request is a save)."""
        with self._lock:
            self._listening(time.monotonic())

    def forget(self) -> None:
        """The next request reads the revision (after a reading that disagreed with the one kept)."""
        with self._lock:
            self._revision = None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _listening(self, now: float) -> bool:
        """Whether the listening connection is up, with what arrived on it taken in: an announcement
        forgets the revision kept. Opens it (again) when it is time to try."""
        if self._listener is not None and self._pid != os.getpid():
            self._listener = None  # a forked child must not share its parent's socket
            self._revision = None
        if self._listener is None:
            if now < self._retry_at:
                return False
            self._retry_at = now + RETRY_SECONDS
            try:
                self._listener = self._connect()
            except Exception as error:
                logger.warning("cannot listen for content changes (%s); asking the database on every request", error)
                return False
            self._pid = os.getpid()
            self._revision = None  # listening now: whatever changed before is in the next reading
        try:
            if self._announced():
                self._revision = None
        except Exception as error:
            logger.warning("lost the connection listening for content changes (%s); asking the database", error)
            self._drop()
            return False
        return True

    def _announced(self) -> bool:
        """Whether any announcement arrived, without waiting; raises when the connection is gone."""
        pgconn = self._listener.pgconn
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
        if not readable:
            return False
        pgconn.consume_input()  # raises if the server closed the connection
        if pgconn.status != 0:  # CONNECTION_OK
            raise ConnectionError("connection no longer open")
        announced = False
        while (notify := pgconn.notifies()) is not None:
            announced = True
            with contextlib.suppress(ValueError):
                self._heard.append(int(notify.extra))
        if not announced:
            # Something other than an announcement (a server shutting down says so before it closes):
            # one round trip finds out whether the connection still works; raises if not.
            self._listener.execute("SELECT 1")
        return announced

    def _connect(self):
        # psycopg, only on PostgreSQL, and only once per process.
        import psycopg

        params = connection.get_connection_params()
        listener = psycopg.connect(
            **params,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="xmpolicy revision watch",
            # A peer that vanished without closing is found by the kernel too, not only by RECHECK_SECONDS.
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
        try:
            listener.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            listener.close()
            raise
        return listener

    def _drop(self) -> None:
        listener, self._listener, self._revision = self._listener, None, None
        if listener is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):  # already broken: nothing to close cleanly
                listener.close()


WATCH = RevisionWatch()
