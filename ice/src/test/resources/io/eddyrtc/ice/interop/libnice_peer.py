"""A real ICE peer for eddy's interop test: libnice (the ICE stack of GStreamer's webrtcbin and
Farstream) through GObject introspection, with GStreamer's nicesrc doing the receiving (libnice's
attach_recv is not introspectable). Same stdin/stdout line protocol as aioice_peer.py:
  out: UFRAG <u> / PWD <p> / CAND <sdp without "candidate:"> / READY
  in:  UFRAG <u> / PWD <p> / CAND <sdp> / END
  out: CONNECTED <remote ip> <remote port>, then echoes each datagram prefixed with "echo:" (ECHOED <n>)
  in:  QUIT
"""
import os
import sys

import gi

gi.require_version("Nice", "0.1")
gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst, Nice  # noqa: E402

Gst.init(None)
controlling = sys.argv[1] == "controlling"
loop = GLib.MainLoop()
agent = Nice.Agent.new(loop.get_context(), Nice.Compatibility.RFC5245)
agent.set_property("controlling-mode", controlling)
agent.set_property("ice-tcp", False)
agent.set_property("upnp", False)
local = Nice.Address.new()
local.set_from_string("127.0.0.1")
agent.add_local_address(local)
stream = agent.add_stream(1)
state = {"remote": [], "connected": False, "ufrag": None, "pwd": None, "pending": b""}


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def on_gathering_done(agent, stream_id):
    ok, ufrag, pwd = agent.get_local_credentials(stream)
    say("UFRAG " + ufrag)
    say("PWD " + pwd)
    for c in agent.get_local_candidates(stream, 1):
        sdp = agent.generate_local_candidate_sdp(c)
        say("CAND " + (sdp[len("a=candidate:"):] if sdp.startswith("a=candidate:") else sdp))
    say("READY")


def on_selected(agent, stream_id, component, lcand, rcand):
    if not state["connected"]:
        state["connected"] = True
        say("CONNECTED %s %d" % (rcand.addr.dup_string(), rcand.addr.get_port()))


def on_handoff(sink, buffer, pad):
    data = buffer.extract_dup(0, buffer.get_size()).decode("latin-1")
    reply = "echo:" + data
    agent.send(stream, 1, len(reply), reply)
    say("ECHOED %d" % len(data))


def handle(line):
    if line.startswith("UFRAG "):
        state["ufrag"] = line[6:]
    elif line.startswith("PWD "):
        state["pwd"] = line[4:]
    elif line.startswith("CAND "):
        sdp = line[5:]
        sdp = sdp[2:] if sdp.startswith("a=") else sdp
        sdp = sdp[len("candidate:"):] if sdp.startswith("candidate:") else sdp
        parsed = agent.parse_remote_candidate_sdp(stream, "a=candidate:" + sdp)
        if parsed is None:
            sys.stderr.write("libnice could not parse candidate: %s\n" % sdp)
        else:
            state["remote"].append(parsed)
    elif line == "END":
        agent.set_remote_credentials(stream, state["ufrag"], state["pwd"])
        agent.set_remote_candidates(stream, 1, state["remote"])
        agent.peer_candidate_gathering_done(stream)
    elif line == "QUIT":
        loop.quit()
        return False
    return True


def on_stdin(fd, condition):
    # Raw reads: Python's buffered readline could swallow several lines per GLib wake-up.
    chunk = os.read(fd, 65536)
    if not chunk:
        loop.quit()
        return False
    state["pending"] += chunk
    while b"\n" in state["pending"]:
        raw, state["pending"] = state["pending"].split(b"\n", 1)
        if not handle(raw.decode().strip()):
            return False
    return True


pipeline = Gst.Pipeline.new("peer")
src = Gst.ElementFactory.make("nicesrc")
src.set_property("agent", agent)
src.set_property("stream", stream)
src.set_property("component", 1)
sink = Gst.ElementFactory.make("fakesink")
sink.set_property("signal-handoffs", True)
sink.set_property("sync", False)
sink.set_property("async", False)
sink.connect("handoff", on_handoff)
pipeline.add(src)
pipeline.add(sink)
src.link(sink)

agent.connect("candidate-gathering-done", on_gathering_done)
agent.connect("new-selected-pair-full", on_selected)
GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_stdin)
pipeline.set_state(Gst.State.PLAYING)
agent.gather_candidates(stream)
loop.run()
pipeline.set_state(Gst.State.NULL)
os._exit(0)
