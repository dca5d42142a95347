"""catalog-tools: validate, score, publish and audit Thai government data catalogs."""
__version__ = "0.1.0"
