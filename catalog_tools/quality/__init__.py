"""Resource content quality: fetch each file once, detect what it really is, measure what is inside.

The portals' own tool (ckanext-dquality) looks at the URL extension, the last sheet of a
workbook and the first 5,001 rows. This package looks at the bytes: the format and encoding are
sniffed from the content, every sheet and every row is read, tabular files are validated with
frictionless, and every metric below its best names the cells that cost it.

Layers (each imports only those above it in this list):
``formats`` (format table, stars) → ``sniff`` (format + encoding from bytes) → ``tables`` (sheets
of rows, header row) → ``metrics`` + ``tabular`` (frictionless) → ``assess`` (one resource) →
``fetch`` (HTTP, cache) → ``run`` (a workbook or a CKAN catalog).
"""
