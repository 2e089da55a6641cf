//! Google Cloud Storage V4 signed URLs: RSA service-account keys, HMAC keys and keyless IAM signBlob.
