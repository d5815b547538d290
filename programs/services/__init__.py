"""Writes of the catalogue: reference data from the data files (``reference_data``)."""
