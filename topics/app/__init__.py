"""Front doors over the library: the ``topics`` command line, ``topics report``, notebooks.

Each is a thin adapter over :func:`topics.themes.analyze_themes` and the other library calls;
nothing here computes anything the library does not.

* :mod:`.cli` — the ``topics`` command, one module per command group;
* :mod:`.report` — ``topics report``: the whole analysis from a TOML file, in memory or — with
  ``[engine] streaming`` — chunk by chunk through the same front doors;
* :mod:`.notebooks` — ``topics figures``: the notebooks executed, every figure written.
"""
