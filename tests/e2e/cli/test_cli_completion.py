"""`deskbridge completion bash|zsh`: scripts generated from the command's own parser; the bash
one is loaded into a real bash and asked for completions."""

from __future__ import annotations

import asyncio
import shlex

from cli_support import deskbridge_process


async def complete(script_path, words: list[str]) -> list[str]:
    """What bash's completion function offers for the last of `words`."""
    line = " ".join(words)
    program = "\n".join(
        [
            f"source {shlex.quote(str(script_path))}",
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})",
            f"COMP_CWORD={len(words) - 1}",
            f"COMP_LINE={shlex.quote(line)}",
            "COMP_POINT=${#COMP_LINE}",
            "_shtab_deskbridge",
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ]
    )
    bash = await asyncio.create_subprocess_exec(
        "bash", "-c", program, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(bash.communicate(), 20)
    assert bash.returncode == 0, err.decode()
    return sorted(word.strip() for word in out.decode().splitlines() if word.strip())


async def test_bash_completion_completes_commands_verbs_and_choices(tmp_path):
    ran = await deskbridge_process("completion", "bash")
    assert ran.code == 0, ran.err
    assert "complete -o bashdefault -F _shtab_deskbridge deskbridge" in ran.out
    script = tmp_path / "deskbridge.bash"
    script.write_text(ran.out)
    assert await complete(script, ["deskbridge", "tic"]) == ["tickets"]
    assert await complete(script, ["deskbridge", "tickets", ""]) == [
        "close", "comment", "create", "get", "list",
    ]  # fmt: skip
    assert "in_progress" in await complete(script, ["deskbridge", "tickets", "list", "--state", ""])
    assert await complete(script, ["deskbridge", "approvals", "list", "--pen"]) == ["--pending"]
    assert await complete(script, ["deskbridge", "completion", ""]) == ["bash", "tcsh", "zsh"]


async def test_zsh_completion_is_a_compdef_of_the_same_commands():
    ran = await deskbridge_process("completion", "zsh")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("#compdef deskbridge")
    for word in ("tickets", "approvals", "backends", "--token-file", "in_progress"):
        assert word in ran.out
    usage = await deskbridge_process("completion", "fish")
    assert usage.code == 2 and "invalid choice" in usage.err
