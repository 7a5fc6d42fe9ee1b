"""`deskbridge completion bash|zsh|tcsh`: the shell completion script (shtab), generated from
the same parser the command runs with.

    source <(deskbridge completion bash)                   # this shell
    deskbridge completion zsh > "${fpath[1]}/_deskbridge"   # zsh, for good
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

SHELLS = ("bash", "zsh", "tcsh")


def add_parsers(commands: Any) -> None:
    completion = commands.add_parser(
        "completion",
        help="print the shell completion script",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=SHELLS)


def print_completion(args: argparse.Namespace, build: Callable[[], argparse.ArgumentParser]) -> int:
    import shtab

    print(shtab.complete(build(), shell=args.shell), file=sys.stdout)
    return 0
