"""Fonts, translations and icons, shipped inside the package as ``mediation.resources``.

Not code: this file only makes the folder a package so ``importlib.resources`` finds
it from a checkout, a wheel and a frozen bundle alike (see setup.py).
"""
