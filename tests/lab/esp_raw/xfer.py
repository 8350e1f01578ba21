#!/usr/bin/env python3
"""TCP transfer with a content check, for the ESP namespace test.

  xfer.py recv BIND_ADDR PORT          accept one connection, print "<bytes> <sha256>"
  xfer.py send DST PORT SRC MBYTES     send MBYTES of pseudo-random data, print the same

Both ends print the same line when every byte arrived intact and in order.
"""
import hashlib
import random
import socket
import sys


def main():
    if sys.argv[1] == "recv":
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((sys.argv[2], int(sys.argv[3])))
        srv.listen(1)
        srv.settimeout(30)
        conn, _ = srv.accept()
        conn.settimeout(30)
        h, n = hashlib.sha256(), 0
        while True:
            b = conn.recv(1 << 20)
            if not b:
                break
            h.update(b)
            n += len(b)
        print(n, h.hexdigest())
    else:
        dst, port, src, mb = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        rnd = random.Random(12345)
        s = socket.create_connection((dst, port), timeout=30, source_address=(src, 0))
        h, n = hashlib.sha256(), 0
        for _ in range(mb * 4):
            # odd sizes, so segments and merges fall on every boundary
            b = rnd.randbytes(262144 - rnd.randrange(0, 3000))
            s.sendall(b)
            h.update(b)
            n += len(b)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
        s.close()
        print(n, h.hexdigest())


main()
