"""The YAML data files load without silently dropped keys (a repeated key in a YAML mapping keeps
only the last value, so a trigger line with two `words:` loses the first list)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = sorted((Path(__file__).resolve().parents[1] / "pantau").glob("**/*.yaml"))


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dupes = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dupes:
        raise yaml.constructor.ConstructorError(None, None, f"repeated key(s) {dupes}", node.start_mark)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def test_there_are_data_files() -> None:
    assert len(DATA) >= 10


@pytest.mark.parametrize("path", DATA, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_yaml_has_no_repeated_keys(path: Path) -> None:
    yaml.load(path.read_text("utf-8"), Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def test_the_strict_loader_rejects_a_repeated_key() -> None:
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("- {type: AID, words: [a], words: [b]}", Loader=_StrictLoader)  # noqa: S506


def test_launching_a_joint_body_is_founding_it_and_a_launched_missile_is_not() -> None:
    from pantau import extract

    body = extract("Jepang dan Filipina pada Senin meluncurkan mekanisme konsultasi maritim bersama.",
                   published="2024-10-17")
    missile = extract("Korea Utara meluncurkan rudal balistik ke Laut Timur.", published="2024-10-17")
    assert [(e.type, e.source) for e in body.events] == [("COOPERATE", ["JPN"])], body.to_dict()["events"]
    assert [(e.type, e.mode) for e in missile.events] == [("MOBILIZE", "weapons")]
