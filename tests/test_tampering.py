"""Witness tampering: every value of every witness and counterexample matters to its replay, and no altered
counterexample refutes a claim that holds.

For each claim and perturbation whose result carries a witness, each value is altered in turn. An alteration
is rejected when the replay raises (a forged witness) or reaches the opposite conclusion; otherwise the replay
must at least evaluate to something else (the value is used). A value no alteration touches would let a forged
witness through unnoticed.

A replay that fails open is worse: it takes a value outside the claim's domain (a bit of 2, a negative width, a
label the claim does not have) as a genuine refutation. So every counterexample found for a perturbation is also
altered value by value, with other numbers and with out-of-domain values (2 for a bit, negative and fractional
sizes, 1/7, strings, None, extra and missing keys), and replayed against the parameters of the claim that holds:
the replay must say the claim holds there or reject the witness, never report it refuted.

The witnesses are the ones `check` reports: each result comes from the runner, which checks every claim in a fresh
process, as the command line does.
"""

import json
import textwrap
from fractions import Fraction

import pytest

from proofs.evaluate import jsonable
from proofs.model import Result
from proofs.registry import import_here
from proofs.runner import Task, default_jobs, run
from proofs.verdicts import Verdict

CATALOGUE = import_here()
CASES = [(c, p) for c in CATALOGUE.claims for p in (None, *c.perturbations)]
# Perturbations of the claims that hold: their counterexamples must never refute the claim itself once altered.
FORGEABLE = [(c, p) for c in CATALOGUE.claims if c.erratum is None for p in c.perturbations]


def _results(catalogue, cases):
    catalogue.warm()
    outcome = run([Task(c, p) for c, p in cases], jobs=default_jobs())
    return dict(zip([(c.id, p.name if p else None) for c, p in cases], outcome.results))


@pytest.fixture(scope="module")
def results(seed_serial, seed_perturbed):
    """The results of every case: each claim's as `check all` reports it (the session's serial run of the catalogue),
    each perturbation's from the runner (the session's run of every perturbation); both are read by other tests too."""
    assert "Traceback" not in seed_serial.stderr, seed_serial.stderr
    report = json.loads((seed_serial.directory / "reports" / "report.json").read_text())
    claims = {(r["id"], None): Result.from_json(r) for r in report["results"]}
    assert set(claims) == {(c.id, None) for c in CATALOGUE.claims}
    assert set(seed_perturbed) == {(c.id, p.name) for c, p in CASES if p is not None}
    return {**claims, **seed_perturbed}


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
    if getattr(claim.replay, "__module__", "") == "proofs.statement":
        # the engine's replay checks every value against its domain and evaluates the whole term at the point, so
        # every value is read; one that does not move the sides at this point is irrelevant there, not unchecked
        pytest.skip("a statement's replay is derived by the engine")
    params = {**claim.params, **(perturbation.params if perturbation else {})}
    witness = result.evidence[key]
    original = _replay(claim, params, witness)
    assert original[0] == (key == "witness"), "the untampered witness must replay as the verdict says"
    unchecked = []
    for path, value in _leaves(witness):
        if path == ("certificate",) and _rederived(claim, params, witness):
            continue  # a statement's "no point satisfies it" is decided again by the replay, whatever its text says
        outcomes = [_replay(claim, params, _set(witness, path, alt)) for alt in _alterations(value)]
        if not any(o[0] == "raised" or o[0] != original[0] or o[1] != original[1] for o in outcomes):
            unchecked.append(path)
    assert unchecked == [], f"witness values the replay never looks at: {unchecked}"


def _rederived(claim, params, witness) -> bool:
    """Whether the replay decided a certificate of non-existence again itself (by enumeration or a fresh query)."""
    sides = claim.replay(witness, **params).sides
    return "points checked" in sides or "a fresh solver query answers" in sides


# Values outside almost every domain a witness value can have: a bit of 2, negative and fractional sizes, strings,
# None, booleans, floats and containers where a number belongs.
OUT_OF_DOMAIN = (2, -1, 0, 1, 3, -3, "1/7", "-5/2", Fraction(1, 7), 0.5, 1.0, "cat?", "", None, True, False, [], {}, [[1]])


def _forgeries_of(v):
    alts = list(_alterations(v)) + [alt for alt in OUT_OF_DOMAIN if not (type(alt) is type(v) and alt == v)]
    return alts


def _spread(items):
    """The positions of a list that are altered: all of a short list; the first, the middle and the last of a long
    one (a replay that reads a list reads its items alike, and each alteration recomputes the whole claim)."""
    n = len(items)
    return range(n) if n <= 8 else sorted({0, n // 2, n - 1})


def _paths(obj, path=()):
    """Every value and every container of a witness, with its path (the root excluded)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield path + (k,), v
            yield from _paths(v, path + (k,))
    elif isinstance(obj, list):
        for i in _spread(obj):
            yield path + (i,), obj[i]
            yield from _paths(obj[i], path + (i,))


def _without(obj, path):
    copy = json.loads(json.dumps(obj))
    cursor = copy
    for step in path[:-1]:
        cursor = cursor[step]
    if isinstance(cursor, dict):
        del cursor[path[-1]]
    else:
        cursor.pop(path[-1])
    return copy


def _with_extra(obj, path):
    copy = json.loads(json.dumps(obj))
    cursor = copy
    for step in path:
        cursor = cursor[step]
    if isinstance(cursor, dict):
        cursor["extra"] = 1
    elif isinstance(cursor, list):
        cursor.append(cursor[-1] if cursor else 1)
    return copy


def altered(witness):
    """(what was altered, altered witness) for every value, every container and every key of the witness; each
    distinct altered witness once (Fraction(1, 7) is written "1/7", as OUT_OF_DOMAIN also has it; an alteration of
    a value can be one of OUT_OF_DOMAIN): the same input to the same replay decides nothing new."""
    seen = set()

    def forged():
        for path, value in _paths(witness):
            for alt in _forgeries_of(value):
                yield f"{list(path)} = {alt!r}", _set(witness, path, jsonable(alt) if isinstance(alt, Fraction) else alt)
            yield f"{list(path)} removed", _without(witness, path)
            if isinstance(value, (dict, list)):
                yield f"{list(path)} extended", _with_extra(witness, path)
        yield "an extra field", {**json.loads(json.dumps(witness)), "extra": 1}
        yield "no fields", {}

    for what, alteration in forged():
        # json tells 1, 1.0, True and "1" apart, and keeps the order of the fields
        text = json.dumps(alteration)
        if text not in seen:
            seen.add(text)
            yield what, alteration


def forgeries(claim, counterexample):
    """The alterations of a counterexample that the claim's replay takes as refuting the claim at its own params."""
    accepted = []
    for what, forged in altered(counterexample):
        try:
            replayed = claim.replay(forged, **claim.params)
        except Exception:  # noqa: BLE001 - the replay rejected the forged witness
            continue
        if replayed.holds is not True:
            accepted.append(what)
    return accepted


def _counterexample(result):
    if result.verdict is not Verdict.REFUTED or "counterexample" not in result.evidence:
        return None
    return result.evidence["counterexample"]


def shape(value):
    """What kinds of value a witness holds, whatever the values and names: numbers (and the texts of numbers),
    booleans, other texts, and lists and objects of them."""
    if isinstance(value, dict):
        return ("object", tuple(sorted({shape(v) for v in value.values()}, key=repr)))
    if isinstance(value, list):
        return ("list", tuple(sorted({shape(v) for v in value}, key=repr)))
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, (int, float)):
        return "number"
    try:
        Fraction(value)
        return "number"
    except (TypeError, ValueError):
        return "text"


def replay_kind(claim, counterexample):
    """The replay function (module and name) and the shape of the counterexample: two counterexamples of one kind are
    read by the same code, value kind by value kind."""
    replay = claim.replay
    return (getattr(replay, "__module__", ""), getattr(replay, "__qualname__", repr(replay)), shape(counterexample))


@pytest.fixture(scope="module")
def forged_in_full(results, soak):
    """The perturbations whose counterexamples are altered and replayed in full: under --soak every one; otherwise the
    first of each `replay_kind` (every alteration of a counterexample is a replay, thousands for a gradient's, and a
    certificate's replay decides the statement again; the others of its kind run the same replay on values of the
    same kinds)."""
    chosen, kinds = set(), set()
    for claim, perturbation in FORGEABLE:
        counterexample = _counterexample(results[(claim.id, perturbation.name)])
        kind = None if counterexample is None else replay_kind(claim, counterexample)
        if soak or kind not in kinds:
            chosen.add((claim.id, perturbation.name))
            kinds.add(kind)
    return chosen


@pytest.mark.parametrize("claim, perturbation", FORGEABLE, ids=[f"{c.id}~{p.name}" for c, p in FORGEABLE])
def test_no_altered_counterexample_refutes_a_claim_that_holds(claim, perturbation, results, forged_in_full):
    counterexample = _counterexample(results[(claim.id, perturbation.name)])
    assert counterexample is not None, "every perturbation is refuted with a counterexample"
    if (claim.id, perturbation.name) in forged_in_full:
        assert forgeries(claim, counterexample) == [], "forged counterexamples replayed as refuting the claim"


def test_the_counterexamples_forged_in_full_cover_every_replay_kind(results, forged_in_full):
    kinds = {replay_kind(c, _counterexample(results[(c.id, p.name)])) for c, p in FORGEABLE}
    chosen = {replay_kind(c, _counterexample(results[(c.id, p.name)])) for c, p in FORGEABLE if (c.id, p.name) in forged_in_full}
    assert chosen == kinds and len(forged_in_full) >= len(kinds)
    # values and names do not change a shape; a kind of value does
    witness = {"x": "1/3", "v": [1, "2"], "f": {"p": {"text": "x + 1", "c": [[[1], "1"]]}}, "b": True}
    assert shape(witness) == shape({"y": 5, "w": ["-2/3"], "g": {"q": {"text": "2x", "c": [[[2], "3"]]}}, "c": False})
    for other in ({**witness, "x": "cat"}, {**witness, "v": [[1]]}, {**witness, "b": 1}, {k: witness[k] for k in "xvb"}):
        assert shape(other) != shape(witness)


FAIL_OPEN_PACK = """
    import z3

    from proofs import Perturbation, Replay, Verdict, claim{extra_import}
    from proofs.interpret import validity
    from proofs.solvers.smt import prove


    def _replay(witness, *, factor):
        {read}
        return Replay(x * x == factor * x, {{"x^2": x * x, "factor x": factor * x}})


    @claim(
        "ex97.a.bits_are_idempotent",
        exercise=97, part="a",
        statement="x^2 = x for every bit x.",
        asserts="x^2 = x for x in {{0, 1}}",
        formal="for all x in {{0, 1}}: x^2 = factor x",
        requires=Verdict.PROVED,
        params={{"factor": 1}},
        assumptions=("x is a bit",),
        perturbations=(Perturbation("factor_0", {{"factor": 0}}, "x^2 = 0"),),
        replay=_replay,
    )
    def bits_are_idempotent(factor):
        x = z3.Int("x")
        return validity(prove(x * x == factor * x, [x], given=[z3.Or(x == 0, x == 1)]))


    CLAIMS = (bits_are_idempotent,)
"""


@pytest.mark.parametrize("replay_checks_the_domain", [False, True])
def test_forgeries_find_a_fail_open_replay(tmp_path, replay_checks_the_domain):
    if replay_checks_the_domain:
        source = FAIL_OPEN_PACK.format(extra_import="\n    from proofs.claims.witness import BIT, read",
                                       read='x = read(witness, x=BIT)["x"]')
    else:
        source = FAIL_OPEN_PACK.format(extra_import="", read='x = witness["x"]')
    (tmp_path / "bits.py").write_text(textwrap.dedent(source))
    catalogue = import_here([tmp_path], entry_points=False)
    assert not catalogue.errors, catalogue.errors
    (claim,) = catalogue.claims
    cases = [(claim, p) for p in claim.perturbations]
    counterexample = _counterexample(_results(catalogue, cases)[(claim.id, "factor_0")])
    assert counterexample == {"x": 1}
    found = forgeries(claim, counterexample)
    if replay_checks_the_domain:
        assert found == []
    else:
        assert "['x'] = 2" in found


@pytest.mark.parametrize("claim", CATALOGUE.claims, ids=[c.id for c in CATALOGUE.claims])
def test_every_replay_reads_its_witness_through_a_domain(claim, results):
    """A witness with no fields, or with a field the claim does not have, is forged: never a KeyError, never a verdict."""
    from proofs import ForgedWitness

    closed = _closed_statement(claim, results[(claim.id, None)])
    for forged in ({"extra": 1},) if closed else ({}, {"extra": 1}):
        with pytest.raises(ForgedWitness):
            claim.replay(forged, **claim.params)
    if closed:  # a statement with no variables has the empty witness, which replays as the claim's verdict
        assert claim.replay({}, **claim.params).holds is True


def _closed_statement(claim, result) -> bool:
    """A statement over no variables (a count, an arithmetic fact): decided with the empty witness (as the claim's
    result from the runner shows)."""
    return result.evidence.get("witness") == {} and claim.replay({}, **claim.params).holds is True


# Counterexamples with one value outside the claim's domain, each once accepted as refuting a claim that holds.
FORGED = {
    "ex2.weights.all_sequences": {"t": 1, "x": [2]},
    "ex4.c.stable_setting": {"z": 1},
    "ex5.c.orthogonal_simplification": {"c": "8/5", "s": "4/5", "d": [1, "1/2"]},
    "ex5.d.relu_d_norm": {"n": 1, "D": [["1/7"]]},
    "ex6.c.fork_parameter_count": {"d": -1, "s1": 1, "s2": 1, "a": 1, "b": 1, "kb": 1, "kg": 1, "kt": 1},
    "ex6.d.masked_gradients": {"image": "cat?", "group": "dog_head"},
}

FORGED_PACK = """
    from proofs import Erratum, Outcome, Verdict, claim
    from proofs.registry import import_here

    SEEDS = import_here()

"""

# A claim of FORGED_PACK: one per seed claim of FORGED, all checked in one run.
FORGED_CLAIM = """

    @claim(
        "ex98.a.forged{n}", exercise=98, part="a",
        statement="A claim that holds, checked by a check that reports a forged counterexample.",
        asserts="as the seed claim", formal="as the seed claim", requires=Verdict.PROVED,
        params=dict(SEEDS.by_id({seed!r}).params), assumptions=("the seed claim's",),
        erratum=Erratum("recorded as refuted, so that a replay accepting the forged counterexample would pass", {seed!r}),
        replay=SEEDS.by_id({seed!r}).replay,
    )
    def forged{n}(**params):
        return Outcome(Verdict.REFUTED, "forgery", {{}}, witness={forged!r}, reason="forged")
"""


@pytest.fixture(scope="module")
def forged_run(tmp_path_factory):
    """{seed claim id: the JSON result of its forged claim}: every claim of FORGED_PACK checked in one run (one load
    of the packs), as `check` reports it, and the run's exit code."""
    from tests.conftest import cli

    folder = tmp_path_factory.mktemp("forged")
    seeds = sorted(FORGED)
    claims = "".join(FORGED_CLAIM.format(n=n, seed=seed, forged=FORGED[seed]) for n, seed in enumerate(seeds))
    names = ", ".join(f"forged{n}" for n in range(len(seeds)))
    (folder / "forged.py").write_text(textwrap.dedent(FORGED_PACK) + textwrap.dedent(claims) + f"\n\nCLAIMS = ({names},)\n")
    proc = cli("check", "ex98.a.forged*", "--claims", str(folder), "--no-cache", "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    results = {r["id"]: r for r in json.loads(proc.stdout)["results"]}
    assert sorted(results) == sorted(f"ex98.a.forged{n}" for n in range(len(seeds))), proc.stdout + proc.stderr
    return proc.returncode, {seed: results[f"ex98.a.forged{n}"] for n, seed in enumerate(seeds)}


@pytest.mark.parametrize("seed", sorted(FORGED))
def test_a_value_outside_the_domain_makes_the_claim_an_error_not_a_refutation(forged_run, seed):
    code, results = forged_run
    assert code == 1
    result = results[seed]
    assert result["verdict"] == "error" and result["status"] == "fail", result["reason"]
    # rejected as outside the domain, or (ex4: every real z is in it) evaluated there and found to satisfy the claim
    assert "ForgedWitness" in result["reason"] or "replay disagrees" in result["reason"], result["reason"]


def test_every_value_and_container_is_altered_and_each_altered_witness_is_replayed_once():
    witness = {"x": 1, "v": ["1/3", 2], "m": {"a": 0}}
    alterations = list(altered(witness))
    texts = [json.dumps(w) for _, w in alterations]
    assert len(texts) == len(set(texts))
    said = {what for what, _ in alterations}
    for path in (["x"], ["v"], ["v", 0], ["v", 1], ["m"], ["m", "a"]):
        assert f"{path} = None" in said and f"{path} = '1/7'" in said
    # {"m": {}} once, as ['m'] = {}: the same witness as ['m', 'a'] removed
    assert {"['x'] removed", "['v', 1] removed", "['m'] = {}"} <= said and "['m', 'a'] removed" not in said
    assert {"['x'] = 2", "['x'] = 1.0", "['x'] = True", "['v', 0] = '4/3'", "['m', 'a'] = -1"} <= said
    assert {"['v'] extended", "['m'] extended", "an extra field", "no fields"} <= said
    assert witness == {"x": 1, "v": ["1/3", 2], "m": {"a": 0}}
