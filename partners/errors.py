class DomainError(Exception):
    """A workflow rule said no; the message is French and shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
