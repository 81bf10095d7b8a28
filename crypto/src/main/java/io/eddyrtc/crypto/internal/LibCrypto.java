package io.eddyrtc.crypto.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/** OpenSSL's libcrypto (Debian's {@code libssl3}) for the FFM linker: the library, and its symbols by name. */
public final class LibCrypto {
    private LibCrypto() {
    }

    /** The library; throws {@link IllegalStateException} saying what to install when it is missing. */
    public static SymbolLookup load() {
        IllegalArgumentException last = null;
        for (String name : new String[] {"libcrypto.so.3", "libcrypto.so"}) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new IllegalStateException("libcrypto.so.3 not found (Debian package libssl3)", last);
    }

    /** The symbol {@code name}; throws {@link IllegalStateException} when this libcrypto lacks it. */
    public static MemorySegment find(SymbolLookup lib, String name) {
        Optional<MemorySegment> symbol = lib.find(name);
        return symbol.orElseThrow(() -> new IllegalStateException("libcrypto has no " + name));
    }
}
