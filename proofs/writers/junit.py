"""JUnit XML: one test case per claim, for CI test tabs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from proofs.model import Result
from proofs.verdicts import Status, Verdict
from proofs.writers.base import Writer, checked_lines
from proofs.writers.escape import block, xml_legal

__all__ = ["JunitWriter"]

# Verdicts that mean the check itself did not decide: a JUnit error. Any other failing claim (refuted, evidence
# too weak, stale, an erratum no longer refuted) is a JUnit failure.
_ERRORS = (Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR)

# XML 1.0 cannot carry most control characters, even escaped, nor U+FFFE, U+FFFF or lone surrogates: every text
# and attribute goes through this, which shows them as escapes such as \x01
_clean = xml_legal


class JunitWriter(Writer):
    format = "junit"
    filename = "junit.xml"

    def entry(self, r: Result) -> ET.Element:
        case = ET.Element("testcase", classname=_clean(f"ex{r.exercise}"), name=_clean(r.id), time=f"{r.seconds:.3f}")
        detail = [*checked_lines(r), *self.refutation(r), f"rerun: {self.context.rerun_command(r)}"]
        body = _clean("\n".join(block(line, "  | ") for line in detail))
        if r.status is Status.ERRATUM:
            ET.SubElement(case, "skipped", message=_clean(f"erratum of the material: {r.erratum}"))
        elif r.status is Status.FAIL:
            tag = "error" if r.verdict in _ERRORS else "failure"
            element = ET.SubElement(case, tag, message=_clean(f"{r.verdict.value}: {r.reason}"), type=r.verdict.value)
            element.text = body
        cached = f"\n(reused from the cache: computed {r.cached.get('computed')})" if r.cached else ""
        cites = "".join(f"\n{line}" for line in [*checked_lines(r), *self.citations(r)])
        ET.SubElement(case, "system-out").text = _clean(r.statement + cites + cached)
        ET.tostring(case, encoding="unicode")  # a case that cannot be serialised fails here, under the guard, alone
        return case

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        s = self.summary(seconds)
        failures = sum(r.status is Status.FAIL and r.verdict not in _ERRORS for r in self.results)
        errors = sum(r.status is Status.FAIL and r.verdict in _ERRORS for r in self.results) + s["load_errors"]
        skipped = s["erratum"]
        total = s["total"] + s["load_errors"]
        suites = ET.Element("testsuites", tests=str(total), failures=str(failures), errors=str(errors),
                            skipped=str(skipped), time=f"{seconds:.3f}")
        suite = ET.SubElement(suites, "testsuite", name="proofs", tests=str(total), failures=str(failures),
                              errors=str(errors), skipped=str(skipped), time=f"{seconds:.3f}")
        for e in self.context.load_errors:
            case = ET.SubElement(suite, "testcase", classname="packs", name=_clean(f"load {e.pack}"), time="0.000")
            ET.SubElement(case, "error", message=_clean(str(e)), type="load_error").text = _clean(str(e))
        suite.extend(entries)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
