"""The one error a register file raises: a message for people that names the file and what to do."""

from __future__ import annotations


class RegisterError(ValueError):
    """The file as a whole cannot be read; the message names the file and what to fix."""
