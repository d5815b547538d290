"""Writes of the sourcing app (atomic, keyword-only, an ``actor``)."""

from .colleagues import anchor_administrator_set, anchor_colleague_deactivate, anchor_colleague_invite

__all__ = ["anchor_administrator_set", "anchor_colleague_deactivate", "anchor_colleague_invite"]
