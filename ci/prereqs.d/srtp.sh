# SRTP: libsrtp2 for the cross-check tests and benchmarks (crypto); libgcrypt (libgcrypt20) and libcrypto (libssl3)
# are the AES-GCM engines, libgcrypt first.
need_deb libsrtp2-1 libgcrypt20 libssl3
