"""Rewrite TF1 notebooks and scripts into code that runs on TF 2.16+."""
