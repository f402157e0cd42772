/* idnum — identification documents: types, length rules, the DIAN NIT check digit,
 * display formatting and privacy masking. Pure functions; caller-owned buffers. */
#ifndef RECAUDO_IDNUM_H
#define RECAUDO_IDNUM_H
#include <stdbool.h>
#include <stddef.h>

enum id_type { ID_CC, ID_CE, ID_NIT, ID_PA, ID_TI, ID_PPT, ID_TYPE_COUNT };

/* Short code shown on chips and stored: "CC","CE","NIT","PA","TI","PPT". */
const char *id_type_code(enum id_type t);
/* Parses a short code (case-insensitive). Returns 0 or -1. */
int id_type_parse(const char *code, enum id_type *out);
/* DIAN type code for the API: 13 CC, 22 CE, 31 NIT, 41 PA, 12 TI, 47 PPT/PEP. */
int id_type_dian(enum id_type t);
/* Bounds on the number the customer types (for NIT: the base, without DV). */
int id_min_len(enum id_type t);
int id_max_len(enum id_type t);
/* Whether character c may be typed for this type (digits; PA also A-Z). */
bool id_char_ok(enum id_type t, char c);

/* DIAN check digit of a NIT base (digits only, 1..15 long). Returns 0..9, or -1 if the
 * base is not all digits or has a bad length. */
int nit_check_digit(const char *base);

enum id_error {
	ID_OK = 0,
	ID_ERR_EMPTY,
	ID_ERR_CHARS,     /* a character not allowed for this type */
	ID_ERR_SHORT,
	ID_ERR_LONG,
	ID_ERR_DV,        /* NIT: typed check digit does not match */
};
/* Validates a number for a type. For NIT, `dv` is the typed check digit (-1: none typed,
 * accepted; the screen shows the computed one for confirmation). */
enum id_error id_validate(enum id_type t, const char *number, int dv);

/* "900.123.456-8" from base "900123456" and dv 8 (dv < 0: no "-d" suffix). Groups of three
 * from the right with '.'. */
size_t nit_format(char *buf, size_t n, const char *base, int dv);
/* Shows only the last 4 characters: "••••3456" (U+2022 bullets, 4 of them whatever the
 * length). Numbers of 4 or fewer characters are fully bulleted. */
size_t id_mask(char *buf, size_t n, const char *number);
/* Masks a person's or company's name: first word in full, then the first letter of the
 * second word followed by "*****" ("María Fernanda Núñez" -> "María F*****"). UTF-8 aware
 * (the kept initial may be multi-byte). One-word names: first letter + "*****". */
size_t name_mask(char *buf, size_t n, const char *name);
#endif
