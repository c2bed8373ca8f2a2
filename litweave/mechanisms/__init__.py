"""Mechanisms: the vocabulary (`vocabulary`), how names compare (`terms`), the matcher, acronyms a
paper defines otherwise (`disambiguation`), abbreviation discovery and `suggest` candidates."""
