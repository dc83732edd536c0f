"""HCPCS Desktop: an offline reference browser for the CMS HCPCS Level II code set."""

__version__ = "0.1.0"
