"""Outputs derived from the knowledge base besides the HTML pages: exports, feeds, indexes."""
