"""Every claim of the seed pack: expected status, perturbations killed, errata paired with passing corrections."""

import json

import pytest

from proofs.registry import import_here
from proofs.verdicts import Status, Verdict

CATALOGUE = import_here()  # imported here: the claims as objects
CLAIMS = {c.id: c for c in CATALOGUE.claims}
PERTURBED = [(c.id, p.name) for c in CATALOGUE.claims for p in c.perturbations]


@pytest.fixture(scope="module")
def reported(seed_serial):
    """Each claim's result as `check all` reports it: the session's serial run of the catalogue, in a process of its
    own (the same run the tests of sharding, merging and determinism compare with)."""
    assert "Traceback" not in seed_serial.stderr, seed_serial.stderr
    report = json.loads((seed_serial.directory / "reports" / "report.json").read_text())
    return {r["id"]: r for r in report["results"]}


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_has_expected_status(claim_id, reported):
    c = CLAIMS[claim_id]
    result = reported[claim_id]
    expected = Status.ERRATUM if c.erratum else Status.PASS
    assert result["status"] == expected.value, result["reason"]


@pytest.mark.parametrize("claim_id", sorted(i for i, c in CLAIMS.items() if not c.erratum))
def test_every_claim_can_fail(claim_id):
    """Every claim but an erratum (which is expected to fail as printed) has perturbations; an erratum's correction
    made by Correction carries the printed values as its mutant."""
    assert CLAIMS[claim_id].perturbations, f"{claim_id} has no perturbation"


@pytest.mark.parametrize("claim_id", sorted(i for i, c in CLAIMS.items() if c.erratum))
def test_an_erratum_has_no_mutants_of_its_own_and_its_printed_values_are_a_mutant_of_the_correction(claim_id):
    """Refuting the printed claim already shows its check can fail; the corrected claim carries the mutants, among them
    the values the material prints wherever it states the same values differently."""
    erratum = CLAIMS[claim_id]
    corrected = CLAIMS[erratum.erratum.corrected_by]
    assert not erratum.perturbations, f"{claim_id} carries mutants; they belong to {corrected.id}"
    if set(erratum.params) <= set(corrected.params) and dict(erratum.params) != {k: corrected.params[k] for k in erratum.params}:
        differing = {k: v for k, v in erratum.params.items() if corrected.params[k] != v}
        assert any(dict(p.params) == differing for p in corrected.perturbations), \
            f"no mutant of {corrected.id} has the printed values {differing}"


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_claim_shows_a_statement_derived_from_what_was_checked(claim_id, reported):
    """No claim lacks a derived statement: every verdict of the seed pack came from helpers that recorded what they
    decided, none was asserted by a claim's code."""
    evidence = reported[claim_id]["evidence"]
    assert "verdict_asserted" not in evidence
    checked = evidence["checked"]
    statements = [checked] if set(checked) == {"math", "text"} else list(checked.values())
    assert statements and all(s["text"] and s["text"] != "…" and s["math"] for s in statements)


@pytest.mark.parametrize("claim_id", sorted(i for i, c in CLAIMS.items() if c.erratum and c.companions))
def test_a_correction_tells_the_printed_values_apart(claim_id):
    (corrected,) = CLAIMS[claim_id].companions
    assert CLAIMS[corrected.id] is not None and corrected.perturbations[0].name == "as_printed"
    printed = corrected.perturbations[0].params
    assert printed and {k: corrected.params[k] for k in printed} != dict(printed)


@pytest.mark.parametrize("claim_id, name", PERTURBED)
def test_perturbation_is_refuted_with_replayed_counterexample(claim_id, name, seed_perturbed):
    # as the runner checks it (the session's run of every perturbation, which the tampering tests read too)
    result = seed_perturbed[(claim_id, name)]
    assert result.verdict is Verdict.REFUTED, result.reason
    assert result.evidence["replay"]["holds"] is False


@pytest.mark.parametrize("claim_id", sorted(i for i, c in CLAIMS.items() if c.erratum))
def test_erratum_has_a_corrected_claim_that_passes(claim_id, reported):
    corrected = CLAIMS[CLAIMS[claim_id].erratum.corrected_by]
    assert corrected.erratum is None
    assert reported[corrected.id]["status"] == Status.PASS.value


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claims_record_assumptions_and_location(claim_id):
    """Every claim says what it rests on: modelling choices, or links to the claims and lemmas it trusts."""
    c = CLAIMS[claim_id]
    assert (c.assumptions or c.trusts) and c.file.endswith(".py") and c.line > 0
    assert not any(a.startswith("trusts ") or "(claim ex" in a for a in c.assumptions), "a dependency written as prose"


def _seed_modules():
    import ast
    from pathlib import Path

    import proofs.claims

    root = Path(proofs.claims.__file__).parent
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root), ast.parse(path.read_text(), str(path))


def test_no_seed_claim_asserts_its_own_verdict():
    """Verdicts come from proofs.interpret helpers fed by a solver answer or a replayed computation, never from an
    Outcome a claim builds itself."""
    import ast

    built = [f"{path}:{node.lineno}" for path, tree in _seed_modules() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Outcome"]
    assert built == []



def test_the_seed_sheet_is_covered_past_the_gate(tmp_path):
    """Every formula and stated value of the week-7 sheet is cited by a claim or excluded with a reason, well past a
    90% gate, and no exclusion is stale."""
    import json
    from pathlib import Path

    from conftest import cli

    seed = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
    if not seed.is_dir():
        pytest.skip("the seed material is not here")
    done = cli("coverage", "--material", str(seed), "--exclusions", "claims/coverage-exclusions.toml",
                   "--fail-under", "90", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["problems"] == [] and report["percent"] >= 90
    assert report["uncovered"] == []
