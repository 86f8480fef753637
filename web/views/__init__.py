"""Blueprints of the web shell; each view names queries and renders a template."""
