"""lisible: publish one text for everyone, in several languages, on the web and on paper.

The pipeline has one module per stage, each named after it:

- :mod:`lisible.convert`   source documents -> canonical French Markdown
- :mod:`lisible.segment`   the one walker that extracts and reassembles translation units
- :mod:`lisible.catalogs`  gettext catalogues: merge, states, checks, reassembly
- :mod:`lisible.translate` offline machine translation (argostranslate)
- :mod:`lisible.easyread`  easy-read French: linter, drafter, readability
- :mod:`lisible.site`      the multilingual MkDocs site
- :mod:`lisible.pdf`       print-ready PDFs with Typst

:mod:`lisible.pipeline` strings them together; ``build.py`` is its command line.
"""

__version__ = "0.1.0"
