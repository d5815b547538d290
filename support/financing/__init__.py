"""Financing cases of the selected SMEs with NAFIN, BANCOMEXT and the intermediary banks: models, reads,
forms and pages. Writes are in ``support.services.financing``, the API in ``support.api.financing``."""
