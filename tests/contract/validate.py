#!/usr/bin/python3
"""Validates recorded central API exchanges against docs/api/openapi.yaml (OpenAPI 3.1, its
schemas JSON Schema 2020-12), with Debian's python3-jsonschema and python3-yaml.

  validate.py [--spec FILE] [--expect "METHOD PATH STATUS"]... [--min N] RECORD.jsonl...
      (--expect: at least one such exchange was recorded; each word may be a glob: "* * 502")
  validate.py [--spec FILE] --self-check RECORD.jsonl...

A record is one JSON line written by `central-sim --record FILE`: method, path (no query),
status, request and response (both bodies as text) and fault (a body fault changed the
answer). For each record: the route and method must be in the contract; the request body
must match the operation's requestBody schema (and be empty when there is none); the status
must be declared for the operation (or covered by `default`); the response body must match
that response's application/json schema (not checked when fault is true: the simulator broke
it on purpose). Every failure is printed; the last line is "N passed, N failed".

--self-check proves the validator can fail: it takes recorded bodies that pass, breaks each
in one way the contract forbids (a wrong type inside an event's payload, a number as a
string, a missing field, an undeclared route...) and checks every broken one is refused,
and that the bodies the kiosk really sends in edge cases (trm null, data_as_of null) pass;
when the recording has the account services, also their bodies (contact data unmasked, a
certificate out of shape, the two account events broken) and their valid variants.
"""
import copy
import fnmatch
import json
import sys

import jsonschema
import yaml

SPEC = "docs/api/openapi.yaml"


class Contract:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.spec = yaml.safe_load(f)
        if not str(self.spec.get("openapi", "")).startswith("3.1"):
            raise SystemExit(f"{path}: not OpenAPI 3.1")
        self.resolver = jsonschema.RefResolver("", self.spec)
        self.format_checker = jsonschema.Draft202012Validator.FORMAT_CHECKER

    def deref(self, obj):
        while isinstance(obj, dict) and "$ref" in obj and len(obj) == 1:
            _, obj = self.resolver.resolve(obj["$ref"])
        return obj

    def errors(self, schema, value):
        v = jsonschema.Draft202012Validator(schema, resolver=self.resolver,
                                            format_checker=self.format_checker)
        return sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path))

    def operation(self, method, path):
        item = self.spec.get("paths", {}).get(path)
        if item is None:
            return None
        return item.get(method.lower())

    def check(self, rec):
        """The list of problems with one record (empty: it matches the contract)."""
        where = f'{rec.get("method")} {rec.get("path")} {rec.get("status")}'
        op = self.operation(rec.get("method", ""), rec.get("path", ""))
        if op is None:
            return [f"{where}: the route is not in the contract"]
        problems = []
        req = rec.get("request", "")
        body = op.get("requestBody")
        if body is not None:
            body = self.deref(body)
            schema = body["content"]["application/json"]["schema"]
            try:
                value = json.loads(req)
            except ValueError as e:
                value = None
                if rec.get("status") != 400:  # a 400 is the answer to a body that is not JSON
                    problems.append(f"{where}: request: not JSON ({e})")
            if value is not None and rec.get("status") != 400:
                for e in self.errors(schema, value):
                    problems.append("%s: request %s: %s" % ((where,) + describe(e)))
        elif req:
            problems.append(f"{where}: request: a body where the contract has none")
        responses = op.get("responses", {})
        resp = responses.get(str(rec.get("status"))) or responses.get("default")
        if resp is None:
            problems.append(f"{where}: status not declared for the route")
            return problems
        resp = self.deref(resp)
        content = resp.get("content", {}).get("application/json")
        if rec.get("fault"):
            return problems
        if content is None:
            if rec.get("response"):
                problems.append(f"{where}: response: a JSON body where the contract has none")
            return problems
        try:
            value = json.loads(rec.get("response", ""))
        except ValueError as e:
            return problems + [f"{where}: response: not JSON ({e})"]
        for e in self.errors(content["schema"], value):
            problems.append("%s: response %s: %s" % ((where,) + describe(e)))
        return problems


def pointer(e):
    """Where and why, from the deepest error of a oneOf (not the whole body, which may hold a
    customer's data)."""
    return "/" + "/".join(str(p) for p in e.absolute_path)


def describe(e):
    while e.context:  # a oneOf/anyOf: the branch error that got deepest into the body
        e = max(e.context, key=lambda x: len(list(x.absolute_path)))
    msg = e.message if len(e.message) <= 160 else e.message[:160] + "…"
    return pointer(e), msg


def load(paths):
    records = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except ValueError as e:
                        raise SystemExit(f"{p}:{n}: not a record: {e}")
    return records


def validate(c, records, expects, minimum):
    passed = failed = 0
    seen = {}
    for rec in records:
        problems = c.check(rec)
        key = f'{rec.get("method")} {rec.get("path")} {rec.get("status")}'
        seen[key] = seen.get(key, 0) + 1
        if problems:
            failed += 1
            for p in problems[:5]:
                print("FAIL", p)
        else:
            passed += 1
    for key in sorted(seen):
        print(f"  {seen[key]:5d}  {key}")
    for want in expects:
        pattern = want.split()
        if any(len(k.split()) == len(pattern) and
               all(fnmatch.fnmatchcase(a, b) for a, b in zip(k.split(), pattern)) for k in seen):
            passed += 1
        else:
            failed += 1
            print(f"FAIL expected at least one exchange {want}, none recorded")
    if len(records) < minimum:
        failed += 1
        print(f"FAIL {len(records)} exchanges recorded, want at least {minimum}")
    return passed, failed


def first(records, method, path, status):
    for r in records:
        if r.get("method") == method and r.get("path") == path and r.get("status") == status \
                and not r.get("fault"):
            return r
    raise SystemExit(f"self-check: no clean {method} {path} {status} in the recording")


def self_check(c, records):
    """Bodies broken on purpose must be refused; the kiosk's edge cases must pass."""
    ev = first(records, "POST", "/v1/events", 200)
    hb = first(records, "POST", "/v1/heartbeat", 200)
    debts = first(records, "GET", "/v1/debts", 200)
    events = json.loads(ev["request"])
    coupon = next(e for e in events["events"] if e["type"] == "coupon.issued")

    def with_request(rec, value):
        r = dict(rec)
        r["request"] = json.dumps(value)
        return r

    def with_response(rec, value):
        r = dict(rec)
        r["response"] = json.dumps(value)
        return r

    def event_batch(mutate):
        e = copy.deepcopy(coupon)
        mutate(e)
        return with_request(ev, {"events": [e]})

    HEAD = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    def maint_event(mutate):
        p = {"action": "pin.wrong", "result": "refused", "detail": "tries_left=4",
             "at": "2026-11-22T12:00:00Z", "audit_seq": 3, "hash": HEAD}
        mutate(p)
        return {"key": coupon["key"], "seq": 1, "type": "maintenance.action",
                "at": "2026-11-22T12:00:00Z", "payload": p}

    bad = {
        "payload.amount_minor as a string": event_batch(
            lambda e: e["payload"].__setitem__("amount_minor", str(e["payload"]["amount_minor"]))),
        "payload without its lines": event_batch(lambda e: e["payload"].pop("lines")),
        "payload.currency USD": event_batch(lambda e: e["payload"].__setitem__("currency", "USD")),
        "payload.trm an empty object": event_batch(lambda e: e["payload"].__setitem__("trm", {})),
        "payload.lines[0].pay_minor negative": event_batch(
            lambda e: e["payload"]["lines"][0].__setitem__("pay_minor", -1)),
        "event key not a UUID": event_batch(lambda e: e.__setitem__("key", "42")),
        "event at without an offset": event_batch(lambda e: e.__setitem__("at", "2026-11-22T10:00:00")),
        "an empty batch": with_request(ev, {"events": []}),
        "heartbeat queue_depth as a string": with_request(
            hb, dict(json.loads(hb["request"]), queue_depth="3")),
        "heartbeat without its version": with_request(
            hb, {k: v for k, v in json.loads(hb["request"]).items() if k != "version"}),
        "heartbeat answer ok false": with_response(hb, dict(json.loads(hb["response"]), ok=False)),
        "heartbeat printer_job not a known outcome": with_request(
            hb, dict(json.loads(hb["request"]), printer_job="paper_out")),
        "heartbeat printer_detail a number": with_request(
            hb, dict(json.loads(hb["request"]), printer_detail=3)),
        "heartbeat audit_head not 64 lowercase hex": with_request(
            hb, dict(json.loads(hb["request"]), audit_head="9F86D081")),
        "heartbeat update in an unknown state": with_request(hb, dict(json.loads(hb["request"]), update={
            "state": "installing", "version": "1.4.0", "since": 1795359600, "money_events": 1})),
        "heartbeat update with negative money_events": with_request(hb, dict(json.loads(hb["request"]), update={
            "state": "waiting", "version": "1.4.0", "since": 1795359600, "money_events": -1})),
        "heartbeat update version of 33 characters": with_request(hb, dict(json.loads(hb["request"]), update={
            "state": "waiting", "version": "1" * 33, "since": 1795359600, "money_events": 1})),
        "heartbeat update without its since": with_request(hb, dict(json.loads(hb["request"]), update={
            "state": "waiting", "version": "1.4.0", "money_events": 1})),
        "maintenance.action without its hash": with_request(ev, {"events": [maint_event(
            lambda p: p.pop("hash"))]}),
        "maintenance.action with a name in detail": with_request(ev, {"events": [maint_event(
            lambda p: p.__setitem__("detail", "José Pérez"))]}),
        "debts answer without as_of": with_response(
            debts, {k: v for k, v in json.loads(debts["response"]).items() if k != "as_of"}),
        "debts answer with a decimal balance": with_response(debts, (lambda d: (
            d["documents"][0].__setitem__("balance", 1.5) if d["documents"] else d.__setitem__("as_of", 1),
            d)[1])(json.loads(debts["response"]))),
        "events answer status ok": with_response(
            ev, {"results": [{"key": coupon["key"], "status": "ok"}]}),
        "an undeclared route": dict(hb, path="/v1/heartbeats"),
        "a 409 answer that is not JSON": dict(hb, status=409, response="<html>replayed</html>"),
        "a GET with a body": dict(debts, request="{}"),
    }
    good = {
        "coupon.issued with trm null": event_batch(lambda e: e["payload"].__setitem__("trm", None)),
        "coupon.issued with a trm": event_batch(lambda e: e["payload"].__setitem__(
            "trm", {"cop_per_usd": "4012.35", "valid_from": "2026-11-22", "valid_to": "2026-11-22"})),
        "an event of an unknown type (answered rejected)": with_request(ev, {"events": [
            {"key": coupon["key"], "seq": 1, "type": "test.unknown", "at": coupon["at"],
             "payload": {"test": True}}]}),
        "heartbeat with the audit chain's head": with_request(hb, dict(
            json.loads(hb["request"]), audit_head=HEAD)),
        "heartbeat with an update held back": with_request(hb, dict(json.loads(hb["request"]), update={
            "state": "waiting", "version": "1.4.0", "since": 1795359600, "money_events": 2})),
        "a maintenance.action event": with_request(ev, {"events": [maint_event(lambda p: None)]}),
        "heartbeat data_as_of null": with_request(hb, dict(json.loads(hb["request"]), data_as_of=None)),
        "heartbeat of a job cut short": with_request(hb, dict(
            json.loads(hb["request"]), printer="paper_out", printer_job="incomplete",
            printer_detail="paper near end; paper end")),
        "heartbeat without the printer's job and detail": with_request(
            hb, {k: v for k, v in json.loads(hb["request"]).items()
                 if k not in ("printer_job", "printer_detail")}),
        "heartbeat without data_as_of": with_request(
            hb, {k: v for k, v in json.loads(hb["request"]).items() if k != "data_as_of"}),
        "a 502 from a proxy": dict(hb, status=502, response='{"error":"unavailable"}'),
        "a 504 from a proxy": dict(hb, status=504, response='{"error":"unavailable"}'),
        "an undeclared status (default)": dict(hb, status=418, response='{"error":"teapot"}'),
    }
    account_cases(records, bad, good, with_request, with_response, coupon)
    passed = failed = 0
    for name, rec in bad.items():
        problems = c.check(rec)
        if problems:
            passed += 1
            print(f"ok   refused: {name} ({problems[0]})")
        else:
            failed += 1
            print(f"FAIL accepted a broken body: {name}")
    for name, rec in good.items():
        problems = c.check(rec)
        if problems:
            failed += 1
            print(f"FAIL refused a valid body: {name}: {problems[0]}")
        else:
            passed += 1
            print(f"ok   accepted: {name}")
    return passed, failed


def account_cases(records, bad, good, with_request, with_response, coupon):
    """The account services' bodies (docs/account-services.md), when the recording has them:
    contact data never unmasked, the certificate's payload and signature in shape, the two
    account events checked field by field."""
    if not any(r.get("path") == "/v1/account/lookup" for r in records):
        return
    look = next(r for r in records if r.get("path") == "/v1/account/lookup"
                and r.get("status") == 200 and '"account":true' in r.get("response", "")
                and not r.get("fault"))
    sent = first(records, "POST", "/v1/otp/send", 200)
    cert = first(records, "POST", "/v1/account/certificate", 200)
    wrong = next(r for r in records if r.get("path") == "/v1/otp/verify"
                 and r.get("status") == 403 and "wrong_code" in r.get("response", ""))
    ev = first(records, "POST", "/v1/events", 200)
    lk, ct = json.loads(look["response"]), json.loads(cert["response"])
    contact = {"key": coupon["key"], "seq": 1, "type": "contact.updated", "at": coupon["at"],
               "payload": {"id_type": "CC", "id_number": "1020304050", "phone": "3109998877",
                           "email": None, "address": None, "verified_at": coupon["at"]}}
    mail = {"key": coupon["key"], "seq": 1, "type": "coupon.email_requested", "at": coupon["at"],
            "payload": {"kiosk_id": 1, "seq": 42, "reference": "0001000000000427",
                        "email": "maria.nunez@correo.com", "lang": "es"}}

    def event(e, **payload):
        e = copy.deepcopy(e)
        e["payload"].update(payload)
        return with_request(ev, {"events": [e]})

    bad.update({
        "lookup answer with the phone unmasked": with_response(
            look, dict(lk, channels={"sms": "3001234567", "email": None})),
        "lookup answer with the e-mail unmasked": with_response(
            look, dict(lk, channels={"sms": None, "email": "maria.nunez@correo.com"})),
        "lookup answer without its channels": with_response(
            look, {k: v for k, v in lk.items() if k != "channels"}),
        "otp send answer with the phone unmasked": with_response(
            sent, dict(json.loads(sent["response"]), sent_to="3001234567")),
        "wrong code answer without tries_left": with_response(wrong, {"error": "wrong_code"}),
        "certificate signature not base64 of 64 bytes": with_response(
            cert, dict(ct, signature="abc")),
        "certificate payload of another format": with_response(
            cert, dict(ct, payload=ct["payload"].replace("RCC1|", "RCC2|"))),
        "certificate balance as a string": with_response(cert, dict(ct, balance="0")),
        "contact.updated phone not a mobile": event(contact, phone="123"),
        "contact.updated without verified_at": with_request(ev, {"events": [
            dict(contact, payload={k: v for k, v in contact["payload"].items()
                                   if k != "verified_at"})]}),
        "coupon.email_requested lang fr": event(mail, lang="fr"),
        "coupon.email_requested without its reference": with_request(ev, {"events": [
            dict(mail, payload={k: v for k, v in mail["payload"].items()
                                if k != "reference"})]}),
    })
    good.update({
        "a contact.updated event": event(contact),
        "a contact.updated with only the address": event(
            contact, phone=None, address="Calle 45 # 12-30, Bogotá"),
        "a coupon.email_requested event": event(mail),
        "a lookup of a customer without an account": with_response(look, {"account": False}),
    })


def main(argv):
    spec, expects, minimum, selfcheck, files = SPEC, [], 1, False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--spec":
            spec = argv[i + 1]
            i += 1
        elif a == "--expect":
            expects.append(argv[i + 1])
            i += 1
        elif a == "--min":
            minimum = int(argv[i + 1])
            i += 1
        elif a == "--self-check":
            selfcheck = True
        else:
            files.append(a)
        i += 1
    if not files:
        print(__doc__)
        return 2
    c = Contract(spec)
    records = load(files)
    if selfcheck:
        passed, failed = self_check(c, records)
    else:
        passed, failed = validate(c, records, expects, minimum)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
