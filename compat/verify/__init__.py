"""Executing notebooks and checking what they print."""
