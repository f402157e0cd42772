#!/usr/bin/python3
"""Requests to the central simulator for the contract test (tests/sh/test_contract.sh), with
the standard library only: what the kiosk never sends on its own.

  send.py admin URL CA PATH [JSON]            an unsigned /admin request; prints the status
  send.py signed URL CA SECRET DEVICE METHOD PATH_QUERY BODY [--times N] [--bad-signature]
                                              one request signed as offline/sign.c does (one
                                              request id), sent N times exactly as it is;
                                              prints each status
"""
import hashlib
import hmac
import http.client
import secrets
import ssl
import sys
import time
import urllib.parse


def connect(url, ca):
    u = urllib.parse.urlsplit(url)
    ctx = ssl.create_default_context(cafile=ca)
    return http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=20)


def exchange(url, ca, method, path, body, headers):
    """One request; returns (status, body bytes)."""
    c = connect(url, ca)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def request(url, ca, method, path, body, headers):
    return exchange(url, ca, method, path, body, headers)[0]


def sign_headers(key, device, method, path, data, ts_offset=0, bad=False):
    """The headers of offline/sign.c for one request (a fresh request id). ts_offset: seconds
    added to the timestamp, to follow a simulator whose clock was moved (clock_offset)."""
    ts = str(int(time.time()) + ts_offset)
    rid = secrets.token_hex(16)
    canon = "\n".join([method, path, ts, rid, hashlib.sha256(data).hexdigest()]).encode()
    sig = hmac.new(key, canon, hashlib.sha256).hexdigest()
    if bad:
        sig = ("1" if sig[0] == "0" else "0") + sig[1:]
    headers = {"X-Device-Id": device, "X-Timestamp": ts, "X-Request-Id": rid,
               "X-Signature": sig}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    return headers


def main(argv):
    if len(argv) >= 4 and argv[0] == "admin":
        url, ca, path = argv[1:4]
        body = argv[4].encode() if len(argv) > 4 else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        print(request(url, ca, "POST" if body is not None else "GET", path, body, headers))
        return 0
    if len(argv) >= 8 and argv[0] == "signed":
        url, ca, secret_file, device, method, path, body = argv[1:8]
        times, bad = 1, False
        rest = argv[8:]
        while rest:
            if rest[0] == "--times":
                times = int(rest[1])
                rest = rest[2:]
            elif rest[0] == "--bad-signature":
                bad = True
                rest = rest[1:]
            else:
                print(__doc__)
                return 2
        with open(secret_file, "rb") as f:
            key = f.read()
        data = body.encode()
        headers = sign_headers(key, device, method, path, data, bad=bad)
        for _ in range(times):
            print(request(url, ca, method, path, data if method == "POST" else None, headers))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
