"""Build the knowledge base in this folder: `python build.py` is `litweave build`,
`python build.py CMD …` is `litweave CMD …`.

Kept import-safe (nothing runs on import), since this file shadows PyPA's `build` module when
Python runs from the project root; build wheels with `pip wheel .`.
"""

import sys

if __name__ == "__main__":
    from litweave.cli import main

    sys.exit(main(sys.argv[1:] or ["build"]))
