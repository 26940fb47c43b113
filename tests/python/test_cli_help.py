"""The command line's help and shell completion, without a cloud: every --help ends with
examples, the global options are listed once (the program's help), and the completion scripts of
`elizacloud completion bash|zsh|fish` complete commands, options and choices in the real shells."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from elizacloud import cli


def _tree(
    parser: argparse.ArgumentParser, path: str = ""
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for name, child in cli._subparsers(parser).items():
        found += _tree(child, f"{path} {name}".strip())
    return found


def test_every_help_ends_with_examples_and_lists_the_global_options_once():
    tree = _tree(cli.build_parser())
    assert len(tree) > 100  # the generated commands are there
    for path, parser in tree:
        text = parser.format_help()
        examples = text[text.index("examples:"):] if "examples:" in text else ""
        assert examples.count("\n  elizacloud ") >= 1 or "\n  echo " in examples, path
        if path:
            assert "--base-url" not in text.split("examples:")[0], path  # only in the note
            assert "elizacloud --help lists them" in text, path
    root = cli.build_parser().format_help()
    assert "--base-url" in root and "--timeout" in root


def test_global_options_still_parse_after_the_command():
    args = cli.build_parser().parse_args(["agents", "list", "--json", "--base-url", "http://x"])
    assert args.json is True and args.base_url == "http://x"


def _script(shell: str, tmp_path: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "elizacloud", "completion", shell],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    path = tmp_path / f"elizacloud.{shell}"
    path.write_text(proc.stdout)
    return path


def _bash_complete(script: Path, line: str) -> list[str]:
    # What bash offers at the end of `line` (as if TAB were pressed there).
    words = line.split(" ")
    program = (
        f"source {script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_elizacloud\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_bash_completion(tmp_path):
    script = _script("bash", tmp_path)
    assert _bash_complete(script, "elizacloud ag") == ["agents"]
    assert "list" in _bash_complete(script, "elizacloud agents ")
    assert _bash_complete(script, "elizacloud --base-url http://x agents l") == ["list"]
    assert _bash_complete(script, "elizacloud agents list --js") == ["--json"]
    assert _bash_complete(script, "elizacloud --api-generation m") == ["milady"]
    assert _bash_complete(script, "elizacloud completion ") == ["bash", "zsh", "fish"]
    assert _bash_complete(script, "elizacloud auth ") == ["status"]


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_completion(tmp_path):
    script = _script("fish", tmp_path)
    subprocess.run(["fish", "-n", str(script)], check=True, timeout=30)

    def complete(line: str) -> list[str]:
        proc = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C '{line}'"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return [row.split("\t")[0] for row in proc.stdout.splitlines()]

    assert complete("elizacloud ag") == ["agents"]
    assert "list" in complete("elizacloud --base-url http://x agents ")
    assert complete("elizacloud agents list --js") == ["--json"]
    assert complete("elizacloud completion ") == ["bash", "fish", "zsh"]


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_zsh_completion(tmp_path):
    script = _script("zsh", tmp_path)
    subprocess.run(["zsh", "-n", str(script)], check=True, timeout=30)
    # The tables and the path finder as zsh runs them (the widget itself needs a terminal).
    program = (
        "autoload -U compinit && compinit -u -D\n"
        f"source {script}\n"
        "_elizacloud_path --base-url http://x agents\n"
        'print -r -- "path=$_ec_path"\n'
        '_elizacloud_sub_items "$_ec_path"\n'
        "print -rl -- $_ec_items\n"
    )
    proc = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "path=agents" in proc.stdout
    assert "list:list agents" in proc.stdout
