"""Exporters mirror the importers: one module per format, Records in, standard text out. Pure."""
