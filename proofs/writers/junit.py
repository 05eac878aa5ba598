"""JUnit XML: one test case per claim, for CI test tabs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from proofs.verdicts import Status, Verdict
from proofs.writers.base import Writer

__all__ = ["JunitWriter"]

# Verdicts that mean the check itself did not decide: a JUnit error. Any other failing claim (refuted, evidence
# too weak, stale, an erratum no longer refuted) is a JUnit failure.
_ERRORS = (Verdict.UNKNOWN, Verdict.TIMEOUT, Verdict.ERROR)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped: replace them."""
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else "\ufffd" for ch in str(text))


class JunitWriter(Writer):
    format = "junit"
    filename = "junit.xml"

    def finish(self, seconds: float, interrupted: bool = False) -> str:
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
        for r in self.results:
            case = ET.SubElement(suite, "testcase", classname=f"ex{r.exercise}", name=_clean(r.id), time=f"{r.seconds:.3f}")
            detail = [*self.refutation(r), f"rerun: {self.context.rerun_command(r)}"]
            body = _clean("\n".join(detail))
            if r.status is Status.ERRATUM:
                ET.SubElement(case, "skipped", message=_clean(f"erratum of the material: {r.erratum}"))
            elif r.status is Status.FAIL:
                tag = "error" if r.verdict in _ERRORS else "failure"
                element = ET.SubElement(case, tag, message=_clean(f"{r.verdict.value}: {r.reason}"), type=r.verdict.value)
                element.text = body
            cached = f"\n(reused from the cache: computed {r.cached.get('computed')})" if r.cached else ""
            ET.SubElement(case, "system-out").text = _clean(r.statement + cached)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
