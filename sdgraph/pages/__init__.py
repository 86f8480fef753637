"""Pages: one module per page, each a function over a query runner returning a
:class:`~sdgraph.pages.base.Page` (data as dict/JSON, CSV, text, and the web template).

The CLI and the web only parse input, call a page and render it
(docs/architecture.md, "to add a page").
"""
