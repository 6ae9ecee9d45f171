"""Tests for the file / JSONL front ends and the ``learnloop blame`` command.

The command is a thin wrapper, so most behaviour is tested on ``jsonl.py``
directly; one test drives the Django command's parser and handler (no database).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from learnloop.coach.jsonl import check_files, read_text, run_jsonl

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
DEV = SHARED / "eval" / "blame-dev.jsonl"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    clean = tmp_path / "clean.md"
    clean.write_text("# Review\n\n- The label printer failed at 02:10.\n", encoding="utf-8")
    blamey = tmp_path / "blamey.md"
    blamey.write_text(
        "# Review\n\nIntro line.\n\n- At 02:10 the on-call paged.\n"
        "- The courier should have called ahead.\n",
        encoding="utf-8",
    )
    binary = tmp_path / "logo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 staff: you should have waited.".encode("latin-1"))
    return {"clean": clean, "blamey": blamey, "binary": binary, "latin": latin}


def test_clean_file_exit_0(files: dict[str, Path]) -> None:
    out, code = check_files([files["clean"]], "text")
    assert (out, code) == ("", 0)


def test_findings_are_linter_lines(files: dict[str, Path]) -> None:
    out, code = check_files([files["blamey"]], "text")
    assert code == 1
    (line,) = out.strip().splitlines()
    assert line.startswith(f"{files['blamey']}:6:3: counterfactual: ")
    assert "Suggestion:" in line


def test_json_format(files: dict[str, Path]) -> None:
    out, code = check_files([files["blamey"], files["clean"]], "json")
    doc = json.loads(out)
    assert code == 1 and doc["exit_code"] == 1 and doc["findings"] == 1
    f = doc["files"][0]["findings"][0]
    assert f["line"] == 6 and f["col"] == 3
    assert f["signal"] == "counterfactual" and "should have" in f["text"]
    assert doc["files"][1] == {"path": str(files["clean"]), "findings": []}


def test_binary_and_missing_files_exit_2(files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    out, code = check_files([files["binary"], missing, files["blamey"]], "text")
    assert code == 2
    assert f"{files['binary']}: not a text file" in out
    assert f"{missing}: no such file" in out
    assert "counterfactual" in out  # other files are still checked
    out, code = check_files([tmp_path], "json")
    assert code == 2 and json.loads(out)["errors"][0]["error"] == "is a directory"


def test_invalid_utf8_is_decoded_with_replacement(files: dict[str, Path]) -> None:
    assert "\ufffd" in read_text(files["latin"])
    out, code = check_files([files["latin"]], "text")
    assert code == 1


def test_unknown_format_rejected(files: dict[str, Path]) -> None:
    with pytest.raises(ValueError):
        check_files([files["clean"]], "xml")


@pytest.mark.slow
def test_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    para = "The export job restarted at 04:10 and the backlog cleared by 04:40.\n\n"
    big.write_text(para * (5_000_000 // len(para)) + "You should have waited.\n")
    out, code = check_files([big], "text")
    assert code == 1 and len(out.splitlines()) == 1


def test_run_jsonl_valid_and_malformed_lines() -> None:
    stdin = io.StringIO(
        '{"id": "a", "text": "You should have asked before deleting the bucket."}\n'
        "\n"
        "not json\n"
        "[1, 2]\n"
        '{"id": "b"}\n'
        '{"id": 7, "text": "The bucket was deleted by a lifecycle rule."}\n'
    )
    out, err = io.StringIO(), io.StringIO()
    code = run_jsonl(stdin, out, err)
    assert code == 2
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a", 7]
    assert rows[0]["blame"] is True and rows[1] == {"id": 7, "blame": False, "findings": []}
    f = rows[0]["findings"][0]
    assert set(f) == {"start", "end", "signal", "message", "suggestion"}
    messages = err.getvalue()
    assert "line 3: not valid JSON" in messages
    assert "line 4: expected a JSON object" in messages
    assert "line 5: 'text' is missing" in messages


def test_run_jsonl_all_good_exit_0() -> None:
    out = io.StringIO()
    assert run_jsonl(io.StringIO('{"id": 1, "text": "Fine."}\n'), out, io.StringIO()) == 0
    assert json.loads(out.getvalue()) == {"id": 1, "blame": False, "findings": []}


@pytest.mark.skipif(not DEV.exists(), reason=f"shared eval data not found at {DEV}")
def test_jsonl_over_dev_set_meets_quality_target() -> None:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    gold = {json.loads(x)["id"]: json.loads(x) for x in lines}
    out = io.StringIO()
    assert run_jsonl(io.StringIO("\n".join(lines)), out, io.StringIO()) == 0
    pred = {r["id"]: r["blame"] for r in map(json.loads, out.getvalue().splitlines())}
    tp = sum(pred[i] and g["label"] == "blame" for i, g in gold.items())
    fp = sum(pred[i] and g["label"] != "blame" for i, g in gold.items())
    fn = sum((not pred[i]) and g["label"] == "blame" for i, g in gold.items())
    hard = [i for i, g in gold.items() if g["label"] != "blame" and g["hard"]]
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= 0.9
    assert sum(pred[i] for i in hard) / len(hard) <= 0.05


def test_management_command(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("django")
    from learnloop.coach.management.commands.blame import Command

    cmd = Command()
    parser = cmd.create_parser("learnloop", "blame")
    opts = vars(parser.parse_args([str(files["blamey"]), "--format", "json"]))
    with pytest.raises(SystemExit) as exc:
        cmd.handle(**opts)
    assert exc.value.code == 1
    assert json.loads(capsys.readouterr().out)["findings"] == 1

    opts = vars(parser.parse_args([]))
    with pytest.raises(SystemExit) as exc:
        cmd.handle(**opts)
    assert exc.value.code == 2
    assert "usage: learnloop blame" in capsys.readouterr().err


@pytest.mark.slow
def test_the_entry_point_needs_no_settings_or_data_folder(tmp_path: Path) -> None:
    """As a pre-commit hook it runs in someone else's repository: it must leave nothing there."""
    import os
    import subprocess
    import sys

    (tmp_path / "review.md").write_text("# Review\n\nDave should have checked the config.\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LEARNLOOP_", "DJANGO_", "DATABASE_URL"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "learnloop.cli", "blame", "review.md"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("review.md:3:1: counterfactual:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.md"]
