"""litweave: bibliographic records in, a cross-linked static site of papers, authors and mechanisms out."""

__version__ = "0.1.0"
