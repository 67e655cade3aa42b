"""Maildir-based delivery between the agents of the research desk."""

__all__ = ["dispatch"]
