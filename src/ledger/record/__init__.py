"""Recording acts: the act language (one model per act, which is also the record-file schema),
the batch that applies a list of acts atomically, and the record-file reader."""
