"""Shell completion scripts for ``elizacloud completion bash|zsh|fish``.

One generator for the three shells, reading the argparse tree the CLI itself parses with: every
command path (``agents list``…), its subcommands, its options (which take a value, with their
choices) and their help. Nothing is written twice, so a generated operation command completes as
soon as it exists. (shtab would do bash and zsh only, and a fish script beside it would be a
second walker of the same tree; this module is that one walker, with no dependency.)

Each script holds the tree as data and a small function that finds the command path in the words
typed so far (skipping options and their values), then offers that path's subcommands, options,
or an option's choices (files for an option value without choices)."""

from __future__ import annotations

import argparse
import dataclasses
import re
from typing import Iterator

SHELLS = ("bash", "zsh", "fish")


@dataclasses.dataclass
class _Option:
    names: list[str]
    takes_value: bool
    choices: list[str]
    help: str


@dataclasses.dataclass
class _Command:
    path: str  # "" for the program itself, else "agents list"
    subcommands: list[tuple[str, str]]  # (name, help)
    options: list[_Option]
    values: list[str]  # the choices of its positional arguments (`completion bash`)


def _help(text: str | None) -> str:
    if not text or text == argparse.SUPPRESS:
        return ""
    return re.sub(r"\s+", " ", text.replace("%%", "%")).strip()


def _walk(parser: argparse.ArgumentParser, path: str = "") -> Iterator[_Command]:
    subs: list[tuple[str, str]] = []
    children: list[tuple[str, argparse.ArgumentParser]] = []
    options: list[_Option] = []
    values: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: _help(a.help) for a in action._choices_actions}
            for name, child in action.choices.items():
                subs.append((name, helps.get(name, "")))
                children.append((name, child))
        elif action.option_strings:
            options.append(
                _Option(
                    names=list(action.option_strings),
                    takes_value=action.nargs != 0,
                    choices=[str(c) for c in action.choices or ()],
                    help=_help(action.help),
                )
            )
        elif action.choices:
            values += [str(c) for c in action.choices]
    yield _Command(path, subs, options, values)
    for name, child in children:
        yield from _walk(child, f"{path} {name}".strip())


def _commands(parser: argparse.ArgumentParser) -> list[_Command]:
    commands = list(_walk(parser))
    # Options accepted everywhere are shown once, in the program's help; their help text is
    # still wanted in the shells that describe options.
    helps = {n: o.help for o in commands[0].options for n in o.names if o.help}
    for command in commands:
        for option in command.options:
            if not option.help:
                option.help = next((helps[n] for n in option.names if n in helps), "")
    return commands


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _sh_case(name: str, arms: dict[str, str], fallback: str = "", before: str = "") -> str:
    """A shell function of one argument: ``case "$1"`` with an arm (a command) per key."""
    lines = [f"{name}() {{"] + ([f"    {before}"] if before else []) + ['    case "$1" in']
    lines += [f"        {_sh_quote(key)}) {command} ;;" for key, command in arms.items()]
    if fallback:
        lines.append(f"        *) {fallback} ;;")
    return "\n".join(lines + ["    esac", "}", ""])


def _bash_tables(commands: list[_Command]) -> str:
    """_elizacloud_subs PATH, _elizacloud_opts PATH (a value-taking option ends with "="),
    _elizacloud_choices "PATH|OPTION" and _elizacloud_values PATH (positional choices) echo
    words; the last two fail when there are none."""
    subs, opts, choices, values = {}, {}, {}, {}
    for c in commands:
        if c.subcommands:
            subs[c.path] = "echo " + _sh_quote(" ".join(n for n, _ in c.subcommands))
        if c.values:
            values[c.path] = "echo " + _sh_quote(" ".join(c.values))
        words = []
        for o in c.options:
            words += [n + ("=" if o.takes_value else "") for n in o.names]
            for n in o.names if o.choices else []:
                choices[f"{c.path}|{n}"] = "echo " + _sh_quote(" ".join(o.choices))
        opts[c.path] = "echo " + _sh_quote(" ".join(words))
    return (
        _sh_case("_elizacloud_subs", subs) + _sh_case("_elizacloud_opts", opts)
        + _sh_case("_elizacloud_choices", choices, "return 1")
        + _sh_case("_elizacloud_values", values, "return 1")
    )


# Sets _ec_path (the command path) and _ec_prev_opt (an option waiting for its value) from
# words[1..n-1]; shared by bash and zsh (both run it on arrays of the words typed).
_SH_PATH = r"""
_elizacloud_path() {
    # $@: the words before the one being completed, without the program name
    _ec_path="" _ec_prev_opt=""
    local w opts subs
    for w in "$@"; do
        if [ -n "$_ec_prev_opt" ]; then _ec_prev_opt=""; continue; fi
        case "$w" in
            --*=*) continue ;;
            -*)
                opts=" $(_elizacloud_opts "$_ec_path") "
                case "$opts" in *" $w= "*) _ec_prev_opt="$w" ;; esac
                continue ;;
        esac
        subs=" $(_elizacloud_subs "$_ec_path") "
        case "$subs" in *" $w "*) _ec_path="${_ec_path:+$_ec_path }$w" ;; esac
    done
}
"""

_BASH_MAIN = r"""
_elizacloud() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    _elizacloud_path "${COMP_WORDS[@]:1:COMP_CWORD-1}"
    COMPREPLY=()
    if [ -n "$_ec_prev_opt" ]; then
        local values
        if values=$(_elizacloud_choices "$_ec_path|$_ec_prev_opt"); then
            COMPREPLY=($(compgen -W "$values" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return 0
    fi
    if [ "$_ec_path" = emulator ]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    elif [[ "$cur" == -* ]]; then
        local o words=""
        for o in $(_elizacloud_opts "$_ec_path"); do words="$words ${o%=}"; done
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        local values
        if values=$(_elizacloud_values "$_ec_path"); then
            COMPREPLY=($(compgen -W "$values" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_elizacloud_subs "$_ec_path")" -- "$cur"))
        fi
        [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}
complete -o filenames -F _elizacloud elizacloud
"""


def bash_script(parser: argparse.ArgumentParser) -> str:
    return (
        "# bash completion for elizacloud (generated by `elizacloud completion bash`)\n"
        + _bash_tables(_commands(parser)) + _SH_PATH + _BASH_MAIN
    )


def _zsh_describe_tables(commands: list[_Command]) -> str:
    def item(name: str, text: str) -> str:
        return _sh_quote(name.replace(":", "\\:") + (":" + text if text else ""))

    # _ec_items=(name:description …) of a path's subcommands / options, for _describe
    subs, opts = {}, {}
    for c in commands:
        if c.subcommands:
            subs[c.path] = "_ec_items=(" + " ".join(item(n, h) for n, h in c.subcommands) + ")"
        entries = " ".join(item(n, o.help) for o in c.options for n in o.names)
        opts[c.path] = f"_ec_items=({entries})"
    return _sh_case("_elizacloud_sub_items", subs, before="_ec_items=()") + _sh_case(
        "_elizacloud_opt_items", opts, before="_ec_items=()"
    )


_ZSH_MAIN = r"""
_elizacloud() {
    local cur="${words[CURRENT]}" _ec_path _ec_prev_opt values
    local -a _ec_items
    _elizacloud_path "${(@)words[2,CURRENT-1]}"
    if [[ -n "$_ec_prev_opt" ]]; then
        if values=$(_elizacloud_choices "$_ec_path|$_ec_prev_opt"); then
            compadd -- ${=values}
        else
            _files
        fi
        return
    fi
    if [[ "$_ec_path" == emulator ]]; then
        _files
    elif [[ "$cur" == -* ]]; then
        _elizacloud_opt_items "$_ec_path"
        _describe -t options 'option' _ec_items
    else
        _elizacloud_sub_items "$_ec_path"
        if (( ${#_ec_items} )); then
            _describe -t commands 'command' _ec_items
        elif values=$(_elizacloud_values "$_ec_path"); then
            compadd -- ${=values}
        else
            _files
        fi
    fi
}
if [[ "$funcstack[1]" == _elizacloud ]]; then
    _elizacloud "$@"
else
    compdef _elizacloud elizacloud
fi
"""


def zsh_script(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    return (
        "#compdef elizacloud\n"
        "# zsh completion for elizacloud (generated by `elizacloud completion zsh`)\n"
        + _bash_tables(commands) + _zsh_describe_tables(commands) + _SH_PATH + _ZSH_MAIN
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_FISH_PATH = r"""
function __elizacloud_path
    # the command path of the words typed so far (options and their values skipped)
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ''
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '--*=*'
                continue
            case '-*'
                if contains -- $w (__elizacloud_valued $path)
                    set skip 1
                end
                continue
        end
        if contains -- $w (__elizacloud_subs $path)
            set path (string trim -- "$path $w")
        end
    end
    echo $path
end

function __elizacloud_at
    set -l path (__elizacloud_path)
    test "$path" = "$argv[1]"
end
"""


def fish_script(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    subs, valued, lines = [], [], []
    for c in commands:
        key = _fish_quote(c.path)
        if c.subcommands:
            names = " ".join(_fish_quote(n) for n, _ in c.subcommands)
            subs.append(f"        case {key}\n            printf '%s\\n' {names}")
        valued_names = [n for o in c.options if o.takes_value for n in o.names]
        if valued_names:
            valued.append(
                f"        case {key}\n            printf '%s\\n' "
                + " ".join(_fish_quote(n) for n in valued_names)
            )
        cond = f"-n \"__elizacloud_at '{c.path}'\""
        if c.path == "emulator":
            continue
        if c.values:
            lines.append(f"complete -c elizacloud {cond} -f -a "
                         + _fish_quote(" ".join(c.values)))
        for name, text in c.subcommands:
            lines.append(
                f"complete -c elizacloud {cond} -f -a {_fish_quote(name)}"
                + (f" -d {_fish_quote(text)}" if text else "")
            )
        for o in c.options:
            spec = []
            for n in o.names:
                spec.append(f"-l {n[2:]}" if n.startswith("--") else f"-s {n[1:]}")
            if o.takes_value:
                spec.append("-r")
                if o.choices:
                    spec.append("-f -a " + _fish_quote(" ".join(o.choices)))
            if o.help:
                spec.append("-d " + _fish_quote(o.help))
            lines.append(f"complete -c elizacloud {cond} " + " ".join(spec))
    return (
        "# fish completion for elizacloud (generated by `elizacloud completion fish`)\n"
        "function __elizacloud_subs\n    switch \"$argv[1]\"\n" + "\n".join(subs)
        + "\n    end\nend\n\n"
        "function __elizacloud_valued\n    switch \"$argv[1]\"\n" + "\n".join(valued)
        + "\n    end\nend\n" + _FISH_PATH + "\n"
        + "\n".join(lines) + "\n"
    )


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    if shell == "bash":
        return bash_script(parser)
    if shell == "zsh":
        return zsh_script(parser)
    if shell == "fish":
        return fish_script(parser)
    raise ValueError(f"no completion for {shell!r}: choose one of {', '.join(SHELLS)}")
