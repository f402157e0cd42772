#!/bin/sh
# Spoken guidance into WAV files (docs/accessibility.md): a journey with headphones configured
# ([accessibility] headphones = default) runs headless with --speech-wav at both sizes.
# tests/speech/headphones.script asserts what each screen made speech say (the harness records
# the text it sent: amounts in words, the masked ID digit by digit, the focused controls);
# then every WAV file must be a valid 22050 Hz 16-bit mono PCM file of plausible length for
# its text, not silent, and said.tsv must name the text of each one.
# Usage: test_speech.sh TMPDIR   (RECAUDO_BIN and RECAUDO_START come from tests/run.sh)
set -u
t=$1
bin=${RECAUDO_BIN:-build/recaudo}
start=${RECAUDO_START:-1795359600}
rm -rf "$t"
mkdir -p "$t"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

printf '[accessibility]\nheadphones = default\nvolume = 70\n' >"$t/kiosk.ini"
for size in 1080x1920 1280x800; do
  w="$t/wav-$size"
  mkdir -p "$w"
  "$bin" --headless --demo --config "$t/kiosk.ini" --data "$t/d-$size" --size "$size" --start "$start" \
    --script tests/speech/headphones.script --shots "$t/shots-$size" --speech-wav "$w" >"$t/out" 2>"$t/err"
  check '[ $? -eq 0 ]' "$size: $(grep -v '^recaudo: [cr]' "$t/err" | tail -n 5)"
  python3 - "$w" >"$t/py" 2>&1 <<'PY'
import os, sys, wave, struct
d = sys.argv[1]
said = {}
for line in open(os.path.join(d, "said.tsv"), encoding="utf-8"):
    seq, text = line.rstrip("\n").split("\t", 1)
    said[seq] = text
wavs = sorted(f for f in os.listdir(d) if f.endswith(".wav"))
errors = []
if len(wavs) < 25:
    errors.append("only %d WAV files" % len(wavs))
for f in wavs:
    seq = f[:-4]
    text = said.get(seq)
    if text is None:
        errors.append("%s: not in said.tsv" % f)
        continue
    with wave.open(os.path.join(d, f)) as w:
        if (w.getframerate(), w.getsampwidth(), w.getnchannels()) != (22050, 2, 1):
            errors.append("%s: format %s" % (f, (w.getframerate(), w.getsampwidth(), w.getnchannels())))
            continue
        n = w.getnframes()
        frames = w.readframes(n)
    secs = n / 22050.0
    peak = max(abs(v) for v in struct.unpack("<%dh" % n, frames)) if n else 0
    if text == "[tono]":
        if not 0.3 <= secs <= 0.5:
            errors.append("%s: tone of %.2f s" % (f, secs))
    else:
        # espeak-ng at ~160 words a minute: at least ~1 s per 40 characters, some speech
        if secs < 0.25 or secs < len(text) / 40.0 * 0.5:
            errors.append("%s: %.2f s for %d characters: %s" % (f, secs, len(text), text[:60]))
    if peak < 1000:
        errors.append("%s: silent (peak %d)" % (f, peak))
for want in ("[tono]", "Seleccione al menos un documento", "¿Necesita más tiempo?",
             "Guía por voz activada", "Ingrese su documento", "Hola, María F.",
             "ciento ochenta y cinco mil cuatrocientos pesos", "Su cupón está listo", "Gracias por su pago"):
    if not any(want in said.get(f[:-4], "") for f in wavs):
        errors.append("no WAV says %r" % want)
print("\n".join(errors) if errors else "%d WAV files ok" % len(wavs))
sys.exit(1 if errors else 0)
PY
  check '[ $? -eq 0 ]' "$size: $(cat "$t/py")"
  # nothing of what was said reaches the log
  check '! grep -q "María\|cuatrocientos\|1020304050" "$t/err"' "$size: personal data in the log"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
