#!/usr/bin/python3
"""The account services against the central simulator (docs/account-services.md), for the
contract test (tests/sh/test_contract.sh): every route with signed requests (send.py's
signing), the one-time code's rules (3 wrong codes lock the session, a resend too soon, the
4th send refused, a code expired by moving the simulator's clock), the token, products,
statements, certificates whose Ed25519 signature verifies under the test's public key (and
the two certificate faults that must not), history with a kiosk coupon, registration
matching and not, and the events contact.updated (applied once) and coupon.email_requested.
The simulator runs with --record, so validate.py then checks every exchange against the
OpenAPI schema.

  account.py URL CA SECRET DEVICE CERT_PUB.pem

Uses the demo accounts (assets/demo/accounts.json). Prints "N passed, N failed".
"""
import base64
import json
import sys
import time
import uuid

sys.path.insert(0, __import__("os").path.dirname(__file__))
import send  # noqa: E402

from cryptography.hazmat.primitives.serialization import load_pem_public_key  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402

DEMO = {"id_type": "CC", "id_number": "1020304050"}      # account, image 3 + phrase
PLAIN = {"id_type": "CE", "id_number": "456789"}          # account, no image/phrase
NEW = {"id_type": "CC", "id_number": "52123456"}          # no account: registers
NEW_PHONE, NEW_EMAIL = "3209876543", "luz.cardenas@correo.com"


class Run:
    def __init__(self, url, ca, secret, device, pub):
        self.url, self.ca, self.device = url, ca, device
        with open(secret, "rb") as f:
            self.key = f.read()
        with open(pub, "rb") as f:
            self.pub = load_pem_public_key(f.read())
        self.offset = 0
        self.passed = self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what)
        return cond

    def post(self, path, obj):
        data = json.dumps(obj).encode() if not isinstance(obj, bytes) else obj
        h = send.sign_headers(self.key, self.device, "POST", path, data, self.offset)
        st, body = send.exchange(self.url, self.ca, "POST", path, data, h)
        try:
            j = json.loads(body) if body else None
        except ValueError:
            j = None
        return st, j

    def admin(self, path, obj=None):
        data = json.dumps(obj).encode() if obj is not None else None
        hdr = {"Content-Type": "application/json"} if data is not None else {}
        st, body = send.exchange(self.url, self.ca, "POST" if data is not None else "GET",
                                 path, data, hdr)
        return st, (json.loads(body) if body else None)

    def clock(self, seconds):
        st, _ = self.admin("/admin/faults", {"clock_offset": seconds})
        self.check(st == 200, "clock_offset %d" % seconds)
        self.offset = seconds

    def expect(self, path, obj, status, error=None, what=""):
        st, j = self.post(path, obj)
        ok = st == status and (error is None or (j or {}).get("error") == error)
        self.check(ok, "%s %s: %s %s, want %s %s" % (path, what, st, j, status, error or ""))
        return j or {}

    def last_code(self):
        st, j = self.admin("/admin/otp")
        self.check(st == 200 and len(j["code"]) == 6, "GET /admin/otp: %s %s" % (st, j))
        return j


def send_code(r, who, session, channel="sms", status=200, error=None):
    return r.expect("/v1/otp/send", dict(who, session=session, channel=channel), status, error,
                    "send")


def session():
    return str(uuid.uuid4())


def verify(r, who, sess, code, status, error=None):
    return r.expect("/v1/otp/verify", dict(who, session=sess, code=code), status, error, "verify")


def other(code):
    return "%06d" % ((int(code) + 1) % 1000000)


def lookups(r):
    j = r.expect("/v1/account/lookup", DEMO, 200)
    r.check(j.get("account") is True and j.get("image") == 3 and j.get("phrase"),
            "lookup: the demo customer's image and phrase")
    r.check(j.get("channels") == {"sms": "*** *** 4567", "email": "m****@correo.com"},
            "lookup: masked channels %s" % j.get("channels"))
    j = r.expect("/v1/account/lookup", PLAIN, 200)
    r.check(j.get("image") is None and j.get("phrase") is None, "lookup: no image/phrase")
    j = r.expect("/v1/account/lookup", NEW, 200)
    r.check(j == {"account": False}, "lookup: no account %s" % j)
    r.expect("/v1/account/lookup", {"id_type": "CC", "id_number": "11111111"}, 404, "not_found")
    r.expect("/v1/account/lookup", {"id_type": "XX", "id_number": "1"}, 400, "bad_request")
    r.expect("/v1/account/lookup", b"not json", 400, "bad_request")


def otp_rules(r):
    # three wrong codes lock the session; its code is dead
    s1 = session()
    j = send_code(r, DEMO, s1)
    r.check(j.get("sent_to") == "*** *** 4567" and j.get("expires_in") == 300 and
            j.get("resend_after") == 60 and j.get("sends_left") == 2, "send: %s" % j)
    last = r.last_code()
    r.check(last["channel"] == "sms" and last["sent_to"] == "*** *** 4567", "admin otp %s" % last)
    code = last["code"]
    j = send_code(r, DEMO, s1, status=409, error="too_soon")
    r.check(isinstance(j.get("retry_in"), int) and 0 < j["retry_in"] <= 60, "retry_in %s" % j)
    r.check(verify(r, DEMO, s1, other(code), 403, "wrong_code").get("tries_left") == 2, "tries 2")
    r.check(verify(r, DEMO, s1, other(code), 403, "wrong_code").get("tries_left") == 1, "tries 1")
    verify(r, DEMO, s1, other(code), 403, "locked")
    verify(r, DEMO, s1, code, 403, "locked")
    send_code(r, DEMO, s1, status=403, error="locked")
    # three sends per session, 60 s apart; the 4th is refused
    s3 = session()
    send_code(r, DEMO, s3, "email")
    r.check(r.last_code()["sent_to"] == "m****@correo.com", "admin otp: e-mail masked")
    r.clock(61)
    r.check(send_code(r, DEMO, s3).get("sends_left") == 1, "second send")
    r.clock(122)
    r.check(send_code(r, DEMO, s3).get("sends_left") == 0, "third send")
    r.clock(183)
    send_code(r, DEMO, s3, status=429, error="too_many_sends")
    r.clock(0)
    # a code older than 5 minutes
    s4 = session()
    send_code(r, DEMO, s4)
    code = r.last_code()["code"]
    r.clock(301)
    verify(r, DEMO, s4, code, 403, "expired")
    r.clock(0)
    verify(r, DEMO, session(), "123456", 403, "expired")  # never sent
    r.expect("/v1/otp/send", dict(NEW, session=session(), channel="sms"), 404, "not_found")
    r.expect("/v1/otp/send", dict(DEMO, session="not-a-uuid", channel="sms"), 400, "bad_request")


def login(r, who):
    s = session()
    send_code(r, who, s)
    j = verify(r, who, s, r.last_code()["code"], 200)
    tok = j.get("token", "")
    r.check(len(tok) == 64 and j.get("expires_in") == 900, "token %s" % j)
    verify(r, who, s, "000000", 403, "expired")  # a code opens one session only
    return tok


def verify_cert(r, cert, who):
    """1 when the certificate verifies and its payload equals its fields."""
    p = cert["payload"]
    try:
        r.pub.verify(base64.b64decode(cert["signature"], validate=True), p.encode())
    except (InvalidSignature, ValueError):
        return 0
    f = dict(x.split("=", 1) for x in p.split("|")[1:])
    kind = "P" if cert["kind"] == "paid_up" else "D"
    return int(p.startswith("RCC1|") and f["K"] == kind and f["I"] == cert["certificate_id"] and
               f["P"] == cert["product"] and f["C"] == cert["currency"] and
               f["B"] == str(cert["balance"]) and f["D"] == cert["issued"].replace("-", "") and
               f["T"] == who["id_type"] and f["N"] == who["id_number"][-4:])


def services(r):
    tok = login(r, DEMO)
    r.expect("/v1/account/products", {"token": "0" * 64}, 401, "bad_token")
    r.expect("/v1/account/statement", {"token": "0" * 64, "product": "CR-100245",
                                       "month": "2026-01", "email": False}, 401, "bad_token")
    j = r.expect("/v1/account/products", {"token": tok}, 200)
    prods = {p["id"]: p for p in j.get("products", [])}
    r.check(prods.get("CR-100311", {}).get("balance") == 0 and "CR-100245" in prods,
            "products %s" % list(prods))
    now = time.gmtime(time.time() - 5 * 3600)
    month = "%04d-%02d" % (now.tm_year, now.tm_mon)
    old = "%04d-%02d" % (now.tm_year - 1, now.tm_mon)
    j = r.expect("/v1/account/statement", {"token": tok, "product": "CR-100245", "month": month,
                                           "email": False}, 200)
    mv = j.get("movements", [])
    r.check(j.get("closing") == prods["CR-100245"]["balance"] and len(mv) == 2 and
            mv[-1]["balance"] == j["closing"] and
            j["opening"] + sum(m["amount"] for m in mv) == j["closing"], "statement %s" % j)
    r.expect("/v1/account/statement", {"token": tok, "product": "CR-100245", "month": old,
                                       "email": False}, 404, "not_found", "13 months ago")
    r.expect("/v1/account/statement", {"token": tok, "product": "XX-1", "month": month,
                                       "email": False}, 404, "not_found", "no such product")
    j = r.expect("/v1/account/statement", {"token": tok, "product": "CR-100245", "month": month,
                                           "email": True}, 200)
    r.check(j == {"sent_to": "m****@correo.com"}, "statement by e-mail %s" % j)
    # certificates: paid up and debt verify; the two faults do not
    c = r.expect("/v1/account/certificate", {"token": tok, "product": "CR-100311"}, 200)
    r.check(c.get("kind") == "paid_up" and "|K=P|" in c.get("payload", "") and
            verify_cert(r, c, DEMO), "paid-up certificate verifies %s" % c)
    c = r.expect("/v1/account/certificate", {"token": tok, "product": "CR-100245"}, 200)
    r.check(c.get("kind") == "debt" and verify_cert(r, c, DEMO), "debt certificate verifies")
    r.expect("/v1/account/certificate", {"token": tok, "product": "XX-1"}, 404, "not_found")
    r.admin("/admin/faults", {"cert_bad_signature": 1})
    c = r.expect("/v1/account/certificate", {"token": tok, "product": "CR-100245"}, 200)
    r.check(not verify_cert(r, c, DEMO), "cert_bad_signature: must not verify")
    r.admin("/admin/faults", {"reset": True, "cert_bad_field": 1})
    c = r.expect("/v1/account/certificate", {"token": tok, "product": "CR-100245"}, 200)
    r.check(not verify_cert(r, c, DEMO), "cert_bad_field: must not match")
    r.pub.verify(base64.b64decode(c["signature"]), c["payload"].encode())  # still signed
    r.admin("/admin/faults", {"reset": True})
    # history: newest first, the kiosk coupon sent below among them
    j = r.expect("/v1/account/history", {"token": tok}, 200)
    pays = j.get("payments", [])
    r.check(pays and [p["date"] for p in pays] == sorted((p["date"] for p in pays), reverse=True),
            "history newest first")
    r.check(any(p["channel"] == "kiosk" and p["reference"] == REF for p in pays),
            "history: the kiosk coupon")
    # security image and phrase
    r.expect("/v1/account/security", {"token": tok, "image": 5, "phrase": "Árbol de mañana ¿sí?"},
             200)
    j = r.expect("/v1/account/lookup", DEMO, 200)
    r.check(j.get("image") == 5 and j.get("phrase") == "Árbol de mañana ¿sí?", "security changed")
    r.expect("/v1/account/security", {"token": tok, "image": 5, "phrase": "<b>"}, 400, "bad_phrase")
    r.expect("/v1/account/security", {"token": tok, "image": 16, "phrase": "Hola mundo"}, 400,
             "bad_request")
    r.expect("/v1/account/security", {"token": "x", "image": 1, "phrase": "Hola mundo"}, 401,
             "bad_token")
    r.expect("/v1/account/history", {"token": "x"}, 401, "bad_token")
    r.expect("/v1/account/certificate", {"token": "x", "product": "CR-100245"}, 401, "bad_token")


def register(r):
    reg = "/v1/account/register"
    r.expect(reg, dict(NEW, email="otra@correo.com", phone=NEW_PHONE), 409, "mismatch", "e-mail")
    r.expect(reg, dict(NEW, email=NEW_EMAIL, phone="3000000000"), 409, "mismatch", "phone")
    r.expect(reg, dict(NEW, email="no-at", phone=NEW_PHONE), 400, "bad_request")
    r.expect(reg, dict(PLAIN, email="carlos.mendoza@correo.com", phone="3157654321"), 409,
             "already_registered")
    r.expect(reg, {"id_type": "CC", "id_number": "11111111", "email": NEW_EMAIL,
                   "phone": NEW_PHONE}, 404, "not_found")
    j = r.expect(reg, dict(NEW, email=NEW_EMAIL.upper(), phone=NEW_PHONE), 200)
    r.check(j == {"account": True, "image": None, "phrase": None,
                  "channels": {"sms": "*** *** 6543", "email": "l****@correo.com"}},
            "registered %s" % j)
    r.expect(reg, dict(NEW, email=NEW_EMAIL, phone=NEW_PHONE), 409, "already_registered")
    login(r, NEW)


def luhn_ref(kiosk, seq, length=12):
    body = "%04d%0*d" % (kiosk, length - 5, seq)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


SEQ = 900001
REF = luhn_ref(1, SEQ)


def events(r, kiosk):
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    due = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 5 * 86400))

    def batch(*evs):
        st, j = r.post("/v1/events", {"events": list(evs)})
        r.check(st == 200, "events: %s %s" % (st, j))
        return [x["status"] for x in (j or {}).get("results", [])]

    def ev(kind, payload, key=None):
        return {"key": key or str(uuid.uuid4()), "seq": 1, "type": kind, "at": at,
                "payload": payload}

    coupon = ev("coupon.issued", {
        "kiosk_id": kiosk, "seq": SEQ, "reference": REF, "kind": "coupon",
        "id_type": DEMO["id_type"], "id_number": DEMO["id_number"], "amount_minor": 98500000,
        "currency": "COP", "due": due, "issued_at": at, "trm": None,
        "lines": [{"doc": "CR-100245", "pay_minor": 98500000, "currency": "COP",
                   "cop_minor": 98500000}]})
    contact = ev("contact.updated", dict(DEMO, phone="3109998877", email=None,
                                         address="Calle 45 # 12-30, Bogotá", verified_at=at))
    mail = ev("coupon.email_requested", {"kiosk_id": kiosk, "seq": SEQ, "reference": REF,
                                         "email": "maria.nunez@correo.com", "lang": "es"})
    r.check(batch(coupon, contact, mail) == ["accepted"] * 3, "the three events accepted")
    r.check(batch(contact, mail) == ["duplicate"] * 2, "sent again: duplicates")
    bad = [ev("contact.updated", dict(DEMO, phone="123", email=None, address=None,
                                      verified_at=at)),
           ev("contact.updated", dict(DEMO, phone=None, email=None, address=None,
                                      verified_at=at)),
           ev("contact.updated", {"id_type": "CC", "id_number": "11111111",
                                  "phone": "3109998877", "verified_at": at}),
           ev("coupon.email_requested", {"kiosk_id": kiosk, "seq": SEQ, "reference": "000100000",
                                         "email": "a@b.co", "lang": "es"}),
           ev("coupon.email_requested", {"kiosk_id": kiosk, "seq": SEQ, "reference": REF,
                                         "email": "a@b.co", "lang": "fr"})]
    r.check(batch(*bad) == ["rejected"] * len(bad), "bad account events rejected")
    st, j = r.admin("/admin/account")
    cust = {(c["id_type"], c["id_number"]): c for c in (j or {}).get("customers", [])}
    d = cust.get((DEMO["id_type"], DEMO["id_number"]), {})
    r.check(d.get("contact_updates") == 1 and d.get("sms") == "*** *** 8877" and d.get("address"),
            "contact applied once %s" % d)
    mails = [m for m in (j or {}).get("coupon_emails", []) if m["reference"] == REF]
    r.check(len(mails) == 1 and mails[0]["count"] == 1, "coupon e-mail recorded once %s" % mails)
    j = r.expect("/v1/account/lookup", DEMO, 200)
    r.check(j.get("channels", {}).get("sms") == "*** *** 8877", "lookup: the new phone, masked")


def main(argv):
    if len(argv) != 5:
        print(__doc__)
        return 2
    r = Run(*argv)
    lookups(r)
    otp_rules(r)
    events(r, 1)
    services(r)
    register(r)
    st, j = r.admin("/admin/account")
    r.check(st == 200 and j["otp"]["locked"] >= 1 and j["otp"]["verified"] >= 2,
            "admin account otp counters %s" % (j or {}).get("otp"))
    print("%d passed, %d failed" % (r.passed, r.failed))
    return 0 if r.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
