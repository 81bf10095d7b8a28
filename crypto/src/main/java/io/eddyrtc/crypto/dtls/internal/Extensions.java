package io.eddyrtc.crypto.dtls.internal;

import io.eddyrtc.crypto.dtls.internal.TlsReader.DecodeException;

import java.util.HashMap;
import java.util.Map;

/** A hello's extensions block (RFC 5246 §7.4.1.4): each extension's data by type, at most one of each. */
final class Extensions {
    private final Map<Integer, TlsReader> byType = new HashMap<>();

    private Extensions() {
    }

    /** The block at {@code r}'s position, which may be absent (nothing left to read): then there are none. */
    static Extensions read(TlsReader r) throws DecodeException {
        Extensions e = new Extensions();
        if (r.remaining() == 0) {
            return e;
        }
        TlsReader block = r.slice(r.u16());
        while (block.remaining() > 0) {
            int type = block.u16();
            if (e.byType.put(type, block.slice(block.u16())) != null) {
                throw new DecodeException("extension " + type + " appears twice");
            }
        }
        return e;
    }

    boolean has(int type) {
        return byType.containsKey(type);
    }

    /** The extension's data, or null if absent. */
    TlsReader get(int type) {
        return byType.get(type);
    }
}
