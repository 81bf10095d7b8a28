# SCTP: usrsctp for the interop test (sctp module, through FFM in threadless "conn" mode).
need_deb libusrsctp2
