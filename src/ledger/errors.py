"""One error hierarchy for the whole ledger.

Every failure a user can meet is a :class:`LedgerError`. The CLI maps the two branches to exit
codes in one place: :class:`IntegrityError` (the record is not what it claims: exit 1) and
:class:`InputError` (the request is wrong: exit 2). Messages say what was expected, what was
found, and what to do.

Every message is in English (``str(e)``: for library users and logs) and, where the raiser gives
it, in Chinese (``message_zh``: the same facts in the users' terms, for a Chinese reader of the
CLI), as a finding carries ``message`` and ``message_zh``.
"""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose.

    ``LedgerError(message, zh=...)``: ``message`` is English and is what ``str(e)`` gives;
    ``zh`` says the same in Chinese, with the same names, titles, numbers and ids, and kept as
    :attr:`message_zh` (``None`` when the raiser gave none: the CLI then shows the English).
    """

    exit_code = 2
    message_zh: str | None = None

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.message_zh = zh

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduce rebuilds by calling the class with ``args``, which loses a
        # keyword-only ``zh`` and fails for subclasses with their own ``__init__`` (ActError):
        # rebuild without ``__init__``, then restore the attributes (``message_zh`` among them).
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls: type[LedgerError], args: tuple[Any, ...]) -> LedgerError:
    """An unpickled or copied error: made without calling ``__init__`` (see ``__reduce__``)."""
    error = cls.__new__(cls, *args)
    error.args = args
    return error


def zh_text(error: BaseException) -> str:
    """An error's message for a Chinese reader: its ``message_zh``, else its English message
    (for wrapping a cause inside another error's Chinese text)."""
    if isinstance(error, LedgerError) and error.message_zh:
        return error.message_zh
    return str(error)


class InputError(LedgerError):
    """The request cannot be carried out as given; nothing was written."""

    exit_code = 2


class IntegrityError(LedgerError):
    """Stored or received data fails an integrity check."""

    exit_code = 1


# --- input ---------------------------------------------------------------------------------


class CanonicalEncodingError(InputError):
    """A value has no canonical JSON form (a float, an out-of-range integer, a lone surrogate)."""


class LedgerNotFoundError(InputError):
    """No ledger lives in the given home directory."""


class LedgerExistsError(InputError):
    """``init`` was asked to create a ledger where one already lives."""


class StoreURLError(InputError):
    """A ``--store`` URL names no supported database."""


class StoreUnavailableError(InputError):
    """The store could not be opened or reached."""


class PassphraseError(InputError):
    """A private key could not be decrypted with the passphrase given, or none was given."""


class KeyFileError(InputError):
    """A key file is missing, unreadable or not an Ed25519 key."""


class UnknownMemberError(InputError):
    """A command names a member the ledger does not know."""


class UnknownKeyError(InputError):
    """A command names a key the ledger does not know."""


class KeyStateError(InputError):
    """A key operation that the key's current state does not allow (say, revoking a revoked key)."""


class DomainRuleError(InputError):
    """A structurally impossible act: refused, nothing written."""


class UnknownBodyError(DomainRuleError):
    """A command names a body (plenary, standing committee, ...) the ledger does not know."""


class UnknownMatterError(DomainRuleError):
    """A command names a matter (议题) the ledger does not know."""


class UnknownMeetingError(DomainRuleError):
    """A command names a meeting the ledger does not know."""


class UnknownRecordError(DomainRuleError):
    """A command names an emergency action, review, delegation or report the ledger lacks."""


class NotOnAgendaError(DomainRuleError):
    """An act on an item that is not on that meeting's agenda."""


class NotEligibleError(DomainRuleError):
    """An act by someone who may not perform it here (not on the roster, absent, withdrawn)."""


class DuplicateVoteError(DomainRuleError):
    """A member votes twice on the same item, or an item is voted twice at one meeting."""


class SecretBallotError(DomainRuleError):
    """Individual votes attached to a secret ballot (无记名投票) reveal what must stay secret."""


class TallyError(DomainRuleError):
    """A tally that does not add up to the ballots cast, or exceeds who could vote."""


class MatterStateError(DomainRuleError):
    """An act a matter's state cannot take (a vote on a decided item, changing an undecided one)."""


class MeetingStateError(DomainRuleError):
    """An act a meeting's state cannot take (a vote before it opened, minutes before it closed)."""


class ConcurrentWriteError(InputError):
    """Another writer changed the same stream first; the command may be retried."""


class WriteLockTimeoutError(ConcurrentWriteError):
    """The store's write lock stayed held by someone else (a migration, a long batch) for
    longer than the store's lock timeout; nothing was written and the command may be retried."""


class CheckpointFormatError(InputError):
    """A checkpoint file is not a well-formed signed checkpoint."""


# --- integrity -----------------------------------------------------------------------------


class RecordDecodeError(IntegrityError):
    """Stored bytes do not decode as a ledger record."""


class ChainBrokenError(IntegrityError):
    """The hash chain or the ledger sequence is broken."""


class SignatureInvalidError(IntegrityError):
    """A signature does not verify, or was made with a key not valid for it."""


class CheckpointMismatchError(IntegrityError):
    """The log does not match a signed checkpoint (for example, its tail was removed)."""


class CorrectionFieldError(DomainRuleError):
    """A correction names a field that may not be corrected, or a value of the wrong type."""
