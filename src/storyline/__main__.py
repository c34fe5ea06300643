"""``python -m storyline``: the command line (the ``storyline`` script)."""

from .cli import main

if __name__ == "__main__":
    main()
