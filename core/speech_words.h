/* speech_words — what the kiosk says aloud for numbers, money and IDs, in Spanish and English.
 *
 * Text for a speech synthesiser (drivers/speech.h), not for a screen: "185400" becomes
 * "ciento ochenta y cinco mil cuatrocientos", an amount becomes "... pesos", an ID shown as
 * "••••4050" becomes "cuatro ocultos, cuatro, cero, cinco, cero". Spanish follows the RAE:
 * "uno" alone and "un" before a noun or a scale ("un peso", "veintiún mil", "un millón"),
 * "cien"/"ciento", "mil" (never "un mil"), "millón/millones", "mil millones", long-scale
 * "billón" (10^12) and "trillón" (10^18), "de" after whole millions ("un millón de pesos").
 * English is American: "one hundred eighty-five thousand four hundred" (no "and").
 *
 * Every function writes into a caller-owned buffer, never allocates, always NUL-terminates
 * (when n > 0) and returns the length of the whole text as snprintf would: a result >= n means
 * it was cut, and a cut text ends on a whole word (never half a UTF-8 character). Output is
 * UTF-8. The whole int64_t range is spoken; 256 bytes hold any amount. */
#ifndef RECAUDO_SPEECH_WORDS_H
#define RECAUDO_SPEECH_WORDS_H
#include <stddef.h>
#include <stdint.h>

#include "money.h"

/* Cardinal number: 0 "cero"/"zero", 1 "uno"/"one", 21 "veintiuno", 1000 "mil",
 * -5 "menos cinco"/"minus five". english: 0 Spanish, else English. */
size_t speech_number(char *out, size_t n, int64_t v, int english);

/* An amount in minor units (money.h: centavos/cents, exponent 2), read as money:
 *   COP  18540000 -> "ciento ochenta y cinco mil cuatrocientos pesos"
 *   COP     12350 -> "ciento veintitrés pesos con cincuenta centavos"
 *   COP 100000000 -> "un millón de pesos";   COP 100 -> "un peso";   COP 50 -> "cincuenta centavos"
 *   USD    245035 -> "dos mil cuatrocientos cincuenta dólares con treinta y cinco centavos"
 *                    / "two thousand four hundred fifty dollars and thirty-five cents"
 *   English COP     -> "... pesos and fifty centavos"; negative amounts start "menos"/"minus".
 * COP is read exactly as given: pass money_round_pesos(minor) to say what a screen shows.
 * An unknown currency gives "" and returns 0. */
size_t speech_money(char *out, size_t n, int64_t minor, enum currency cur, int english);

/* An ID as shown on screen, character by character, separated by ", " (a short pause):
 *   "4050"      -> "cuatro, cero, cinco, cero" / "four, zero, five, zero"
 *   "••••4050"  -> "cuatro ocultos, cuatro, cero, cinco, cero" / "four hidden, four, ..."
 * A run of mask characters ("•" U+2022 or "*") is said once, as a count ("uno oculto",
 * "one hidden"); a letter is said as itself ("P"), upper-cased; "-" is "guion"/"dash";
 * dots, commas and spaces are skipped, as is any other ASCII punctuation. Other UTF-8
 * characters ("Ñ") are said as themselves. NULL reads as "". */
size_t speech_digits(char *out, size_t n, const char *s, int english);
#endif
