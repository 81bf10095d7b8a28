"""A real ICE peer for eddy's interop test: aioice (the ICE stack of aiortc), driven over stdin/stdout.

Protocol, one line each:
  out: UFRAG <u> / PWD <p> / CAND <sdp> / READY
  in:  UFRAG <u> / PWD <p> / CAND <sdp> / END        (then we connect)
  out: CONNECTED <remote ip> <remote port>           (after connect() returns)
  then every datagram received is sent back prefixed with b"echo:" and reported as ECHOED <n>
  in:  QUIT
"""
import asyncio
import sys

from aioice import Candidate, Connection, ice

# Keep the peer on loopback whatever interfaces the machine has.
ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main():
    controlling = sys.argv[1] == "controlling"
    conn = Connection(ice_controlling=controlling, use_ipv6=False)
    await conn.gather_candidates()
    say("UFRAG " + conn.local_username)
    say("PWD " + conn.local_password)
    for c in conn.local_candidates:
        say("CAND " + c.to_sdp())
    say("READY")
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line.startswith("UFRAG "):
            conn.remote_username = line[6:]
        elif line.startswith("PWD "):
            conn.remote_password = line[4:]
        elif line.startswith("CAND "):
            sdp = line[5:]
            if sdp.startswith("candidate:"):
                sdp = sdp[len("candidate:"):]
            await conn.add_remote_candidate(Candidate.from_sdp(sdp))
        elif line == "END" or not line:
            await conn.add_remote_candidate(None)
            break
    await asyncio.wait_for(conn.connect(), 20)
    pair = conn._nominated.get(1)
    say("CONNECTED %s %d" % (pair.remote_candidate.host, pair.remote_candidate.port))

    async def echo():
        while True:
            data = await conn.recv()
            await conn.send(b"echo:" + data)
            say("ECHOED %d" % len(data))

    task = asyncio.ensure_future(echo())
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "QUIT" or not line:
            break
    task.cancel()
    await conn.close()


asyncio.run(main())
