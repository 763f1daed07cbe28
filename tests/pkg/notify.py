#!/usr/bin/env python3
"""notify.py ITSM_BIN — what `itsm serve` tells systemd (Type=notify): a
datagram socket stands in for systemd's NOTIFY_SOCKET; the server must send
READY=1 once it listens, RELOADING=1 then READY=1 around SIGHUP, STOPPING=1
on SIGTERM, and exit 0. Without NOTIFY_SOCKET nothing is sent, which every
other test shows by serving at all."""
import os
import signal
import socket
import subprocess
import sys
import tempfile

bin_ = sys.argv[1] if len(sys.argv) > 1 else "build/itsm"
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "notify.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(60)
    conf = os.path.join(d, "itsm.conf")
    with open(conf, "w") as f:
        f.write("[log]\nlevel = warn\n")
    env = dict(os.environ, NOTIFY_SOCKET=path)
    env.pop("ITSM_LOG", None)
    p = subprocess.Popen([bin_, "--db", os.path.join(d, "itsm.db"), "serve", "--config", conf,
                          "--listen", "127.0.0.1:0"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def expect(word):
        msg = s.recv(4096).decode()
        if word not in msg.split("\n"):
            p.kill()
            sys.exit(f"notify.py: expected {word}, got {msg!r}")
        return msg

    expect("READY=1")
    p.send_signal(signal.SIGHUP)
    msg = expect("RELOADING=1")
    if not any(line.startswith("MONOTONIC_USEC=") for line in msg.split("\n")):
        sys.exit(f"notify.py: RELOADING=1 without MONOTONIC_USEC: {msg!r}")
    expect("READY=1")
    p.send_signal(signal.SIGTERM)
    expect("STOPPING=1")
    _, err = p.communicate(timeout=60)
    if p.returncode != 0:
        sys.exit(f"notify.py: exit {p.returncode}: {err.decode()[-2000:]}")
print("notify.py: READY=1, RELOADING=1 + READY=1 on SIGHUP, STOPPING=1 on SIGTERM: ok")
