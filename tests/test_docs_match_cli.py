"""What the README, docs/*.md and every `--help` promise is what the code does.

Every `kb ...` command line the documentation shows (console examples, sh blocks, inline code and the
Examples of each `--help`) must parse exactly as click parses it when a user runs it, with no command run;
every `--option` they mention must exist (on the command the paragraph is about, when it is about one), with
the choices written as `--opt a|b|c`; and the queries of `kb search` examples must be valid query syntax.
"""

from __future__ import annotations

import re
import shlex

import click
import pytest
from click.testing import CliRunner
from conftest import REPO

from kb.cli import COMMANDS, cli
from kb.search import query as kq

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: Options of other programs that the docs mention (the ranking bench, Pagefind, Dask, Helm).
NOT_KB = {"--title-boost", "--bm25", "--generate", "--docs", "--queries", "--qrels", "--check-queries",
          "--topic-part", "--size", "--site", "--port", "--nworkers", "--nthreads", "--set",
          "--words",  # bench_search.py's query length
          "--maxprocesses",  # pytest-xdist's cap on workers
          "--lmit"}  # the docs' example of a mistyped option
_BENCH_SPAN = re.compile(r"`(?:python3? )?bench/[^`]*`")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)(?:[ =]([\w-]+(?:\|[\w-]+)+))?")


def _leaf_commands() -> dict[str, click.Command]:
    """'search' -> its click command, 'site build' -> ..., for every command and group below `kb`."""
    ctx = click.Context(cli, info_name="kb")
    out: dict[str, click.Command] = {}
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        out[name] = cmd
        if isinstance(cmd, click.Group):
            for sub in cmd.list_commands(ctx):
                out[f"{name} {sub}"] = cmd.get_command(ctx, sub)
    return out


COMMAND_OBJECTS = _leaf_commands()


def _options(cmd: click.Command) -> dict[str, click.Option]:
    return {o: p for p in cmd.params if isinstance(p, click.Option) for o in (*p.opts, *p.secondary_opts)}


ROOT_OPTIONS = {**_options(cli), "--help": None, "-h": None, "--version": None}


@pytest.fixture
def dry_run(monkeypatch):
    """Run `kb ...` through click with every command's body replaced by a recorder: parse, never execute."""
    calls: list[tuple[str, dict]] = []
    for name, cmd in COMMAND_OBJECTS.items():
        if not isinstance(cmd, click.Group):
            monkeypatch.setattr(cmd, "callback", lambda _n=name, **kw: calls.append((_n, kw)))

    def run(line: str) -> tuple[str, dict]:
        words = shlex.split(line, comments=True)
        cut = next((i for i, w in enumerate(words) if w in ("|", ">", ">>", "&&", ";")), len(words))
        assert words[0] == "kb", line
        calls.clear()
        result = CliRunner().invoke(cli, words[1:cut], prog_name="kb")
        assert result.exit_code == 0, f"{line!r} does not parse: {result.output}"
        assert calls or "--help" in words or "--version" in words, line
        return calls[-1] if calls else ("", {})

    return run


def _documented_command_lines() -> list[tuple[str, str]]:
    """(file:line, command line) of every `kb ...` the docs show: in code blocks and in inline code."""
    found = []
    for path in DOCS:
        fenced = False
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            where = f"{path.name}:{n}"
            if line.startswith("```"):
                fenced = not fenced
                continue
            if fenced:
                m = re.match(r"^(?:\$ )?(kb(?: .*)?)$", line.strip())
                if m:
                    found.append((where, m.group(1)))
                continue
            for span in re.findall(r"`(kb(?: [^`]*)?)`", line):
                if "[" not in span and "..." not in span:
                    found.append((where, span))
    return found


DOCUMENTED = _documented_command_lines()


def test_the_docs_show_command_lines():
    assert len(DOCUMENTED) > 30
    shown = {line.split()[1] for _, line in DOCUMENTED if len(line.split()) > 1}
    assert set(COMMANDS) <= shown | {"mentions"}


@pytest.mark.parametrize("where, line", DOCUMENTED, ids=[w for w, _ in DOCUMENTED])
def test_every_documented_command_line_parses(dry_run, where, line):
    if re.fullmatch(r"kb [a-z]+", line):  # naming a command in running text ("`kb show` prints ...")
        assert line[3:] in COMMANDS, where
        return
    name, params = dry_run(line)
    if name == "search" and params.get("query"):
        kq.parse(" ".join(params["query"]))


def _paragraphs(path):
    return re.split(r"\n\s*\n", path.read_text("utf-8"))


def _owner(paragraph: str) -> str | None:
    """The command a paragraph is about: it starts with **`kb NAME ...`**."""
    m = re.match(r"\*\*`kb ([a-z]+(?: (?:build|serve))?)", paragraph.strip())
    return m.group(1) if m else None


def _check_option(option: str, choices: str | None, commands: list[str], where: str) -> None:
    """``option`` is an option of one of ``commands`` (and takes the ``a|b|c`` choices written after it)."""
    for name in commands:
        opts = ROOT_OPTIONS if name == "" else _options(COMMAND_OBJECTS[name])
        param = opts.get(option, False)
        if param is False:
            continue
        if choices and param is not None and isinstance(param.type, click.Choice):
            if not set(choices.split("|")) <= set(param.type.choices):
                continue
        return
    raise AssertionError(f"{where}: {option} is not an option of kb {' / kb '.join(c or '(root)' for c in commands)}")


def test_every_documented_option_exists():
    every = ["", *COMMAND_OBJECTS]
    checked = 0
    for path in DOCS:
        for para in _paragraphs(path):
            owner = _owner(para)
            commands = ["", owner] if owner else every
            para = _BENCH_SPAN.sub("", para)  # a benchmark's own command line is not kb's
            for option, choices in _OPTION.findall(para):
                if option in NOT_KB or option == "--":
                    continue
                _check_option(option, choices or None, commands, f"{path.name}: {para[:60]!r}")
                checked += 1
    assert checked > 40


def _help(name: str) -> str:
    result = CliRunner().invoke(cli, [*name.split(), "--help"], prog_name="kb", terminal_width=110)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", sorted(COMMAND_OBJECTS))
def test_every_help_example_parses_and_every_option_it_names_exists(dry_run, name):
    text = _help(name)
    section = text.split("Example", 1)[1].split("\n\n")[0] if "Example" in text else ""
    examples = [line.split("  #")[0].strip() for line in section.splitlines() if line.strip().startswith("kb ")]
    assert examples, f"kb {name} --help shows no example"
    for line in examples:
        got, params = dry_run(line)
        if got == "search" and params.get("query"):
            kq.parse(" ".join(params["query"]))
    subcommands = [n for n in COMMAND_OBJECTS if n.startswith(name + " ")]
    described = re.sub(r" -- .*", "", text)  # after --, words are query text, not options
    for option, choices in _OPTION.findall(described):
        if option != "--":
            _check_option(option, choices or None, ["", name, *subcommands], f"kb {name} --help")


@pytest.mark.parametrize("name", ["", *sorted(COMMAND_OBJECTS)])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_h_and_help_show_help_everywhere(name, flag):
    result = CliRunner().invoke(cli, [*name.split(), flag], prog_name="kb")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: kb {name}".rstrip() + " ")


def _short_options() -> dict[str, set[str]]:
    """command -> its short options other than -h (which every command has)."""
    return {name: {o for o in _options(cmd) if re.fullmatch(r"-[A-Za-z]", o)} - {"-h"}
            for name, cmd in COMMAND_OBJECTS.items()}


def test_the_readme_names_every_short_option_and_only_those():
    """The README says which short options exist ("`kb search` has no short option but `-h`; `kb ingest` also
    takes `-j` for `--jobs` and `-q` for `--quiet`"): a query word may start with a dash only because no other
    command has one, so a new short option must be written there, and a documented one must exist."""
    readme = " ".join((REPO / "README.md").read_text("utf-8").split())
    claim = re.search(r"\(`kb search` has no short option but `-h`; `kb ingest` also takes (.*?)\)", readme)
    assert claim, "README: the sentence naming the short options is gone"
    said = dict(re.findall(r"`(-[A-Za-z])` for `(--[a-z-]+)`", claim.group(1)))
    shorts = _short_options()
    assert {k: v for k, v in shorts.items() if v} == {"ingest": set(said)}
    ingest = _options(COMMAND_OBJECTS["ingest"])
    assert all(set(ingest[short].opts) == {short, long} for short, long in said.items())
