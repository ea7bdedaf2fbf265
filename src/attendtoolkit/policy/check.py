"""Problems found in a settings file (a policy or council.toml), collected so all are reported at once."""

from __future__ import annotations


class FileProblems(ValueError):
    """A file with problems; `problems` lists each one in plain English: where, what is wrong, what to do."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source} has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems))


class Problems:
    """The problems found so far in one file, each as `where: message`."""

    def __init__(self, source: str):
        self.source = source
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}")

    def raise_any(self, error: type[FileProblems] = FileProblems) -> None:
        if self.found:
            raise error(self.source, self.found)
