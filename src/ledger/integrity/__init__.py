"""Pure functions over bytes: canonical encoding, hashes, commitments, keys, the record format,
the Merkle tree, checkpoints and the verification walk. Nothing here touches a database."""
