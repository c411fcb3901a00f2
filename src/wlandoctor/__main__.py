"""``python -m wlandoctor``."""

from wlandoctor.cli.app import main

main()
