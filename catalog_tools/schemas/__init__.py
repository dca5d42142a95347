"""JSON Schemas (2020-12) of the DGA metadata standard, shipped as ``catalog_tools.schemas``.

The ``*.json`` files beside this module are the single source of the rules JSON Schema can
express; they are plain JSON Schema and usable by any validator.
"""
