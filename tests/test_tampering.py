"""Witness tampering: every value of every witness and counterexample matters to its replay.

For each claim and perturbation whose result carries a witness, each value is altered in turn. An alteration
is rejected when the replay raises (a forged witness) or reaches the opposite conclusion; otherwise the replay
must at least evaluate to something else (the value is used). A value no alteration touches would let a forged
witness through unnoticed. The witnesses are the ones `check` reports: each result comes from the runner, which
checks every claim in a fresh process, as the command line does.
"""

import json
from fractions import Fraction

import pytest

from proofs.evaluate import jsonable
from proofs.registry import load
from proofs.runner import Task, default_jobs, run
from proofs.verdicts import Verdict

CATALOGUE = load()
CASES = [(c, p) for c in CATALOGUE.claims for p in (None, *c.perturbations)]


@pytest.fixture(scope="module")
def results():
    CATALOGUE.warm()
    outcome = run([Task(c, p) for c, p in CASES], jobs=default_jobs())
    return dict(zip([(c.id, p.name if p else None) for c, p in CASES], outcome.results))


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    else:
        yield path, obj


def _set(obj, path, value):
    copy = json.loads(json.dumps(obj))
    cursor = copy
    for step in path[:-1]:
        cursor = cursor[step]
    cursor[path[-1]] = value
    return copy


def _alterations(v):
    if isinstance(v, bool):
        return [not v]
    if isinstance(v, int):
        return [v + 1, -v - 1, str(Fraction(v) + Fraction(1, 7)), 10 * v + 5, v - 10, 10 * abs(v) + 100, -10 * abs(v) - 100]
    if isinstance(v, float):
        return [v * 1.5 + 1, -v, v + 10]
    if isinstance(v, str):
        try:
            f = Fraction(v)
            return [str(f + 1), str(-f - 1), str(f + Fraction(1, 7)), str(10 * f + 5), str(f - 10),
                    str(10 * abs(f) + 100), str(-10 * abs(f) - 100)]
        except ValueError:
            pass
        if v and set(v) <= {"0", "1"}:
            return [("1" if v[0] == "0" else "0") + v[1:], v + "0"]
        return [v + "?", v[::-1] + "!"]
    if v is None:
        return [[[1]]]
    return []


def _replay(claim, params, witness):
    try:
        replayed = claim.replay(witness, **params)
    except Exception as exc:  # noqa: BLE001 - a replay that refuses the witness
        return ("raised", type(exc).__name__)
    return (replayed.holds, json.dumps(jsonable(dict(replayed.sides)), sort_keys=True, default=str))


@pytest.mark.parametrize("claim, perturbation", CASES, ids=[c.id + (f"~{p.name}" if p else "") for c, p in CASES])
def test_every_witness_value_is_checked_by_the_replay(claim, perturbation, results):
    result = results[(claim.id, perturbation.name if perturbation else None)]
    key = "counterexample" if "counterexample" in result.evidence else "witness" if "witness" in result.evidence else None
    if key is None or result.verdict is Verdict.ERROR:
        pytest.skip("no witness in this result")
    params = {**claim.params, **(perturbation.params if perturbation else {})}
    witness = result.evidence[key]
    original = _replay(claim, params, witness)
    assert original[0] == (key == "witness"), "the untampered witness must replay as the verdict says"
    unchecked = []
    for path, value in _leaves(witness):
        outcomes = [_replay(claim, params, _set(witness, path, alt)) for alt in _alterations(value)]
        if not any(o[0] == "raised" or o[0] != original[0] or o[1] != original[1] for o in outcomes):
            unchecked.append(path)
    assert unchecked == [], f"witness values the replay never looks at: {unchecked}"
