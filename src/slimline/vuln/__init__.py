"""Known vulnerabilities: a local database of advisories and matching against packages.

``inputs`` reads what ``slimline db import`` is given (OSV zips, directories of OSV
records, the Debian security tracker's JSON) with limits; ``osv`` and ``debian``
turn records into :class:`~slimline.vuln.model.Advisory` values; ``db`` stores them
in SQLite and looks them up by ecosystem and package; ``versions`` orders versions
per ecosystem with maintained libraries; ``match`` applies OSV's range evaluation
and joins aliases; ``scan`` reads an image's packages and applies the ``[scan]``
configuration (``config``); ``update`` downloads the OSV exports.
"""
