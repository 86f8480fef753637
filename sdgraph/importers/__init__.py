"""Importers: one module per source format, each turning a public register or
export into RDF that follows the ontology, with a report of what was imported,
skipped and warned about (naming file and row)."""
