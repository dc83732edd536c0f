"""The one error a release import raises."""


class ReleaseError(ValueError):
    """A release file that cannot be imported: which file, where in it, what is wrong."""

    def __init__(self, file: str, problem: str, where: str | None = None):
        self.file, self.problem, self.where = file, problem, where
        place = f"{file}, {where}" if where else file
        super().__init__(f"{place}: {problem}")
