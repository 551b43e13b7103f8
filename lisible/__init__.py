"""lisible: publish one text for everyone, in several languages, on the web and on paper.

The pipeline has one module per stage, each named after it, and one contract
between them (:mod:`lisible.document`, see docs/design.md):

- :mod:`lisible.convert`    source documents -> canonical French Markdown
- :mod:`lisible.segment`    the one walker that extracts and reassembles translation units
- :mod:`lisible.catalogs`   gettext catalogues: templates, merge, states, drafts applied
- :mod:`lisible.translate`  offline machine translation (argostranslate), translation memory
- :mod:`lisible.easyread`   easy-read French: linter, drafter, readability
- :mod:`lisible.check`      findings on every catalogue entry
- :mod:`lisible.reassemble` each language's Markdown from its catalogue
- :mod:`lisible.pdf`        print-ready PDFs with Typst
- :mod:`lisible.site`       the multilingual MkDocs site

:mod:`lisible.pipeline` strings them together; ``build.py`` is its command line.
"""

__version__ = "0.1.0"
