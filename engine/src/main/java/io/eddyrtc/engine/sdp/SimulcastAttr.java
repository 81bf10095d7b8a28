package io.eddyrtc.engine.sdp;

import io.eddyrtc.engine.media.Rid;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast:send q;h;f recv a} (RFC 8853 §5.1): the rids sent and received. Each list entry is
 * one simulcast stream; eddy keeps the first of comma-separated alternatives and drops the {@code ~}
 * (paused) mark, which it does not act on.
 */
public record SimulcastAttr(List<Rid> send, List<Rid> recv) {
    public SimulcastAttr {
        send = List.copyOf(send);
        recv = List.copyOf(recv);
    }

    public static SimulcastAttr parse(String value) {
        String[] f = Tokens.fields(value);
        if (f.length != 2 && f.length != 4) {
            throw Tokens.bad("simulcast '" + value + "' is not 'send|recv <rids> [send|recv <rids>]'");
        }
        List<Rid> send = List.of();
        List<Rid> recv = List.of();
        for (int i = 0; i < f.length; i += 2) {
            List<Rid> list = streams(f[i + 1]);
            switch (f[i]) {
                case "send" -> send = list;
                case "recv" -> recv = list;
                default -> throw Tokens.bad("simulcast direction '" + f[i] + "' is not send or recv");
            }
        }
        return new SimulcastAttr(send, recv);
    }

    private static List<Rid> streams(String text) {
        List<Rid> out = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            String first = stream.split(",", -1)[0];
            out.add(rid(first.startsWith("~") ? first.substring(1) : first));
        }
        return out;
    }

    /** A rid from peer text: RFC 8851 allows alphanumerics, '-' and '_', at most {@link Rid#MAX_LENGTH}. */
    static Rid rid(String text) {
        if (text.isEmpty() || text.length() > Rid.MAX_LENGTH) {
            throw Tokens.bad("rid '" + text + "' must be 1 to " + Rid.MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
                throw Tokens.bad("rid '" + text + "' may hold only letters, digits, '-' and '_'");
            }
        }
        return Rid.of(text);
    }

    public String value() {
        StringBuilder b = new StringBuilder();
        if (!send.isEmpty()) {
            b.append("send ").append(join(send));
        }
        if (!recv.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append("recv ").append(join(recv));
        }
        return b.toString();
    }

    private static String join(List<Rid> rids) {
        return String.join(";", rids.stream().map(Rid::value).toList());
    }
}
