"""The last gate before the site is published: no citizen ID, phone number or e-mail address in any page.

The report reads only masked and aggregated columns; this scan is the second line. It looks at every written
file for 9-12 digit runs (CMND / CCCD shapes, and phone numbers written without separators), phone numbers with
separators and e-mail addresses. Known identifiers that are not personal are removed first: BTS cell keys
(`LTE:452:4:area:cell`, whose cell id can reach 9 digits) and run ids (UUIDs). A hit fails the build, naming the
file, the line and the kind, never the value itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NOT_PERSONAL = re.compile(
    r"\b(?:GSM|UMTS|LTE|NR|CDMA)(?::\d*){4}\b"  # BTS cell keys (an empty area stays empty)
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",  # run ids
    re.IGNORECASE,
)
SHAPES = {
    "9-12 digit number (citizen ID or phone shape)": re.compile(r"(?<!\d)\d{9,12}(?!\d)"),
    "phone number": re.compile(r"(?<![\d.,])(?:\+84|0)[1-9]\d{1,2}[ .\-]\d{3}[ .\-]\d{3,4}(?![\d])"),
    "e-mail address": re.compile(r"[\w.+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+"),
}


@dataclass(frozen=True)
class Finding:
    file: Path
    line: int
    kind: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}"


class PersonalDataInReport(RuntimeError):
    """The generated site holds something shaped like personal data; it must not be published."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        shown = "; ".join(str(f) for f in findings[:10])
        more = f" (and {len(findings) - 10} more)" if len(findings) > 10 else ""
        super().__init__(f"the report was not published: personal data in the generated pages: {shown}{more}")


def scan_text(text: str, file: Path) -> list[Finding]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        cleaned = NOT_PERSONAL.sub(" ", line)
        found += [Finding(file, number, kind) for kind, shape in SHAPES.items() if shape.search(cleaned)]
    return found


def scan_site(root: Path) -> list[Finding]:
    """Every text file of the site."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".css", ".json", ".svg", ".txt", ".js"):
            found += scan_text(path.read_text(encoding="utf-8"), path)
    return found


def assert_clean(root: Path) -> None:
    findings = scan_site(root)
    if findings:
        raise PersonalDataInReport(findings)
