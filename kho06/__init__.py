"""Kho06: the Đề án 06 data warehouse of a province."""

__version__ = "0.1.0"
