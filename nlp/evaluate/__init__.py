"""Evaluation: gold records vs predicted records, one module per stage."""
