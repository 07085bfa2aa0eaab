"""Package layout only (metadata is in pyproject.toml).

The design card keeps ``templates/`` and ``resources/`` at the top of the repository;
they are mapped into the package as ``mediation.templates`` and
``mediation.resources`` (``package_dir``), so a wheel carries them and the code reads
them with ``importlib.resources`` from a checkout (editable install), a wheel or a
frozen bundle alike. pyproject.toml cannot add mapped packages to the ones it finds,
hence this file.
"""

from setuptools import find_packages, setup

MAPPED = {"mediation.templates": "templates", "mediation.resources": "resources"}

setup(
    packages=find_packages(include=["mediation", "mediation.*"]) + list(MAPPED),
    package_dir=MAPPED,
    package_data={
        "mediation.migrations": ["*.mako", "versions/*.py"],
        "mediation.templates": ["*.toml", "parts/*.toml", "README.md"],
        "mediation.resources": [
            "fonts/*.ttf", "fonts/*.ttc", "fonts/*.otf", "fonts/*.LICENSE.txt", "fonts/README.md",
            "i18n/*.qm", "i18n/*/LC_MESSAGES/*.mo", "licenses/*.txt", "licenses/README.md",
            "icons/*.svg", "icons/hicolor/*/apps/*.png",
        ],
    },
    # The wheel gets the files above only; MANIFEST.in adds sources (.ts/.po, tests,
    # scripts) to the sdist.
    include_package_data=False,
)
