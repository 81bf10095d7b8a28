// werift as a real, independent WebRTC peer for eddy's interop tests.
//
// Driven by WeriftPeer.java over stdin/stdout, one JSON object per line:
//   in:  {"type":"offer","sdp":...}   -> we answer: out {"type":"answer","sdp":...} (after gathering)
//        {"type":"answer","sdp":...}  -> applied to the offer we made at start (role "offer")
//        {"cmd":"send","label":l,"size":n,"seed":s} -> send n pseudo-random bytes on channel l
//        {"cmd":"close"}              -> close and exit 0
//   out: {"type":"offer","sdp":...}   (role "offer", at start)
//        {"event":"ice","state":...}, {"event":"connection","state":...},
//        {"event":"channelOpen","label":...},
//        {"event":"message","label":...,"size":n,"sha256":hex}   (every message is also echoed back)
//        {"event":"rtp","kind":...,"count":n,"pt":p}  (first and every 25th RTP packet received; every
//                                                      packet is also sent back on the same m-line)
//        {"event":"error","message":...}
// Only loopback candidates are used, so the test does not depend on the machine's interfaces.
import { RTCPeerConnection } from "werift";
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";

const role = process.argv[2] === "offer" ? "offer" : "answer";
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const fail = (e) => { out({ event: "error", message: String(e && e.stack || e) }); };

const pc = new RTCPeerConnection({
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceUseIpv6: false,
  iceUseTcp: false,
  iceFilterCandidatePair: (pair) => pair.localCandidate.host === "127.0.0.1",
});
const channels = new Map();

function watch(channel) {
  channels.set(channel.label, channel);
  channel.stateChanged.subscribe((state) => { if (state === "open") out({ event: "channelOpen", label: channel.label }); });
  channel.onMessage.subscribe((data) => {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
    out({ event: "message", label: channel.label, size: bytes.length,
          sha256: createHash("sha256").update(bytes).digest("hex") });
    channel.send(typeof data === "string" ? data : bytes);
  });
}

// Media: every m-line the peer offers is answered sendrecv, and every RTP packet received is sent back on
// it (werift gives it its own SSRC), so the peer sees its own media come back through another stack.
pc.onTransceiverAdded.subscribe((transceiver) => transceiver.setDirection("sendrecv"));
pc.ontrack = ({ track, transceiver }) => {
  let count = 0;
  track.onReceiveRtp.subscribe((rtp) => {
    count++;
    if (count === 1 || count % 25 === 0) out({ event: "rtp", kind: track.kind, count, pt: rtp.header.payloadType });
    transceiver.sender.sendRtp(rtp).catch(fail);
  });
};

pc.iceConnectionStateChange.subscribe((state) => out({ event: "ice", state }));
pc.connectionStateChange.subscribe((state) => out({ event: "connection", state }));
pc.onDataChannel.subscribe(watch);

async function gathered() {
  if (pc.iceGatheringState === "complete") return;
  await new Promise((resolve) => pc.iceGatheringStateChange.subscribe((s) => s === "complete" && resolve()));
}

async function onLine(line) {
  if (!line.trim()) return;
  const msg = JSON.parse(line);
  if (msg.type === "offer") {
    await pc.setRemoteDescription(msg);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered();
    out({ type: "answer", sdp: pc.localDescription.sdp });
  } else if (msg.type === "answer") {
    await pc.setRemoteDescription(msg);
  } else if (msg.cmd === "send") {
    const bytes = Buffer.alloc(msg.size);
    let x = msg.seed >>> 0 || 1;
    for (let i = 0; i < bytes.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; bytes[i] = x & 0xff; }
    channels.get(msg.label).send(bytes);
  } else if (msg.cmd === "close") {
    await pc.close();
    process.exit(0);
  }
}

const input = createInterface({ input: process.stdin });
let queue = Promise.resolve();
input.on("line", (line) => { queue = queue.then(() => onLine(line)).catch(fail); });
input.on("close", () => { pc.close().finally(() => process.exit(0)); });

if (role === "offer") {
  watch(pc.createDataChannel("werift"));
  (async () => {
    await pc.setLocalDescription(await pc.createOffer());
    await gathered();
    out({ type: "offer", sdp: pc.localDescription.sdp });
  })().catch(fail);
}
