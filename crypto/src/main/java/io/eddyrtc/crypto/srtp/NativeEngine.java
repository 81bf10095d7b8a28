package io.eddyrtc.crypto.srtp;

import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;

/**
 * What an engine on a C library holds outside the heap: an arena for its cells and scratch, and the library's
 * handles, freed together when the engine is closed — or, for one a caller forgot, when it becomes unreachable.
 */
abstract sealed class NativeEngine implements AutoCloseable permits NativeAesGcm, GcryptAesCmHmac {
    private static final Cleaner CLEANER = Cleaner.create();

    final Arena arena = Arena.ofShared();
    private Cleaner.Cleanable cleanable;
    private boolean closed;

    /** Once the handles exist: {@code free} (which must not refer to this engine) runs, then the arena closes. */
    final void freeOnClose(Runnable free) {
        Arena owned = arena;
        cleanable = CLEANER.register(this, () -> {
            free.run();
            owned.close();
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (cleanable != null) {
                cleanable.clean();
            } else {
                arena.close();
            }
        }
    }
}
