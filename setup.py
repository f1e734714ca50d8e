"""Package discovery; everything else is in pyproject.toml.

Every package under src/ is found automatically. The menus live in blocks/ at the top of the
repository and ship as the data package ``impactkit.blocks``.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "impactkit.blocks"],
    package_dir={"": "src", "impactkit.blocks": "blocks"},
)
