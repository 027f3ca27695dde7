#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own.

Usage: tools/check_layers.py [SRC_DIR]   (default: src next to this script)
The allowed edges follow DEVELOPERS.md and ../shared/STYLE.md §2.
"""
import re
import sys
from pathlib import Path

# module -> modules it may include (besides itself)
ALLOWED = {
    "core": set(),
    "gguf": {"core"},
    "kernels": {"core", "gguf"},
    "store": {"core", "gguf"},
    "catalog": {"core", "gguf", "kernels"},
    "model": {"core", "gguf", "kernels"},
    "tokenizer": {"core", "gguf"},
    "chat": {"core"},
    "sampling": {"core"},
    "engine": {"core", "gguf", "kernels", "model", "tokenizer", "chat", "sampling"},
    "access": {"core"},
    "server": {"core", "engine", "tokenizer", "chat", "sampling", "access"},
    "plan": {"core", "gguf", "kernels", "catalog", "model"},
    "cli": None,  # anything
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')


def violations(src: Path):
    for path in sorted(src.rglob("*")):
        if path.suffix not in {".h", ".cpp", ".def"}:
            continue
        module = path.relative_to(src).parts[0]
        if module not in ALLOWED:
            yield f"{path}: module '{module}' has no row in tools/check_layers.py"
            continue
        allowed = ALLOWED[module]
        if allowed is None:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if match and match.group(1) != module and match.group(1) not in allowed:
                yield f"{path}:{number}: '{module}' may not include '{match.group(1)}/'"


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src"
    problems = list(violations(src))
    for problem in problems:
        print(problem)
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed: layering of {src}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
