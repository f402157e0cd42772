/* Unit tests for core/speech_words.c: numbers, money and IDs as spoken words. */
#include "check.h"
#include "speech_words.h"

static const char *es(int64_t v)
{
	static char buf[512];
	speech_number(buf, sizeof buf, v, 0);
	return buf;
}

static const char *en(int64_t v)
{
	static char buf[512];
	speech_number(buf, sizeof buf, v, 1);
	return buf;
}

static const char *money(int64_t minor, enum currency cur, int english)
{
	static char buf[512];
	speech_money(buf, sizeof buf, minor, cur, english);
	return buf;
}

static const char *digits(const char *s, int english)
{
	static char buf[512];
	speech_digits(buf, sizeof buf, s, english);
	return buf;
}

static void test_spanish(void)
{
	CHECK_STR(es(0), "cero");
	CHECK_STR(es(1), "uno");
	CHECK_STR(es(9), "nueve");
	CHECK_STR(es(10), "diez");
	CHECK_STR(es(15), "quince");
	CHECK_STR(es(16), "dieciséis");
	CHECK_STR(es(19), "diecinueve");
	CHECK_STR(es(20), "veinte");
	CHECK_STR(es(21), "veintiuno");
	CHECK_STR(es(22), "veintidós");
	CHECK_STR(es(23), "veintitrés");
	CHECK_STR(es(26), "veintiséis");
	CHECK_STR(es(30), "treinta");
	CHECK_STR(es(31), "treinta y uno");
	CHECK_STR(es(45), "cuarenta y cinco");
	CHECK_STR(es(99), "noventa y nueve");
	CHECK_STR(es(100), "cien");
	CHECK_STR(es(101), "ciento uno");
	CHECK_STR(es(115), "ciento quince");
	CHECK_STR(es(121), "ciento veintiuno");
	CHECK_STR(es(200), "doscientos");
	CHECK_STR(es(500), "quinientos");
	CHECK_STR(es(700), "setecientos");
	CHECK_STR(es(900), "novecientos");
	CHECK_STR(es(999), "novecientos noventa y nueve");
	CHECK_STR(es(1000), "mil");
	CHECK_STR(es(1001), "mil uno");
	CHECK_STR(es(1100), "mil cien");
	CHECK_STR(es(2000), "dos mil");
	CHECK_STR(es(21000), "veintiún mil");
	CHECK_STR(es(21021), "veintiún mil veintiuno");
	CHECK_STR(es(31000), "treinta y un mil");
	CHECK_STR(es(100000), "cien mil");
	CHECK_STR(es(101000), "ciento un mil");
	CHECK_STR(es(185400), "ciento ochenta y cinco mil cuatrocientos");
	CHECK_STR(es(999999), "novecientos noventa y nueve mil novecientos noventa y nueve");
	CHECK_STR(es(1000000), "un millón");
	CHECK_STR(es(1000001), "un millón uno");
	CHECK_STR(es(1250000), "un millón doscientos cincuenta mil");
	CHECK_STR(es(2000000), "dos millones");
	CHECK_STR(es(21000000), "veintiún millones");
	CHECK_STR(es(100000000), "cien millones");
	CHECK_STR(es(1000000000), "mil millones");
	CHECK_STR(es(1001000000), "mil un millones");
	CHECK_STR(es(2500000000), "dos mil quinientos millones");
	CHECK_STR(es(1000000000000), "un billón");
	CHECK_STR(es(3000000000005), "tres billones cinco");
	CHECK_STR(es(-5), "menos cinco");
	CHECK_STR(es(-1), "menos uno");
	CHECK_STR(es(INT64_MAX),
		  "nueve trillones doscientos veintitrés mil trescientos setenta y dos billones "
		  "treinta y seis mil ochocientos cincuenta y cuatro millones setecientos setenta "
		  "y cinco mil ochocientos siete");
	CHECK_STR(es(INT64_MIN),
		  "menos nueve trillones doscientos veintitrés mil trescientos setenta y dos "
		  "billones treinta y seis mil ochocientos cincuenta y cuatro millones setecientos "
		  "setenta y cinco mil ochocientos ocho");
}

static void test_english(void)
{
	CHECK_STR(en(0), "zero");
	CHECK_STR(en(1), "one");
	CHECK_STR(en(15), "fifteen");
	CHECK_STR(en(21), "twenty-one");
	CHECK_STR(en(40), "forty");
	CHECK_STR(en(100), "one hundred");
	CHECK_STR(en(101), "one hundred one");
	CHECK_STR(en(999), "nine hundred ninety-nine");
	CHECK_STR(en(1000), "one thousand");
	CHECK_STR(en(1001), "one thousand one");
	CHECK_STR(en(21000), "twenty-one thousand");
	CHECK_STR(en(185400), "one hundred eighty-five thousand four hundred");
	CHECK_STR(en(1000000), "one million");
	CHECK_STR(en(1250000), "one million two hundred fifty thousand");
	CHECK_STR(en(1000000000), "one billion");
	CHECK_STR(en(-42), "minus forty-two");
	CHECK_STR(en(INT64_MIN),
		  "minus nine quintillion two hundred twenty-three quadrillion three hundred "
		  "seventy-two trillion thirty-six billion eight hundred fifty-four million seven "
		  "hundred seventy-five thousand eight hundred eight");
}

static void test_money_es(void)
{
	CHECK_STR(money(0, CUR_COP, 0), "cero pesos");
	CHECK_STR(money(100, CUR_COP, 0), "un peso");
	CHECK_STR(money(200, CUR_COP, 0), "dos pesos");
	CHECK_STR(money(2100, CUR_COP, 0), "veintiún pesos");
	CHECK_STR(money(3100, CUR_COP, 0), "treinta y un pesos");
	CHECK_STR(money(10000, CUR_COP, 0), "cien pesos");
	CHECK_STR(money(100000, CUR_COP, 0), "mil pesos");
	CHECK_STR(money(2100000, CUR_COP, 0), "veintiún mil pesos");
	CHECK_STR(money(18540000, CUR_COP, 0), "ciento ochenta y cinco mil cuatrocientos pesos");
	CHECK_STR(money(100000000, CUR_COP, 0), "un millón de pesos");
	CHECK_STR(money(200000000, CUR_COP, 0), "dos millones de pesos");
	CHECK_STR(money(125000000, CUR_COP, 0), "un millón doscientos cincuenta mil pesos");
	CHECK_STR(money(100000100, CUR_COP, 0), "un millón un pesos");
	CHECK_STR(money(100000000000, CUR_COP, 0), "mil millones de pesos");
	CHECK_STR(money(12350, CUR_COP, 0), "ciento veintitrés pesos con cincuenta centavos");
	CHECK_STR(money(101, CUR_COP, 0), "un peso con un centavo");
	CHECK_STR(money(121, CUR_COP, 0), "un peso con veintiún centavos");
	CHECK_STR(money(50, CUR_COP, 0), "cincuenta centavos");
	CHECK_STR(money(1, CUR_COP, 0), "un centavo");
	CHECK_STR(money(100000050, CUR_COP, 0), "un millón de pesos con cincuenta centavos");
	CHECK_STR(money(-18540000, CUR_COP, 0), "menos ciento ochenta y cinco mil cuatrocientos pesos");
	CHECK_STR(money(245035, CUR_USD, 0),
		  "dos mil cuatrocientos cincuenta dólares con treinta y cinco centavos");
	CHECK_STR(money(100, CUR_USD, 0), "un dólar");
	CHECK_STR(money(2100, CUR_USD, 0), "veintiún dólares");
	CHECK_STR(money(100000000, CUR_USD, 0), "un millón de dólares");
	CHECK_STR(money(1, CUR_USD, 0), "un centavo");
}

static void test_money_en(void)
{
	char buf[32] = "untouched";
	CHECK_STR(money(245035, CUR_USD, 1),
		  "two thousand four hundred fifty dollars and thirty-five cents");
	CHECK_STR(money(100, CUR_USD, 1), "one dollar");
	CHECK_STR(money(1, CUR_USD, 1), "one cent");
	CHECK_STR(money(101, CUR_USD, 1), "one dollar and one cent");
	CHECK_STR(money(0, CUR_USD, 1), "zero dollars");
	CHECK_STR(money(18540000, CUR_COP, 1), "one hundred eighty-five thousand four hundred pesos");
	CHECK_STR(money(100, CUR_COP, 1), "one peso");
	CHECK_STR(money(100000000, CUR_COP, 1), "one million pesos");
	CHECK_STR(money(12350, CUR_COP, 1), "one hundred twenty-three pesos and fifty centavos");
	CHECK_STR(money(-250, CUR_USD, 1), "minus two dollars and fifty cents");
	/* an unknown currency says nothing */
	CHECK_INT(speech_money(buf, sizeof buf, 100, (enum currency)978, 0), 0);
	CHECK_STR(buf, "");
}

static void test_digits(void)
{
	CHECK_STR(digits("4050", 0), "cuatro, cero, cinco, cero");
	CHECK_STR(digits("4050", 1), "four, zero, five, zero");
	CHECK_STR(digits("\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2" "4050", 0),
		  "cuatro ocultos, cuatro, cero, cinco, cero");
	CHECK_STR(digits("\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2" "4050", 1),
		  "four hidden, four, zero, five, zero");
	CHECK_STR(digits("******12", 0), "seis ocultos, uno, dos");
	CHECK_STR(digits("*9", 0), "uno oculto, nueve");
	CHECK_STR(digits("*9", 1), "one hidden, nine");
	CHECK_STR(digits("1.234.567", 0), "uno, dos, tres, cuatro, cinco, seis, siete");
	CHECK_STR(digits("900 123 456-7", 0),
		  "nueve, cero, cero, uno, dos, tres, cuatro, cinco, seis, guion, siete");
	CHECK_STR(digits("12-3", 1), "one, two, dash, three");
	CHECK_STR(digits("pa12", 0), "P, A, uno, dos");
	CHECK_STR(digits("Ñ1", 0), "Ñ, uno");
	CHECK_STR(digits("**\xe2\x80\xa2" "1**2", 0), "tres ocultos, uno, dos ocultos, dos");
	CHECK_STR(digits("", 0), "");
	CHECK_STR(digits(NULL, 0), "");
	CHECK_STR(digits("1\xff" "2", 0), "uno, dos");       /* not UTF-8: skipped */
	CHECK_STR(digits("1\xe2\x80", 0), "uno");             /* a cut sequence too */
}

static void test_truncation(void)
{
	char buf[64];
	const char *full = "ciento ochenta y cinco mil cuatrocientos pesos";
	size_t want = strlen(full);

	/* the return is the whole length; the buffer holds the whole words that fit */
	CHECK_INT(speech_money(buf, sizeof buf, 18540000, CUR_COP, 0), want);
	CHECK_STR(buf, full);
	CHECK_INT(speech_money(buf, 20, 18540000, CUR_COP, 0), want);
	CHECK_STR(buf, "ciento ochenta y");
	CHECK_INT(speech_money(buf, want + 1, 18540000, CUR_COP, 0), want);
	CHECK_STR(buf, full);
	CHECK_INT(speech_money(buf, want, 18540000, CUR_COP, 0), want);
	CHECK_STR(buf, "ciento ochenta y cinco mil cuatrocientos");
	/* never half of "dieciséis" (a two-byte é) */
	CHECK_INT(speech_number(buf, 8, 16, 0), strlen("dieciséis"));
	CHECK_STR(buf, "");
	CHECK_INT(speech_number(buf, 1, 16, 0), strlen("dieciséis"));
	CHECK_STR(buf, "");
	/* n = 0 and a NULL buffer only measure */
	CHECK_INT(speech_number(NULL, 0, 185400, 1), strlen("one hundred eighty-five thousand four hundred"));
	buf[0] = 'x';
	CHECK_INT(speech_number(buf, 0, 7, 0), 5);
	CHECK_INT(buf[0], 'x');
	/* an ID is cut between items, not inside "cuatro ocultos" */
	CHECK_INT(speech_digits(buf, 12, "****40", 0), strlen("cuatro ocultos, cuatro, cero"));
	CHECK_STR(buf, "");
	CHECK_INT(speech_digits(buf, 16, "****40", 0), strlen("cuatro ocultos, cuatro, cero"));
	CHECK_STR(buf, "cuatro ocultos");
	/* the English hyphen is the only place a number is cut at a joint: "eighty" stays */
	CHECK_INT(speech_number(buf, 7, 80, 1), 6);
	CHECK_STR(buf, "eighty");
}

int main(void)
{
	test_spanish();
	test_english();
	test_money_es();
	test_money_en();
	test_digits();
	test_truncation();
	return check_done();
}
