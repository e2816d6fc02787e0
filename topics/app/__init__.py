"""Front doors over the library: the ``topics`` command line, ``topics report``, notebooks.

Each is a thin adapter over :func:`topics.themes.analyze_themes` and the other library calls;
nothing here computes anything the library does not.
"""
