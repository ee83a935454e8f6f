"""Check the system libraries WeasyPrint needs, and say the exact install command when one is missing.

Run as `python -m sharedlives.syscheck` (make run and make test do). Exit status 1 when something is missing.
"""

import ctypes.util
import platform
import sys

# library name for ctypes -> (Debian/Ubuntu package, Homebrew formula)
LIBRARIES = {
    "pango-1.0": ("libpango-1.0-0", "pango"),
    "pangoft2-1.0": ("libpangoft2-1.0-0", "pango"),
    "harfbuzz": ("libharfbuzz0b", "harfbuzz"),
    "harfbuzz-subset": ("libharfbuzz-subset0", "harfbuzz"),
    "fontconfig": ("libfontconfig1", "fontconfig"),
}


def missing_libraries() -> list[tuple[str, str]]:
    return [packages for name, packages in LIBRARIES.items() if ctypes.util.find_library(name) is None]


def main() -> int:
    missing = missing_libraries()
    if not missing:
        return 0
    if platform.system() == "Darwin":
        command = "brew install " + " ".join(sorted({brew for _, brew in missing}))
    else:
        command = "sudo apt-get install -y " + " ".join(sorted({deb for deb, _ in missing}))
    print("PDF reports need system libraries that are not installed. Install them with:", file=sys.stderr)
    print(f"    {command}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
