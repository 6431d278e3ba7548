"""The README's two-node walkthrough, run line by line as written: two stores, two keys, node A
shares, node B pulls and fuses, node A withdraws, node B forgets. `pantau serve` becomes a server
in a thread on a free port (the walkthrough's port is replaced in the lines that follow)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from sharing_world import live_server
from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.services.audit import KEY_FILE
from pantau.services.node import Node
from pantau.web.app import create_app

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough() -> list[str]:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- walkthrough:start -->\s*```sh\n(.*?)```\s*<!-- walkthrough:end -->", text, re.S)
    assert m, "README has no walkthrough block"
    return [ln.strip() for ln in m.group(1).splitlines()]


def _expand(line: str, env: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), m.group(0)), line)


def _assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    env: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        k, v = words.pop(0).split("=", 1)
        env[k] = v
    return env, words


def test_readme_walkthrough_runs_as_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for k in ("PANTAU_DB_URL", "PANTAU_DATA_DIR"):
        monkeypatch.delenv(k, raising=False)
    env: dict[str, str] = {"PWD": str(tmp_path)}
    runner, app = CliRunner(), build_app()
    outputs: list[tuple[str, str]] = []
    servers = []
    port_map: dict[str, str] = {}

    def run(args: list[str], extra: dict[str, str]) -> str:
        full = {k: v for k, v in {**env, **extra}.items() if k.startswith("PANTAU_")}
        res = runner.invoke(app, args, env=full)
        assert res.exit_code == 0, (args, res.output)
        outputs.append((" ".join(args), res.stdout))
        return res.stdout

    try:
        for raw in walkthrough():
            if not raw or raw.startswith("#"):
                continue
            line = raw
            for old, new in port_map.items():
                line = line.replace(old, new)
            line = _expand(line, env)
            if line.startswith("mkdir -p "):
                for d in shlex.split(line)[2:]:
                    Path(d).mkdir(parents=True, exist_ok=True)
            elif line.startswith("export "):
                env.update(_assignments(shlex.split(line)[1:])[0])
            elif m := re.fullmatch(r"(\w+)=\$\((pantau .*)\)", line):
                env[m.group(1)] = run(shlex.split(m.group(2))[1:], {}).strip().splitlines()[-1]
            elif m := re.fullmatch(r"echo '(.*)' > (\S+)", line):
                Path(m.group(2)).write_text(m.group(1) + "\n", encoding="utf-8")
            elif line.startswith("pantau serve"):
                port = re.search(r"--port (\d+)", line).group(1)
                node = Node.open(env["PANTAU_DB_URL"], data_dir=env["PANTAU_DATA_DIR"])
                ctx = live_server(create_app(node))
                base = ctx.__enter__()
                servers.append((ctx, node))
                port_map[f"127.0.0.1:{port}"] = base.removeprefix("http://")
            else:
                extra, words = _assignments(shlex.split(line))
                assert words and words[0] == "pantau", f"README line the test does not know: {raw}"
                run(words[1:], extra)
    finally:
        for ctx, node in servers:
            ctx.__exit__(None, None, None)
            node.close()

    pulls = [out for cmd, out in outputs if cmd == "partners pull"]
    assert len(pulls) == 2
    assert "alpha:" in pulls[0] and "AMBER" in pulls[0], pulls[0]
    assert "1 withdrawn" in pulls[1], pulls[1]
    fused = next(out for cmd, out in outputs if cmd == "fused")
    assert "AID" in fused or "artillery" in fused.lower(), fused
    # each node its own key (node B's is made when it first signs or serves)
    ka, kb = (tmp_path / "node-a" / KEY_FILE), (tmp_path / "node-b" / KEY_FILE)
    node_b = Node.open(f"sqlite:///{tmp_path / 'node-b' / 'pantau.db'}", data_dir=tmp_path / "node-b")
    try:
        assert node_b.audit.key is not None
    finally:
        node_b.close()
    assert ka.exists() and kb.exists() and ka.read_bytes() != kb.read_bytes()
