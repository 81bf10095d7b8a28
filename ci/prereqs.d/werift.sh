# werift (npm, pinned in the lock file) as an independent WebRTC peer: examples' interop tests.
need_npm examples/src/test/node/werift-peer
