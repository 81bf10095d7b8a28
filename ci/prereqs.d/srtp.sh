# SRTP: libsrtp2 for the cross-check tests and benchmarks (crypto); libcrypto (libssl3) is the AES-GCM fast path.
need_deb libsrtp2-1 libssl3
