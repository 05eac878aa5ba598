"""The pre-commit hooks and the GitHub action, run as pre-commit and the Actions runner run them."""

import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from conftest import _environment as environment
from test_github import PACK, SHEET, annotations
from test_sarif import valid

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
BIN = str(Path(sys.executable).parent)  # where the installed `proofs` and `python` are


def _environment(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def repository(tmp_path, formula="1"):
    """A course repository: course/sheet.md (the formula on line 4), course/claims/square.py citing it, a README."""
    repo = tmp_path / "repo"
    (repo / "course" / "claims").mkdir(parents=True)
    (repo / "course" / "sheet.md").write_text(SHEET.format(c=formula))
    (repo / "course" / "claims" / "square.py").write_text(PACK.format(c=formula))
    (repo / "README.md").write_text("A course.\n")
    return repo


def run_hook(hook_id, repo, args, changed, process=False):
    """Run a hook as pre-commit does: its entry, the hook's args, then the changed files its `files` pattern keeps.
    The entry's `proofs` command runs in this process (`proofs.cli.main`, in the repository and the hook's
    environment), or with `process=True` as the installed console script, as pre-commit starts it."""
    [hook] = [h for h in HOOKS if h["id"] == hook_id]
    assert hook["language"] == "python" and hook.get("pass_filenames", True)
    files = [f for f in changed if re.search(hook["files"], f)]
    argv = shlex.split(hook["entry"]) + args + files
    if process:
        return subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=_environment(), timeout=300)
    from proofs.cli import main

    assert argv[0] == "proofs", argv
    out, err = io.StringIO(), io.StringIO()
    with environment(_environment()), contextlib.chdir(repo):
        code = main(argv[1:], out, err)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def test_hooks_are_the_documented_ones():
    assert [h["id"] for h in HOOKS] == ["proofs-scan", "proofs-check"]
    readme = (ROOT / "README.md").read_text()
    assert all(f"id: {h['id']}" in readme for h in HOOKS)


def test_the_scan_hook_fails_on_a_wrong_formula_in_a_changed_file_only(tmp_path):
    repo = repository(tmp_path)
    proc = run_hook("proofs-scan", repo, ["--material", "course"], ["course/sheet.md", "README.md"], process=True)
    assert proc.returncode == 1 and "sheet.md:4: refuted" in proc.stdout, proc.stdout + proc.stderr
    proc = run_hook("proofs-scan", repo, ["--material", "course"], ["README.md", "course/claims/square.py"])
    assert proc.returncode == 0 and "0 file(s)" in proc.stdout, proc.stdout + proc.stderr
    right = repository(tmp_path / "right", "2x + 1")
    proc = run_hook("proofs-scan", right, ["--material", "course"], ["course/sheet.md"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_check_hook_checks_the_claims_citing_or_defined_in_the_changed_files(tmp_path):
    repo = repository(tmp_path)
    args = ["--material", "course", "--claims", "course/claims", "--no-cache"]
    for changed in (["course/sheet.md"], ["course/claims/square.py"]):
        proc = run_hook("proofs-check", repo, args, changed + ["README.md"], process=changed == ["course/sheet.md"])
        assert proc.returncode == 1 and "week9.ex1.a.square" in proc.stdout and "1 claims:" in proc.stdout, proc.stdout + proc.stderr
    proc = run_hook("proofs-check", repo, args, ["README.md"])
    assert proc.returncode == 0 and "no claim is defined in or cites" in proc.stdout, proc.stdout + proc.stderr
    right = repository(tmp_path / "right", "2*x + 1")
    proc = run_hook("proofs-check", right, args, ["course/sheet.md"])
    assert proc.returncode == 0 and "1 claims: 1 pass" in proc.stdout, proc.stdout + proc.stderr


_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def run_action(repo, tmp_path, inputs):
    """Run the action's shell steps as the runner would (GITHUB_ACTIONS=true, each step's env and GITHUB_OUTPUT),
    after checking the steps it hands to other actions; the package is already installed, so the install step is
    checked, not run. Returns [(step name, completed process)] and the outputs of each step by id."""
    given = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    given.update(inputs)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    outputs: dict = {}

    def resolve(text):
        def value(match):
            name = match.group(1)
            if name.startswith("inputs."):
                return given[name.split(".", 1)[1]]
            if name == "github.action_path":
                return str(ROOT)
            if name == "runner.temp":
                return str(temp)
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
            assert found, f"the test does not know the expression {name}"
            return outputs.get(found.group(1), {}).get(found.group(2), "")
        return _EXPRESSION.sub(value, str(text))

    ran = []
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"(actions/setup-python|github/codeql-action/upload-sarif)@v\d+", step["uses"])
            continue
        env = {k: resolve(v) for k, v in step.get("env", {}).items()}
        if step["name"] == "Install proofs":
            assert env["PROOFS_SOURCE"] == str(ROOT) and "pip install" in step["run"]
            continue
        output = tmp_path / f"output-{len(ran)}"
        output.write_text("")
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True, text=True, timeout=300,
                              env=_environment(GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(output), **env))
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        ran.append((step["name"], proc))
    return ran, outputs


def test_the_action_checks_scans_annotates_and_writes_one_sarif_log(tmp_path):
    repo = repository(tmp_path)
    ran, outputs = run_action(repo, tmp_path, {"material": "course", "claims": "course/claims"})
    steps = dict(ran)
    assert outputs["check"]["code"] == "1" and outputs["scan"]["code"] == "1"
    for name in ("Check the claims", "Scan the material"):
        [(level, props, _)] = annotations(steps[name].stdout)
        assert (level, props["file"], props["line"]) == ("error", "course/sheet.md", "4"), steps[name].stdout
    log = valid(Path(outputs["sarif"]["file"]).read_text())
    categories = [run["automationDetails"]["id"] for run in log["runs"]]
    assert categories == ["proofs/check/", "proofs/scan-1/"]
    located = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]) for run in log["runs"] for r in run["results"]]
    assert located == [("proofs/refuted", "course/sheet.md", 4), ("proofs-scan/refuted", "course/sheet.md", 4)]
    assert steps["Fail when a claim or a step failed"].returncode == 1


def test_the_action_passes_a_right_course(tmp_path):
    repo = repository(tmp_path, "2*x + 1")
    ran, outputs = run_action(repo, tmp_path, {"material": "course", "claims": "course/claims"})
    assert dict(ran)["Fail when a claim or a step failed"].returncode == 0, [p.stdout + p.stderr for _, p in ran]
    log = valid(Path(outputs["sarif"]["file"]).read_text())
    assert [r for run in log["runs"] for r in run["results"]] == []
    assert json.loads(Path(outputs["sarif"]["file"]).read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("selectors", ["week9.*", "week9.ex1.?.square"])
def test_the_action_never_expands_a_selector_as_a_file_pattern(tmp_path, selectors):
    repo = repository(tmp_path, "2*x + 1")
    (repo / "week9.x").write_text("")  # a file a shell glob `week9.*` would expand to
    ran, outputs = run_action(repo, tmp_path, {"material": "course", "claims": "course/claims", "selectors": selectors,
                                               "scan": "none"})
    check = dict(ran)["Check the claims"]
    assert outputs["check"]["code"] == "0" and "week9.ex1.a.square" in check.stdout, check.stdout + check.stderr


def _readme_yaml():
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)]


def test_the_readme_workflow_uses_the_action_with_inputs_it_has(tmp_path):
    [job] = [j for b in _readme_yaml() if isinstance(b, dict) for j in b.get("jobs", {}).values()
             if any(s.get("uses", "").startswith("OWNER/proofs") for s in j["steps"])]
    assert job["permissions"]["security-events"] == "write"
    [step] = [s for s in job["steps"] if s.get("uses", "").startswith("OWNER/proofs")]
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert {n for n, spec in ACTION["inputs"].items() if spec.get("required")} <= set(step["with"])
    repo = repository(tmp_path)
    (repo / "course" / "acknowledged.toml").write_text(
        '[[acknowledge]]\nfile = "sheet.md"\nstep = "(x + 1)^2 = x^2 + 1"\nreason = "a typo, fixed in week 10"\n')
    ran, outputs = run_action(repo, tmp_path, step["with"])
    check = dict(ran)["Check the claims"]
    assert "1 claims: 0 pass, 0 erratum, 1 fail" in check.stdout, check.stdout  # the course's claims, not the seed's
    assert outputs["check"]["code"] == "1" and outputs["scan"]["code"] == "0"  # the step is acknowledged; the claim fails


def test_the_readme_pre_commit_config_runs_its_hooks(tmp_path):
    config = next(b for b in _readme_yaml() if isinstance(b, dict) and "repos" in b)
    [repo_config] = config["repos"]
    repo = repository(tmp_path)
    for hook in repo_config["hooks"]:
        proc = run_hook(hook["id"], repo, hook["args"] + (["--no-cache"] if hook["id"] == "proofs-check" else []),
                        ["course/sheet.md", "README.md"])
        assert proc.returncode == 1 and "sheet.md:4" in proc.stdout, proc.stdout + proc.stderr
