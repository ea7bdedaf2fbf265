"""The `attendtoolkit` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

from attendtoolkit import __version__
from attendtoolkit.policy import codes as codetable
from attendtoolkit.api import ENGINES, analyse, default_engine
from attendtoolkit.results.contract import combined_totals, json_text, write_json
from attendtoolkit.results.indented_json import settled
from attendtoolkit.results.csv_writer import CSV_FILE_ENCODING, actions_csv, per_school_csv, result_csv, trend_csv
from attendtoolkit.policy.national import PHASES
from attendtoolkit.policy.load import PolicyError, load_policy, shipped_policies
from attendtoolkit.policy.council import CouncilError
from attendtoolkit.render.letters import LetterError
from attendtoolkit.read.dates import DATE_ORDERS
from attendtoolkit.read.letter_log import LetterLogError
from attendtoolkit.read.register import SHAPES, RegisterError
from attendtoolkit.read.text import BIDI_CONTROLS
from attendtoolkit.gc_paused import gc_paused
from attendtoolkit.partitions import PartitionError, analyse_files, default_workers
from attendtoolkit.scenarios import ScenarioError
from attendtoolkit.words import counted, duration, file_size

CLASSIFY_HELP = """\
Give every pupil in an attendance register a stage, flags and reasons.

examples:
  attendtoolkit classify register.csv
  attendtoolkit classify register.csv --as-of 2024-12-20 --format csv -o results.csv
  attendtoolkit classify register.csv --policy swindon --engine pandas
  attendtoolkit classify register.xlsx --sheet "Year 7"   # Excel needs: pip install 'attendtoolkit[excel]'
  attendtoolkit classify register.csv --format actions -o this-week.csv
  attendtoolkit classify register.csv --format actions --since 2025-06-06   # changes over two weeks
  attendtoolkit classify schools/ -o all-schools.json     # one file per school, with combined totals
  attendtoolkit classify register.csv --previous last-year.csv   # beside the same school week last year
"""
CODES_HELP = """\
List the register codes for England with their meaning and category.

examples:
  attendtoolkit codes
  attendtoolkit codes --format json
"""
LETTERS_HELP = """\
Make the letters the policy suggests for each pupil, ready to print (one per A4 page).

examples:
  attendtoolkit letters register.csv --school school.toml -o letters.html
  attendtoolkit letters register.csv --school school.toml --letters-sent sent.csv -o letters.html
  attendtoolkit letters register.csv --school school.toml --letter praise --merge-csv merge.csv
"""
POLICY_DIFF_HELP = """\
Say how one policy differs from another: thresholds, stages and flags.

examples:
  attendtoolkit policy diff dfe-national council/policy.toml
  attendtoolkit policy diff dfe-national swindon
"""
REPORT_HELP = """\
Write one self-contained HTML report: summary, this week's worklist, the weekly trend and groups.

examples:
  attendtoolkit report register.csv -o report.html
  attendtoolkit report register.csv --policy swindon --as-of 2024-12-20 -o report.html
  attendtoolkit report register.csv --previous last-year.csv -o report.html
"""
COUNCIL_CHECK_HELP = """\
Check a council folder: council.toml, its policy, letter overrides and pages.

examples:
  attendtoolkit council check
  attendtoolkit council check examples/council-knowsley
"""
POLICY_CHECK_HELP = """\
Check a policy file and list its stages, flags and thresholds.

examples:
  attendtoolkit policy check council/policy.toml
  attendtoolkit policy check swindon
"""


# Characters a terminal acts on instead of showing: C0 controls but tab and newline, DEL, C1 controls
# (escape sequences can recolour, retitle or rewrite the screen) and text-direction controls.
_TERMINAL_CONTROLS = dict.fromkeys([*range(0x09), *range(0x0b, 0x20), 0x7f, *range(0x80, 0xa0),
                                    *map(ord, BIDI_CONTROLS)])


def for_terminal(text: str) -> str:
    """Text from a file (a header, a name, a file name) made safe to show in a terminal."""
    return text.translate(_TERMINAL_CONTROLS)


def say(text: str = "", file=None) -> None:
    """Print a message; everything the command echoes passes through here."""
    print(for_terminal(str(text)), file=file or sys.stdout)


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which quote what was typed) safe for the terminal too."""

    def _print_message(self, message, file=None):
        super()._print_message(for_terminal(message) if message else message, file)


def _write_out(text: str) -> None:
    """Results to the screen: unchanged when piped or redirected, without control characters on a terminal."""
    sys.stdout.write(for_terminal(text) if sys.stdout.isatty() else text)


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-20.") from None


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more.")
    return number


def _mapping(text: str) -> dict[str, str]:
    try:
        return dict(part.split("=", 1) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("write the mapping as field=Column,field=Column, e.g. pupil_id=Adno") from None


def _register_options() -> argparse.ArgumentParser:
    """The options of every command that reads a register: policy, as-of date and how to read it."""
    options = _Parser(add_help=False)
    group = options.add_argument_group("reading the register")
    group.add_argument("--policy", help=f"policy file or shipped name ({', '.join(shipped_policies())}); "
                                        "default: dfe-national")
    group.add_argument("--as-of", type=_as_of, help="date to assess at (YYYY-MM-DD); default: last date in the file")
    group.add_argument("--shape", choices=SHAPES, help="register shape, if detection gets it wrong")
    group.add_argument("--columns", type=_mapping, help="column mapping, e.g. pupil_id=Adno,mark=Code")
    group.add_argument("--engine", choices=ENGINES,
                       help="python, or pandas for large files (needs the pandas extra); results are identical. "
                            "Default: pandas for a file over 10 MB when it is installed")
    group.add_argument("--since", type=_as_of, help="the worklist shows what changed since this date (YYYY-MM-DD); "
                                                    "default: the end of the previous school week")
    group.add_argument("--letters-sent", type=Path, metavar="FILE",
                       help="letter log: CSV of letters already sent (pupil_id, letter, date), so the next "
                            "letter in each sequence is suggested; without it only first letters are")
    group.add_argument("--dates", choices=DATE_ORDERS, default="dmy",
                       help="dmy: day first, 02/09/2024 (default); mdy: month first, 09/02/2024. "
                            "A file that looks month-first is refused unless you say mdy")
    group.add_argument("--phase", choices=PHASES, help="the school phase whose national absence figures are shown "
                                                       "beside yours; default: from the pupils' year groups "
                                                       "(Reception to Year 6 primary, Years 7 to 13 secondary, "
                                                       "both: all schools)")
    group.add_argument("--sheet", metavar="NAME", help="the sheet of an Excel or OpenDocument workbook to read "
                                                       "(default: the first)")
    return options


def _options(args, policy, paths: list[Path]) -> dict:
    """The command's register options, as analyse() takes them, for these register files."""
    engine = args.engine or default_engine(paths)
    return dict(policy=policy, as_of=args.as_of, shape=args.shape, columns=args.columns, engine=engine,
                letters_sent=args.letters_sent, since=args.since, dates=args.dates, sheet=args.sheet,
                phase=args.phase, previous=getattr(args, "previous", None))


def _analyse(path: Path, args, policy) -> dict:
    """The results for one register file, read with the command's register options."""
    return analyse(path, **_options(args, policy, [path]))


PREVIOUS_HELP = ("last year's register for the same school: each pupil (matched by pupil ID), each group and "
                 "the summary are shown beside the same school week last year")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="attendtoolkit", description="School attendance toolkit.")
    register_options = _register_options()
    parser.add_argument("--version", action="version", version=f"attendtoolkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("classify", help="classify a register", description=CLASSIFY_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter, parents=[register_options])
    p.add_argument("register", type=Path, nargs="+",
                   help="register file(s) (CSV, or Excel/OpenDocument: .xlsx, .xls, .ods; long, wide or summary), "
                        "or a folder of them (one per school)")
    p.add_argument("--format", choices=("json", "csv", "actions", "trend"), default="json",
                   help="json or csv: every pupil; actions: this week's worklist, what changed since --since (CSV); "
                        "trend: attendance week by week for everyone and each group (CSV)")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of the screen")
    p.add_argument("--previous", type=Path, metavar="FILE", help=PREVIOUS_HELP)
    p.add_argument("--workers", type=_positive, default=default_workers(), metavar="N",
                   help="how many processes to use: for a folder of registers, how many files to classify at "
                        "once; for one council's register written with -o, how many make its pupils' results "
                        "(default: the number of cores, %(default)s here)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="for a folder of registers: classify the files on this Dask cluster instead "
                        "(e.g. tcp://10.0.0.5:8786; needs the dask extra)")

    p = commands.add_parser("letters", help="make letters for families", description=LETTERS_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter, parents=[register_options])
    p.add_argument("register", type=Path, help="register file (CSV, .xlsx, .xls or .ods)")
    p.add_argument("--school", type=Path, required=True, help="school details (TOML: name, address, "
                   "head_teacher, attendance_lead, phone, email, letter_date)")
    p.add_argument("--letter", help="make this letter for the chosen pupils instead of the suggested ones")
    p.add_argument("--pupil", action="append", help="only this pupil ID (repeat for more)")
    p.add_argument("-o", "--output", type=Path, help="write the letters (HTML) here; default: the screen")
    p.add_argument("--merge-csv", type=Path, help="also write the merge fields as CSV for a word processor")
    p.add_argument("--templates", type=Path, help="folder holding the council/ folder whose letters/ replace the "
                   "shipped letters (default: the current folder)")

    p = commands.add_parser("report", help="write an HTML report", description=REPORT_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter, parents=[register_options])
    p.add_argument("register", type=Path, help="register file (CSV, .xlsx, .xls or .ods)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    p.add_argument("--previous", type=Path, metavar="FILE", help=PREVIOUS_HELP)

    p = commands.add_parser("codes", help="list the register codes", description=CODES_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = commands.add_parser("policy", help="work with policy files")
    policy_commands = p.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    p = policy_commands.add_parser("check", help="validate a policy file", description=POLICY_CHECK_HELP,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="policy file or shipped name")
    p = policy_commands.add_parser("diff", help="compare two policies", description=POLICY_DIFF_HELP,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", help="policy file or shipped name to compare against, e.g. dfe-national")
    p.add_argument("other", help="policy file or shipped name")

    p = commands.add_parser("council", help="work with a council folder")
    council_commands = p.add_subparsers(dest="council_command", required=True, metavar="ACTION")
    p = council_commands.add_parser("check", help="validate a council folder", description=COUNCIL_CHECK_HELP,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", nargs="?", type=Path, default=Path("council"), help="default: council")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with gc_paused():  # the whole command: collections re-enabled between its steps each scan every object held
            return COMMANDS[args.command](args)
    except (RegisterError, PolicyError, LetterError, LetterLogError, CouncilError, ScenarioError,
            PartitionError) as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a command that stopped reading, e.g. `| head -1`
        sys.stdout = None  # nothing more can be written; leave quietly
        return 0
    except Exception as exc:  # a bug, not the user's fault: one plain line, the traceback only on request
        if os.environ.get("ATTENDTOOLKIT_DEBUG"):
            raise
        print(f"error: attendtoolkit hit a problem it does not expect ({type(exc).__name__}: {exc}). "
              "Please report it (set ATTENDTOOLKIT_DEBUG=1 to see the details).", file=sys.stderr)
        return 3


REGISTER_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods")


def _register_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.iterdir() if p.suffix.lower() in REGISTER_SUFFIXES) \
            if path.is_dir() else [path]
    if not files:
        raise RegisterError(f"{', '.join(str(p) for p in paths)}: no register files "
                            f"({', '.join(REGISTER_SUFFIXES)}) found.")
    return files


def cmd_classify(args) -> int:
    policy = load_policy(args.policy)
    files = _register_files(args.register)
    if args.previous and len(files) > 1:
        raise RegisterError(f"--previous compares one register with last year's, but {len(files)} register files "
                            "were given. Give one register file with its own --previous.")
    written = args.format == "json" and args.output
    if written and len(files) == 1:  # each pupil written as it is made: a council's results can be over a gigabyte
        started = _reading(files)
        data = analyse(files[0], **_options(args, policy, files), stream=True, workers=args.workers)
        _progress(f"Writing {args.output}…")
        with args.output.open("w", encoding="utf-8", newline="") as f:
            write_json(data, f)
        _wrote(args.output, started)
        _print_summary(settled(data), sys.stderr)
        return 0
    started = _reading(files) if args.output else None  # (messages beside results on the terminal would mix)
    results = analyse_files(files, _options(args, policy, files), args.workers, args.scheduler)
    render = {"json": json_text, "csv": result_csv, "actions": lambda d: actions_csv(d["actions"]),
              "trend": trend_csv}[args.format]
    data = results[0] if len(results) == 1 else {"schools": results, "combined": combined_totals(results)}
    if written:
        with args.output.open("w", encoding="utf-8", newline="") as f:
            write_json(data, f)  # a piece at a time
    else:
        text = (json_text(data) if args.format == "json" else render(data) if len(results) == 1
                else per_school_csv(results, render))
        if not args.output:
            _write_out(text)
            return 0
        args.output.write_text(text, encoding=CSV_FILE_ENCODING, newline="")
    _wrote(args.output, started)
    for each in results:
        _print_summary(each, sys.stderr)
    if len(results) > 1:
        c = data["combined"]
        attendance = "not known" if c["attendance_pct"] is None else f"{c['attendance_pct']:.1f}%"
        say(f"Combined: {counted(len(results), 'file')}, {counted(c['pupils'], 'pupil')}, attendance {attendance}", file=sys.stderr)
    return 0


def _progress(text: str) -> None:
    """A step of a long run, for someone watching it: said only when the messages go to a terminal
    (a council's file takes a minute), never into a log or a pipe."""
    if sys.stderr.isatty():
        say(text, file=sys.stderr)


def _reading(files: list[Path]) -> float:
    """Say that the files are being read (on a terminal); when that started."""
    if sys.stderr.isatty():
        named = files[0].name if len(files) == 1 else counted(len(files), "register file")
        try:
            size = f" ({file_size(sum(f.stat().st_size for f in files))})"
        except OSError:  # reading it says what is wrong
            size = ""
        _progress(f"Reading {named}{size} and working out each pupil's stage…")
    return time.monotonic()


def _wrote(path: Path, started: float) -> None:
    _progress(f"Wrote {path} ({file_size(path.stat().st_size)}) in {duration(time.monotonic() - started)}.")


def _print_summary(data: dict, stream) -> None:
    totals = data["totals"]
    pct = totals["attendance_pct"]
    attendance = f"attendance {pct:.1f}%" if pct is not None else "attendance not known"
    say(f"{data['source']['file']}: {counted(totals['pupils'], 'pupil')}, as of {data['as_of']}, {attendance}",
          file=stream)
    for stage in data["policy"]["stages"]:
        say(f"  {data['policy']['stage_word']} {stage['id']} ({stage['name']}): "
              f"{totals['by_stage'][stage['id']]}", file=stream)
    say(f"  Not enough data yet: {totals['by_stage']['not_enough_data']}", file=stream)
    if totals["by_stage"].get("not_assessable"):
        say(f"  Not assessable from this file (the stages need session dates): "
              f"{totals['by_stage']['not_assessable']}", file=stream)
    for flag in data["policy"]["flags"]:
        say(f"  {flag['label']}: {totals['by_flag'][flag['name']]}", file=stream)
    if data["rejected"]:
        say(f"  Rows rejected: {len(data['rejected'])} (see 'rejected' in the output)", file=stream)
    say(f"  Letters: {data['letter_log']['note']}", file=stream)
    if data.get("previous"):
        say(f"  {same_week_last_year(data['previous'])}", file=stream)


def same_week_last_year(block: dict) -> str:
    """'Same week last year (school week 7, to 20 October 2023, last-year.csv): attendance 94.1%; …'."""
    pct = block["totals"]["attendance_pct"]
    week = f"school week {block['school_week']}, " if block["school_week"] is not None else ""
    to = f"to {block['as_of']}, " if block["as_of"] else ""
    return (f"Same week last year ({week}{to}{block['file']}): attendance "
            f"{'not known' if pct is None else f'{pct:.1f}%'}; {counted(block['matched'], 'pupil')} in both registers, "
            f"{block['joiners']} joined since, {len(block['leavers'])} left")


def cmd_letters(args) -> int:
    from attendtoolkit.render.letters import LetterSet, merge_csv, plan, render_html, school_from_toml, template_folders
    data = _analyse(args.register, args, load_policy(args.policy))
    try:
        school_text = args.school.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LetterError(f"{args.school.name}: cannot open the school details ({exc.strerror}).") from exc
    letters = LetterSet.from_folders(template_folders(args.templates))
    planned = plan(data, letters, school_from_toml(school_text, args.school.name), args.letter, args.pupil)
    html = render_html(planned, letters)
    if args.output:
        args.output.write_text(html, encoding="utf-8")
        pupils = len({letter.pupil_id for letter in planned})
        say(f"Wrote {counted(len(planned), 'letter')} for {counted(pupils, 'pupil')} to {args.output}.", file=sys.stderr)
        if not args.letter:
            say(data["letter_log"]["note"], file=sys.stderr)
    else:
        _write_out(html)
    if args.merge_csv:
        args.merge_csv.write_text(merge_csv(planned), encoding=CSV_FILE_ENCODING, newline="")
    return 0


def cmd_report(args) -> int:
    from attendtoolkit.render.report import report_html
    policy = load_policy(args.policy)
    data = _analyse(args.register, args, policy)
    args.output.write_text(report_html(data), encoding="utf-8")
    say(f"Wrote the report for {counted(data['totals']['pupils'], 'pupil')} to {args.output}.", file=sys.stderr)
    return 0


def cmd_codes(args) -> int:
    rows = codetable.as_json()
    if args.format == "json":
        say(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        legacy = " (before August 2024)" if row["legacy"] else ""
        say(f"{row['code']:<3} {codetable.CATEGORY_LABELS[row['category']]:<30} {row['meaning']}{legacy}")
    return 0


def cmd_policy(args) -> int:
    if args.policy_command == "diff":
        from attendtoolkit.policy.diff import policy_differences
        base, other = load_policy(args.base), load_policy(args.other)
        found = policy_differences(base, other)
        say(f"{other.name} compared with {base.name}:")
        for line in found or ["No differences in thresholds, stages or flags."]:
            say(f"- {line}")
        return 0
    policy = load_policy(args.file)
    _check_letter_names(policy)
    say(f"{policy.origin}: OK — {policy.name}")
    say(f"Stages ({policy.stage_word.lower()}s):")
    for stage in policy.stages:
        say(f"  {stage.id}: {stage.name} — {stage.responsibility}")
    say("Flags:")
    for flag in policy.flags.values():
        say(f"  {flag.name}: {flag.label}")
    say("Thresholds:")
    for t in policy.thresholds.values():
        local = " (local choice)" if t.local_choice else ""
        say(f"  {t.name} = {t.shown()}{local}")
    return 0


def _check_letter_names(policy, folders: list[Path] | None = None) -> None:
    """Every letter the policy names must have a template: the package's, then the council's
    overrides (`folders`, by default those of the council folder here)."""
    from attendtoolkit.render.letters import LetterSet, template_folders
    known = set(LetterSet.from_folders(folders or template_folders()).templates)
    named = [(f"{policy.stage_word} {s.id} suggests", n) for s in policy.stages for n in s.letters]
    named += [(f"Flag {f.name} suggests", n) for f in policy.flags.values() for n in f.letters]
    named += [(f"[letters.{n}] is about", n) for n in policy.letter_rules.letters]
    if policy.compulsory_school_age:
        named += [("[compulsory_school_age] legal_letters names", n) for n in policy.compulsory_school_age.legal_letters]
    unknown = [f"{where} a letter called '{name}', but there is no such letter. Letters: "
               f"{', '.join(sorted(known))}." for where, name in named if name not in known]
    if unknown:
        raise PolicyError(policy.origin, unknown)


def cmd_council(args) -> int:
    from attendtoolkit.policy.council import load_council
    from attendtoolkit.scenarios import folder_scenarios, run_cases
    from attendtoolkit.render.letters import UPSTREAM_LETTERS, LetterSet, check_overrides, unsafe_pupil_fields
    folder = args.folder
    if not (folder / "council.toml").is_file():
        say(f"{folder}/council.toml not found: the site will be the national handbook. Copy "
              "examples/council-knowsley/council.toml to start.")
        return 0
    council = load_council(folder)
    policy = load_policy(council.active_policy())
    _check_letter_names(policy, [UPSTREAM_LETTERS, council.letters])
    say(f"{folder}/council.toml: OK — {council.name}")
    say(f"  Policy: {policy.name} ({len(policy.stages)} {policy.stage_word.lower()}s)")
    say(f"  Contacts: {len(council.contacts)}; links: {len(council.links)}")
    overrides = check_overrides(council.letters)
    say(f"  Letter overrides: {', '.join(overrides) or 'none'}")
    for warning in unsafe_pupil_fields(LetterSet.from_folders([council.letters]).files):
        say(f"  Warning: {warning}")
    pages = sorted(p.name for p in council.pages.glob("*.md")) if council.pages.is_dir() else []
    say(f"  Pages: {', '.join(pages) or 'none'}")
    cases = folder_scenarios(folder / "scenarios")
    failures = run_cases(cases, policy)
    if failures:
        raise CouncilError(f"{folder}/scenarios", [f"the policy does not decide this case as written: {f}"
                                                   for f in failures])
    say(f"  Scenarios: {len(cases)}, all decided as written" if cases else
          "  Scenarios: none (add named cases in scenarios/*.toml)")
    return 0


COMMANDS = {"classify": cmd_classify, "letters": cmd_letters, "report": cmd_report, "codes": cmd_codes,
            "policy": cmd_policy, "council": cmd_council}

if __name__ == "__main__":
    sys.exit(main())
