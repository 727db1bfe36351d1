"""Domain errors: services raise them, views turn them into translated messages."""


class DomainError(Exception):
    """A broken business rule. `message` is already translated (a lazy string is fine)."""

    def __init__(self, message=None):
        super().__init__(message)
        self.message = message if message is not None else self.default_message()

    def default_message(self):
        return str(self.__class__.__name__)

    def __str__(self) -> str:
        return str(self.message)
