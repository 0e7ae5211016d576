class OperationFailed(Exception):
    """A backup, restore or grant could not be done; the message says why and
    what to do. Commands show it as their error."""
