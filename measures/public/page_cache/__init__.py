"""How fresh a public answer is, and how it is kept: everything between the content revision
(measures/domain/revision.py, moved by the database's triggers) and the bytes sent.

- middleware.py: the ETag, 304s, Cache-Control and the shared page cache (ConditionalGetMiddleware);
- revision_watch.py: each process keeps the revision, told of changes by PostgreSQL's LISTEN/NOTIFY;
- memory.py: the pages this process served lately, kept as they are while the revision is kept;
- compression.py: Brotli and gzip, done once when a page is kept (and never on a page with a token).

Only the middleware is used from outside (settings.MIDDLEWARE); the finder's tally reads the revision
it left on the request."""
