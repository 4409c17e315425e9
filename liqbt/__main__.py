"""`python -m liqbt` is the `liqbt` command."""

from liqbt.cli import main

if __name__ == "__main__":
    main()
