"""sdgraph: a knowledge graph of the Dutch sociaal domein."""

__version__ = "0.1.0"
