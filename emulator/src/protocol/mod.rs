//! Wire protocols: form/query decoding and one serializer per protocol.
