"""@title@ of the @gloss@ shard.

Shard @id@, implementation @impl@.
"""

@imports@
LOG = logging.getLogger(__name__)
@body@