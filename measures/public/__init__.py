"""The public face, in rooms ordered top to bottom (tests/test_architecture.py, PUBLIC_ROOMS):
urls.py; the faces (views/, api/, sitemaps.py); alerts/; the features they share (finder/, calculator.py,
timeline.py, exports.py, charts.py, qrcode.py) and the public answers' middleware (page_cache/,
one_value.py); formatting.py and query_urls.py at the bottom."""
