// The browser half of eddy's http-post example. Buttons for people; window.eddy for tests (Playwright
// calls these functions and reads the results).
'use strict';

const state = {
  stream: new MediaStream(),
  pc: null,
  channel: null,
  iceConnectionState: 'new',
  dtlsState: 'new',
  received: [],
};

function log(...parts) {
  const line = parts.map(p => typeof p === 'string' ? p : JSON.stringify(p)).join(' ');
  document.getElementById('log').textContent += line + '\n';
  console.log(line);
}

async function addTracks(constraints) {
  const media = await navigator.mediaDevices.getUserMedia(constraints);
  for (const track of media.getTracks()) {
    state.stream.addTrack(track);
    log('added', track.kind, 'track', track.label);
  }
  document.getElementById('local').srcObject = state.stream;
}

const addCam = (width = 640, height = 360) => addTracks({ video: { width, height } });
const addMic = () => addTracks({ audio: true });

function gatheringComplete(pc, timeoutMs) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise(resolve => {
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, timeoutMs);
  });
}

// Makes the offer (all local tracks sendonly, plus one data channel), POSTs it, applies the answer.
// With simulcast, video goes out as three layers (rids q, h, f: quarter, half and full resolution).
async function connect({ channelLabel = 'eddy', url = '/', simulcast = false } = {}) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  for (const track of state.stream.getTracks()) {
    const init = { direction: 'sendonly', streams: [state.stream] };
    if (simulcast && track.kind === 'video') {
      init.sendEncodings = [
        { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 },
        { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 },
        { rid: 'f', maxBitrate: 1500000 },
      ];
    }
    pc.addTransceiver(track, init);
  }
  const channel = pc.createDataChannel(channelLabel);
  channel.binaryType = 'arraybuffer';
  channel.onmessage = e => {
    // the chat server renegotiates over the channel (an offer as JSON text): answer it the same way
    if (typeof e.data === 'string' && e.data.startsWith('{"type":"offer"')) {
      renegotiate(pc, channel, JSON.parse(e.data)).catch(err => log('renegotiation failed:', err.message));
      return;
    }
    state.received.push(e.data);
  };
  pc.ontrack = ({ track, streams, transceiver }) => showTrack(track, streams, transceiver);
  channel.onopen = () => log('channel', channelLabel, 'open');
  state.channel = channel;
  pc.oniceconnectionstatechange = () => {
    state.iceConnectionState = pc.iceConnectionState;
    log('ice', pc.iceConnectionState);
  };
  pc.onconnectionstatechange = () => log('connection', pc.connectionState);

  await pc.setLocalDescription(await pc.createOffer());
  await gatheringComplete(pc, 3000); // http-post is not trickle: the offer carries every candidate
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: pc.localDescription.type, sdp: pc.localDescription.sdp }),
  });
  if (!response.ok) {
    const why = await response.text();
    log('server refused the offer:', why);
    throw new Error(why);
  }
  const answer = await response.json();
  await pc.setRemoteDescription(answer);
  const transport = pc.sctp && pc.sctp.transport;
  if (transport) {
    transport.onstatechange = () => { state.dtlsState = transport.state; log('dtls', transport.state); };
  }
  log('answer applied');
}

// Renders what eddy sends, so Chromium decodes it like a real page would: one picture per track, however
// often a renegotiation announces it again.
const pictures = new Map();
function showTrack(track, streams, transceiver) {
  if (pictures.has(track.id)) return;
  const video = document.createElement('video');
  pictures.set(track.id, video);
  video.muted = true;
  video.autoplay = true;
  video.srcObject = streams && streams[0] ? streams[0] : new MediaStream([track]);
  document.body.appendChild(video);
  log('track', track.kind, 'from eddy on mid', transceiver && transceiver.mid, track.id);
  // the chat server stops the m-line of a member who left: its track ends, and its picture goes away
  track.addEventListener('ended', () => { video.remove(); pictures.delete(track.id); log('track', track.kind, 'ended'); });
}

// A new offer from the server mid-call (a chat member joined or left): answer on the same channel.
async function renegotiate(pc, channel, offer) {
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  channel.send(JSON.stringify({ type: 'answer', sdp: pc.localDescription.sdp }));
  log('renegotiated:', pc.getTransceivers().length, 'transceivers');
}

// The other way round (eddy offers): applies the offer, answers, and echoes every message on the
// data channel eddy opens. Returns the answer as {type, sdp}.
async function acceptOffer(offer) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  state.pc = pc;
  pc.oniceconnectionstatechange = () => {
    state.iceConnectionState = pc.iceConnectionState;
    log('ice', pc.iceConnectionState);
  };
  pc.ontrack = ({ track, streams, transceiver }) => showTrack(track, streams, transceiver);
  pc.ondatachannel = ({ channel }) => {
    channel.binaryType = 'arraybuffer';
    state.channel = channel;
    channel.onopen = () => log('channel', channel.label, 'open (opened by the peer)');
    channel.onmessage = e => { state.received.push(e.data); channel.send(e.data); };
  };
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await gatheringComplete(pc, 3000);
  const transport = pc.sctp && pc.sctp.transport;
  if (transport) {
    transport.onstatechange = () => { state.dtlsState = transport.state; log('dtls', transport.state); };
  }
  log('offer accepted');
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}

function waitFor(predicate, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      if (predicate()) return resolve();
      if (performance.now() - started > timeoutMs) return reject(new Error('timed out waiting for ' + what));
      setTimeout(poll, 20);
    };
    poll();
  });
}

const waitChannelOpen = (timeoutMs = 10000) =>
  waitFor(() => state.channel && state.channel.readyState === 'open', timeoutMs, 'the data channel to open');

// Sends one binary message of each size (deterministic content) and checks each echo byte for byte.
async function echo(sizes, timeoutMs = 10000) {
  const results = [];
  for (const size of sizes) {
    const message = new Uint8Array(size);
    for (let i = 0; i < size; i++) message[i] = (i * 31 + size) & 0xff;
    const before = state.received.length;
    state.channel.send(message);
    await waitFor(() => state.received.length > before, timeoutMs, 'the echo of ' + size + ' bytes');
    const got = new Uint8Array(state.received[before]);
    const intact = got.length === size && got.every((b, i) => b === message[i]);
    results.push({ size, receivedSize: got.length, intact });
  }
  return results;
}

// The ICE pair Chromium selected (it pairs its non-loopback addresses too, so tests check this).
async function selectedPair() {
  const stats = await state.pc.getStats();
  let pairId = null;
  stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
  if (!pairId) return null;
  const pair = stats.get(pairId);
  const local = stats.get(pair.localCandidateId);
  const remote = stats.get(pair.remoteCandidateId);
  return {
    state: pair.state,
    local: local.address + ':' + local.port,
    remote: remote.address + ':' + remote.port,
    protocol: local.protocol,
    localType: local.candidateType,
    remoteType: remote.candidateType,
    bytesSent: pair.bytesSent,
  };
}

// What Chromium received on its video m-lines (inbound-rtp statistics): frames, keyframes, loss, codec.
async function videoStats() {
  const stats = await state.pc.getStats();
  const out = { framesReceived: 0, framesDecoded: 0, keyFramesDecoded: 0, packetsReceived: 0, packetsLost: 0, codec: null };
  stats.forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.framesReceived += s.framesReceived || 0;
      out.framesDecoded += s.framesDecoded || 0;
      out.keyFramesDecoded += s.keyFramesDecoded || 0;
      out.packetsReceived += s.packetsReceived || 0;
      out.packetsLost += s.packetsLost || 0;
      if (s.codecId && stats.get(s.codecId)) out.codec = stats.get(s.codecId).mimeType;
    }
  });
  return out;
}

// Chromium's own send-side bandwidth estimate (candidate-pair availableOutgoingBitrate), in bits per second.
async function outgoingEstimate() {
  const stats = await state.pc.getStats();
  let best = 0;
  stats.forEach(s => {
    if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) best = Math.max(best, s.availableOutgoingBitrate);
  });
  return best;
}

window.eddy = { addCam, addMic, connect, acceptOffer, waitChannelOpen, echo, selectedPair, videoStats, outgoingEstimate, state };

document.getElementById('cam').onclick = () => addCam().catch(e => log('camera failed:', e.message));
document.getElementById('mic').onclick = () => addMic().catch(e => log('microphone failed:', e.message));
document.getElementById('rtc').onclick = () => connect().catch(e => log('connect failed:', e.message));
