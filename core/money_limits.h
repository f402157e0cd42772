/* money_limits — the largest amount each field may hold, in one place.
 *
 * Every amount the kiosk accepts (from a portfolio import or from the central API) must be
 * payable through every path and must fit on the screen and on paper. The carriers, and the
 * largest amount each one can hold:
 *
 *   pay-by-phone QR, EMVCo tag 54 ....... 13 characters, whole pesos: 9.999.999.999.999
 *   bank coupon GS1-128, AI (3900) ....... 15 digits, whole pesos:    999.999.999.999.999
 *   signed coupon QR, field A ............ 18 digits of centavos:     9.999.999.999.999.999,99
 *   store (every amount column) .......... 9e15 centavos (below 2^53): 90.000.000.000.000
 *   the reference ........................ carries no amount (kiosk, sequence, check digit)
 *
 * The tightest is EMVCo tag 54, so a coupon's total (and therefore any one COP document) is
 * at most 9.999.999.999.999 pesos: 13 digits, "$ 9.999.999.999.999" on screen and paper.
 *
 * A USD document is paid in pesos at the TRM in force, and the TRM a document will meet is
 * not known when it is accepted (a newer TRM comes with the next import or sync). Every rate
 * the kiosk accepts is at most MONEY_TRM_MAX, so a USD amount is accepted only if it is
 * payable at that highest rate: at most USD 9,999,999.99, since
 * 999.999.999 cents x 1.000.000,00 COP/USD = 9.999.999.990.000 pesos <= MONEY_MAX_PESOS.
 * The rule is the same for the importer and the API parser, whatever TRMs come with the data.
 *
 * A selection of several documents can still add up to more than one coupon carries: the
 * portfolio screen refuses the document that would take the total over MONEY_MAX_COP_MINOR,
 * and says so with the maximum. */
#ifndef RECAUDO_MONEY_LIMITS_H
#define RECAUDO_MONEY_LIMITS_H
#include <stdint.h>

/* Whole pesos on one coupon: EMVCo tag 54 holds 13 characters. */
#define MONEY_MAX_PESOS INT64_C(9999999999999)
#define MONEY_MAX_DIGITS 13
/* A coupon's total, and a COP document's invoice, balance and minimum, in centavos. */
#define MONEY_MAX_COP_MINOR (MONEY_MAX_PESOS * 100)
/* The highest TRM accepted, COP centavos per USD (1.000.000,00: an absurd rate). */
#define MONEY_TRM_MAX INT64_C(100000000)
/* A USD document's invoice, balance and minimum, in cents: payable at MONEY_TRM_MAX. */
#define MONEY_MAX_USD_CENTS INT64_C(999999999)

_Static_assert(MONEY_MAX_USD_CENTS * MONEY_TRM_MAX / 10000 <= MONEY_MAX_PESOS,
	       "the largest USD amount must be payable at the highest TRM");
_Static_assert((MONEY_MAX_USD_CENTS + 1) * MONEY_TRM_MAX / 10000 > MONEY_MAX_PESOS,
	       "MONEY_MAX_USD_CENTS is the largest that is");
_Static_assert(MONEY_MAX_COP_MINOR <= INT64_C(9000000000000000), "the store holds it");
_Static_assert(MONEY_MAX_PESOS <= INT64_C(999999999999999), "GS1 (3900) holds it");

/* The largest amount of a document in currency cur (170 COP, 840 USD); 0 for another. */
static inline int64_t money_max_minor(int cur)
{
	return cur == 170 ? MONEY_MAX_COP_MINOR : cur == 840 ? MONEY_MAX_USD_CENTS : 0;
}
#endif
