"""The content check of an entry check: its marker, its areas, and what it refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from companion.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
PICTOGRAMS = ROOT / "static" / "pictograms"
CHECK = "par-ou-commencer"


def _content(tmp_path: Path, **meta_changes: object) -> Path:
    """The shipped content, with the check's module.yaml changed."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / CHECK / "module.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta.update(meta_changes)
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return content


def _errors(content: Path) -> list[str]:
    _modules, report = load_catalogue(content, PICTOGRAMS)
    return report.errors


def test_the_shipped_check_is_valid() -> None:
    modules, report = load_catalogue(ROOT / "content", PICTOGRAMS)
    assert report.ok, report.errors
    assert modules[CHECK].meta.kind == "check"
    assert all(m.meta.kind == "module" for i, m in modules.items() if i != CHECK)


def test_an_unknown_area_is_an_error(tmp_path: Path) -> None:
    meta = yaml.safe_load((ROOT / "content" / CHECK / "module.yaml").read_text(encoding="utf-8"))
    areas = {**meta["areas"], "scam-sms": "cuisine"}
    errors = _errors(_content(tmp_path, areas=areas))
    assert errors == [f"{CHECK}/module.yaml: areas: step 'scam-sms': unknown area 'cuisine'"]


def test_an_area_for_a_step_the_check_lacks_is_an_error(tmp_path: Path) -> None:
    meta = yaml.safe_load((ROOT / "content" / CHECK / "module.yaml").read_text(encoding="utf-8"))
    areas = {**meta["areas"], "ghost": "tableur-stock"}
    errors = _errors(_content(tmp_path, areas=areas))
    assert errors == [f"{CHECK}/module.yaml: areas: no step 'ghost' in the check"]


def test_a_measured_step_without_an_area_is_an_error(tmp_path: Path) -> None:
    meta = yaml.safe_load((ROOT / "content" / CHECK / "module.yaml").read_text(encoding="utf-8"))
    areas = {k: v for k, v in meta["areas"].items() if k != "offer-city"}
    errors = _errors(_content(tmp_path, areas=areas))
    assert errors == [
        f"{CHECK}/module.yaml: areas: step 'offer-city' measures nothing (give it an area)"
    ]


def test_areas_belong_to_a_check_and_a_check_needs_them(tmp_path: Path) -> None:
    errors = _errors(_content(tmp_path, kind="module"))
    assert any("only a check (kind: check) has areas" in e for e in errors), errors
    errors = _errors(_content(tmp_path / "b", areas={}))
    assert any("a check needs areas" in e for e in errors), errors


def test_an_overlay_may_not_change_the_areas(tmp_path: Path) -> None:
    content = _content(tmp_path)
    overlay = content / CHECK / "module.en.yaml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8") + "areas: {scam-sms: tableur-stock}\n",
        encoding="utf-8",
    )
    errors = _errors(content)
    assert len(errors) == 1, errors
    assert "areas" in errors[0], errors


def test_an_answers_picture_must_exist(tmp_path: Path) -> None:
    content = _content(tmp_path)
    steps = content / CHECK / "steps.yaml"
    steps.write_text(
        steps.read_text(encoding="utf-8").replace("pictogram: money", "pictogram: nope"),
        encoding="utf-8",
    )
    errors = _errors(content)
    assert errors == [f"{steps}: step 'scam-sms': pictogram 'nope' not found"]
