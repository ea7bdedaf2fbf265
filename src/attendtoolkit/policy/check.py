"""Problems found in a settings file (a policy or council.toml), collected so all are reported at once."""

from __future__ import annotations

import tomllib

from attendtoolkit.words import counted

NOT_UTF8 = "is not text in UTF-8. Save it as UTF-8 text (in a text editor: Save As, Encoding UTF-8)."


class FileProblems(ValueError):
    """A file with problems; `problems` lists each one in plain English: where, what is wrong, what to do."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source} has {counted(len(problems), 'problem')}:\n" + "\n".join(f"- {p}" for p in problems))


class Problems:
    """The problems found so far in one file, each as `where: message`."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def found_in(self, where: str) -> bool:
        """Whether a problem has been found at `where` or inside it."""
        return any(p.startswith((f"{where}:", f"{where}.")) for p in self.found)

    def raise_any(self, error: type[FileProblems] = FileProblems) -> None:
        if self.found:
            raise error(self.source, self.found)


def toml_data(text: str, source: str, error: type[FileProblems] = FileProblems) -> dict:
    """The TOML in `text`, or `error` pointing at the line to fix."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(source, [f"is not valid TOML: {exc}. Check quotes, brackets and commas."]) from exc
