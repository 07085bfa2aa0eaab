"""Form descriptions (TOML), shipped inside the package as ``mediation.templates``.

Not code: this file only makes the folder a package so ``importlib.resources`` finds
it from a checkout, a wheel and a frozen bundle alike (see setup.py).
"""
