/* Unit tests for drivers/speech.c: espeak-ng on a worker thread, to WAV files (the "wav"
 * backend) and through SDL audio (the "espeak" backend under SDL's disk driver).
 *
 * The engine writes DIR/NNNN.wav for the utterance speech_say numbered NNNN; like the app's
 * harness, this test keeps seq -> text itself and checks each file against what it sent. */
#include "check.h"
#include "speech.h"
#include "tmpdir.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static char root[64];

/* A long text (~900 bytes, about a minute of speech). */
static const char long_es[] =
	"Bienvenido al punto de pago. Para pagar su factura de servicios públicos, acerque el "
	"código de barras al lector o escriba el número de referencia que aparece en la parte "
	"superior del recibo. Si desea consultar su saldo, presione la tecla uno. Si desea pagar "
	"una cuota de su crédito, presione la tecla dos. Si necesita ayuda, presione la tecla "
	"tres y un asesor lo atenderá. Recuerde que el punto de pago recibe billetes de dos mil, "
	"cinco mil, diez mil, veinte mil, cincuenta mil y cien mil pesos, y monedas de cincuenta, "
	"cien, doscientos, quinientos y mil pesos. El punto de pago no entrega cambio en billetes "
	"de cien mil pesos. Al terminar, retire su comprobante y guárdelo. Para repetir este "
	"mensaje, presione la tecla repetir. Para subir o bajar el volumen, use las teclas de "
	"volumen. Gracias por usar nuestro servicio. Que tenga un buen día.";

struct wav {
	int ok;          /* a well-formed RIFF/WAVE PCM 16-bit mono file */
	int rate;
	size_t n;        /* samples */
	int16_t *s;      /* malloc'd, free with free() */
};

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static struct wav read_wav(const char *path)
{
	struct wav w = {0};
	unsigned char h[44];
	long size;
	FILE *f = fopen(path, "rb");
	if (!f)
		return w;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (size >= 44 && fread(h, 1, 44, f) == 44 && !memcmp(h, "RIFF", 4) &&
	    le32(h + 4) == (uint32_t)size - 8 && !memcmp(h + 8, "WAVEfmt ", 8) &&
	    le32(h + 16) == 16 && le16(h + 20) == 1 && le16(h + 22) == 1 && le16(h + 34) == 16 &&
	    le16(h + 32) == 2 && le32(h + 28) == 2 * le32(h + 24) && !memcmp(h + 36, "data", 4) &&
	    le32(h + 40) == (uint32_t)size - 44) {
		w.rate = (int)le32(h + 24);
		w.n = le32(h + 40) / 2;
		w.s = malloc(w.n * 2 + 2);
		if (w.s && fread(w.s, 2, w.n, f) == w.n)
			w.ok = 1;
	}
	fclose(f);
	return w;
}

static int peak(const struct wav *w)
{
	int p = 0;
	for (size_t i = 0; i < w->n; i++)
		p = abs(w->s[i]) > p ? abs(w->s[i]) : p;
	return p;
}

static double secs(const struct wav *w)
{
	return w->rate ? (double)w->n / w->rate : 0;
}

static const char *wav_path(const char *dir, int seq)
{
	static char p[256];
	snprintf(p, sizeof p, "%s/%04d.wav", dir, seq);
	return p;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Files in dir: *.wav (count and the highest number) and leftover dot-files. */
static void scan(const char *dir, int *nwav, int *maxseq, int *ntmp)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*nwav = *maxseq = *ntmp = 0;
	while (d && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			(*ntmp)++;
		else if (l > 4 && !strcmp(e->d_name + l - 4, ".wav")) {
			int seq = (int)strtol(e->d_name, NULL, 10);
			(*nwav)++;
			*maxseq = seq > *maxseq ? seq : *maxseq;
		}
	}
	if (d)
		closedir(d);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *subdir(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", root, name);
	mkdir(p, 0700);
	return p;
}

static struct speech *open_wav(const char *dir, int volume)
{
	char err[200] = "";
	struct speech_config cfg = {.backend = "wav", .wav_dir = dir, .volume = volume};
	struct speech *sp = speech_open(&cfg, err, sizeof err);
	if (!sp)
		fprintf(stderr, "speech_open: %s\n", err);
	return sp;
}

static void test_bad_config(void)
{
	char err[200];
	struct speech_config cfg = {.backend = "festival", .volume = 80};
	struct speech *sp;

	err[0] = 0;
	CHECK(speech_open(&cfg, err, sizeof err) == NULL);
	CHECK(strstr(err, "unknown backend \"festival\"") != NULL);
	err[0] = 0;
	CHECK(speech_open(NULL, err, sizeof err) == NULL);
	CHECK(strstr(err, "no backend") != NULL);
	cfg.backend = "wav";
	err[0] = 0;
	CHECK(speech_open(&cfg, err, sizeof err) == NULL);
	CHECK(strstr(err, "needs wav_dir") != NULL);
	cfg.wav_dir = "/nonexistent/speech";
	err[0] = 0;
	CHECK(speech_open(&cfg, err, sizeof err) == NULL);
	CHECK(strstr(err, "not a writable directory") != NULL);
	cfg.wav_dir = root;
	cfg.rate = 1000;
	err[0] = 0;
	CHECK(speech_open(&cfg, err, sizeof err) == NULL);
	CHECK(strstr(err, "rate 1000") != NULL);
	/* no err buffer is fine too */
	CHECK(speech_open(&cfg, NULL, 0) == NULL);

	/* espeak-ng is one per process: a second engine is refused while one is open */
	cfg.rate = 0;
	sp = speech_open(&cfg, err, sizeof err);
	CHECK(sp != NULL);
	err[0] = 0;
	CHECK(speech_open(&cfg, err, sizeof err) == NULL);
	CHECK(strstr(err, "open already") != NULL);
	speech_close(sp);
	/* ...and accepted again once it closed */
	sp = speech_open(&cfg, err, sizeof err);
	CHECK(sp != NULL);
	speech_close(sp);
	speech_close(NULL);
}

static void test_none(void)
{
	struct speech_config cfg = {.backend = "none", .volume = 50};
	struct speech *sp = speech_open(&cfg, NULL, 0);
	CHECK(sp != NULL);
	if (!sp)
		return;
	CHECK_INT(speech_say(sp, "hola", 0, 0), 1);
	CHECK_INT(speech_say(sp, "hello", 1, 1), 2);
	CHECK_INT(speech_tone(sp, 880, 100), 3);
	CHECK_INT(speech_say(sp, "", 0, 0), SPEECH_ERR_ARG);
	CHECK_INT(speech_say(sp, NULL, 0, 0), SPEECH_ERR_ARG);
	CHECK_INT(speech_busy(sp), 0);
	speech_wait_idle(sp);
	CHECK_INT(speech_volume(sp, 0), 50);
	CHECK_INT(speech_volume(sp, SPEECH_VOLUME_STEP), 60);
	speech_stop(sp);
	speech_close(sp);
	CHECK_INT(speech_say(NULL, "hola", 0, 0), SPEECH_ERR_ARG);
}

/* Spanish and English utterances become plausible WAVs; say() does not wait for synthesis. */
static void test_wav_utterances(void)
{
	const char *dir = subdir("say");
	const char *es = "ciento ochenta y cinco mil cuatrocientos pesos";
	const char *en = "Please scan the barcode on your bill.";
	struct speech *sp = open_wav(dir, 100);
	struct wav w;
	double t0, t1;
	int s1, s2, s3, busy, early, nwav, maxseq, ntmp;

	CHECK(sp != NULL);
	if (!sp)
		return;
	t0 = now();
	s1 = speech_say(sp, es, 0, 0);
	speech_wait_idle(sp);
	t1 = now();
	printf("synthesis of \"%s\" to WAV: %.0f ms\n", es, (t1 - t0) * 1000);
	s2 = speech_say(sp, en, 1, 0);
	speech_wait_idle(sp);
	CHECK_INT(s1, 1);
	CHECK_INT(s2, 2);

	w = read_wav(wav_path(dir, s1));
	CHECK(w.ok);
	CHECK_INT(w.rate, 22050);
	/* 7 words at 160 words a minute: about 2.6 s; espeak-ng's pace varies by word */
	printf("Spanish: %.2f s, peak %d\n", secs(&w), peak(&w));
	CHECK(secs(&w) > 1.5 && secs(&w) < 5.0);
	CHECK(peak(&w) > 4000);
	free(w.s);
	w = read_wav(wav_path(dir, s2));
	CHECK(w.ok);
	CHECK_INT(w.rate, 22050);
	printf("English: %.2f s, peak %d\n", secs(&w), peak(&w));
	CHECK(secs(&w) > 1.2 && secs(&w) < 5.0);
	CHECK(peak(&w) > 4000);
	free(w.s);

	/* three minutes of speech: say() returns while the worker has barely started (each minute
	 * takes tens of ms to synthesise, so the last cannot be written yet) */
	speech_say(sp, long_es, 0, 0);
	speech_say(sp, long_es, 0, 0);
	s3 = speech_say(sp, long_es, 0, 0);
	busy = speech_busy(sp);
	early = exists(wav_path(dir, s3));
	CHECK_INT(s3, 5);
	CHECK_INT(busy, 1);
	CHECK_INT(early, 0);
	t0 = now();
	speech_wait_idle(sp);
	t1 = now();
	CHECK_INT(speech_busy(sp), 0);
	w = read_wav(wav_path(dir, s3));
	CHECK(w.ok);
	printf("long Spanish text (%zu bytes): %.1f s of speech, synthesised in about %.0f ms\n",
	       strlen(long_es), secs(&w), (t1 - t0) * 1000 / 3);
	CHECK(secs(&w) > 30.0 && secs(&w) < 120.0);
	free(w.s);

	scan(dir, &nwav, &maxseq, &ntmp);
	CHECK_INT(nwav, 5);
	CHECK_INT(maxseq, 5);
	CHECK_INT(ntmp, 0);
	speech_close(sp);
}

/* flush drops what is queued and cuts what is being synthesised; stop drops everything. */
static void test_flush_stop(void)
{
	const char *dir = subdir("flush");
	const char *flushed = "Pago aprobado.";
	struct speech *sp = open_wav(dir, 100);
	struct wav w;
	int seq[6], nwav, maxseq, ntmp, full = 0;

	CHECK(sp != NULL);
	if (!sp)
		return;
	for (int i = 0; i < 5; i++)
		seq[i] = speech_say(sp, long_es, 0, 0);
	seq[5] = speech_say(sp, flushed, 0, 1);
	CHECK_INT(seq[5], 6);
	speech_wait_idle(sp);
	scan(dir, &nwav, &maxseq, &ntmp);
	printf("flush: %d of 6 utterances written\n", nwav);
	CHECK(nwav < 6);
	CHECK_INT(maxseq, seq[5]);
	CHECK_INT(ntmp, 0);
	/* the worker takes them in order: what was written is a prefix, then the flushed-in one
	 * (normally only that one: the first long text was cut in synthesis) */
	for (int i = 1; i < 5; i++)
		CHECK(!exists(wav_path(dir, seq[i])) || exists(wav_path(dir, seq[i - 1])));
	CHECK(!exists(wav_path(dir, seq[4])));
	w = read_wav(wav_path(dir, seq[5]));
	CHECK(w.ok);
	CHECK(secs(&w) > 0.5 && secs(&w) < 3.0); /* the short text, not a minute of the long one */
	free(w.s);

	/* stop: nothing of what was queued is written */
	for (int i = 0; i < 3; i++)
		seq[i] = speech_say(sp, long_es, 0, 0);
	seq[3] = speech_say(sp, "Gracias.", 0, 0);
	seq[4] = speech_tone(sp, 440, 300);
	speech_stop(sp);
	speech_wait_idle(sp);
	CHECK(!exists(wav_path(dir, seq[2])));
	CHECK(!exists(wav_path(dir, seq[3])));
	CHECK(!exists(wav_path(dir, seq[4])));
	scan(dir, &nwav, &maxseq, &ntmp);
	CHECK_INT(maxseq, seq[5]);
	CHECK_INT(ntmp, 0);
	/* and it speaks again afterwards */
	seq[5] = speech_say(sp, "Gracias.", 0, 0);
	CHECK_INT(seq[5], seq[4] + 1);
	speech_wait_idle(sp);
	CHECK(exists(wav_path(dir, seq[5])));

	/* a bounded queue: one item on the worker plus SPEECH_QUEUE_MAX waiting */
	for (int i = 0; i < SPEECH_QUEUE_MAX + 8; i++)
		if (speech_say(sp, long_es, 0, 0) == SPEECH_ERR_FULL)
			full++;
	printf("queue: %d of %d refused\n", full, SPEECH_QUEUE_MAX + 8);
	CHECK(full >= 1); /* 7 or 8: one may be on the worker already */
	CHECK(full <= 8);
	/* a flush always finds room */
	CHECK(speech_say(sp, "Hola.", 0, 1) > 0);
	speech_stop(sp);
	speech_close(sp);
}

/* The rate in words per minute reaches espeak-ng: twice as fast, about half as long. */
static void test_rate(void)
{
	const char *dir = subdir("rate");
	const char *text = "ciento ochenta y cinco mil cuatrocientos pesos";
	struct speech_config cfg = {.backend = "wav", .wav_dir = dir, .volume = 100, .rate = 320};
	struct speech *sp = speech_open(&cfg, NULL, 0);
	struct wav w;
	int seq;

	CHECK(sp != NULL);
	if (!sp)
		return;
	seq = speech_say(sp, text, 0, 0);
	speech_wait_idle(sp);
	speech_close(sp);
	w = read_wav(wav_path(dir, seq));
	CHECK(w.ok);
	printf("at 320 words a minute: %.2f s\n", secs(&w));
	CHECK(secs(&w) > 0.8 && secs(&w) < 2.2); /* 3.1 s at the default 160 */
	free(w.s);
}

static int crossings(const struct wav *w)
{
	int c = 0;
	for (size_t i = 1; i < w->n; i++)
		c += (w->s[i - 1] < 0) != (w->s[i] < 0);
	return c;
}

static void test_tone_volume(void)
{
	const char *dir = subdir("tone");
	const char *text = "Su pago fue recibido.";
	struct speech *sp = open_wav(dir, 100);
	struct wav w, loud, soft, mute;
	int t, a, b, c;

	CHECK(sp != NULL);
	if (!sp)
		return;
	t = speech_tone(sp, 440, 500);
	CHECK_INT(speech_tone(sp, 10, 500), SPEECH_ERR_ARG);
	CHECK_INT(speech_tone(sp, 440, 0), SPEECH_ERR_ARG);
	speech_wait_idle(sp);
	w = read_wav(wav_path(dir, t));
	CHECK(w.ok);
	CHECK_INT(w.n, 11025);
	/* half of full scale, 440 Hz: 880 sign changes a second */
	CHECK(peak(&w) > 16000 && peak(&w) <= 16384);
	CHECK(crossings(&w) >= 430 && crossings(&w) <= 450);
	free(w.s);

	a = speech_say(sp, text, 0, 0);
	speech_wait_idle(sp);
	CHECK_INT(speech_volume(sp, -70), 30);
	b = speech_say(sp, text, 0, 0);
	speech_wait_idle(sp);
	CHECK_INT(speech_volume(sp, -5 * SPEECH_VOLUME_STEP), 0);
	c = speech_say(sp, text, 0, 0);
	speech_wait_idle(sp);
	CHECK_INT(speech_volume(sp, 500), 100);
	CHECK_INT(speech_volume(sp, 0), 100);

	loud = read_wav(wav_path(dir, a));
	soft = read_wav(wav_path(dir, b));
	mute = read_wav(wav_path(dir, c));
	CHECK(loud.ok && soft.ok && mute.ok);
	/* the same text at 30 %: espeak-ng varies its output a little from run to run (a peak
	 * within a few per cent), so the ratio is checked loosely */
	printf("peaks at 100/30/0: %d %d %d\n", peak(&loud), peak(&soft), peak(&mute));
	CHECK(peak(&loud) > 4000);
	CHECK(peak(&soft) * 100 >= peak(&loud) * 24 && peak(&soft) * 100 <= peak(&loud) * 36);
	CHECK_INT(peak(&mute), 0);
	CHECK(mute.n > 0);
	free(loud.s);
	free(soft.s);
	free(mute.s);
	speech_close(sp);
}

/* The "espeak" backend through SDL audio, under SDL's disk driver (a file of raw samples,
 * written in real time). */
static void test_sdl_disk(void)
{
	char err[200] = "";
	char raw[160];
	const char *dir = subdir("sdl");
	struct speech_config cfg = {.backend = "espeak", .volume = 100};
	struct speech *sp;
	FILE *f;
	long size = 0, loud = 0;
	double t0, t1;

	snprintf(raw, sizeof raw, "%s/out.raw", dir);
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", raw, 1);
	sp = speech_open(&cfg, err, sizeof err);
	if (!sp)
		fprintf(stderr, "speech_open(espeak): %s\n", err);
	CHECK(sp != NULL);
	if (!sp)
		return;
	CHECK(speech_say(sp, "Hola.", 0, 0) > 0);
	CHECK_INT(speech_busy(sp), 1);
	speech_wait_idle(sp);
	CHECK_INT(speech_busy(sp), 0);

	/* a minute of speech, stopped after a moment: wait_idle returns long before a minute */
	t0 = now();
	CHECK(speech_say(sp, long_es, 0, 0) > 0);
	{
		struct timespec ts = {0, 300 * 1000000L};
		nanosleep(&ts, NULL);
	}
	CHECK_INT(speech_busy(sp), 1);
	speech_stop(sp);
	speech_wait_idle(sp);
	t1 = now();
	CHECK(t1 - t0 < 10.0);
	speech_close(sp);

	f = fopen(raw, "rb");
	CHECK(f != NULL);
	if (f) {
		int16_t buf[4096];
		size_t k;
		while ((k = fread(buf, 2, 4096, f)) > 0) {
			size += (long)k;
			for (size_t i = 0; i < k; i++)
				loud += abs(buf[i]) > 2000;
		}
		fclose(f);
	}
	printf("SDL disk audio: %ld samples, %ld loud\n", size, loud);
	CHECK(size > 22050 / 2);
	CHECK(loud > 1000);
	unsetenv("SDL_AUDIODRIVER");
	unsetenv("SDL_DISKAUDIOFILE");
}

/* espeak-ng without its data: open fails with the reason. In a child process, before any
 * engine: espeak-ng 1.51 loads once per process (drivers/speech.c, espeak_start). */
static void test_no_data(void)
{
	const char *dir = subdir("nodata");
	char data[160];
	int status = 0;
	pid_t pid;

	snprintf(data, sizeof data, "%s/espeak-ng-data", dir);
	mkdir(data, 0700);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char err[200] = "";
		struct speech_config cfg = {.backend = "wav", .wav_dir = dir, .volume = 100};
		struct speech *sp;
		setenv("ESPEAK_DATA_PATH", dir, 1);
		sp = speech_open(&cfg, err, sizeof err);
		printf("without data: %s\n", err);
		fflush(stdout);
		_exit(sp == NULL && strncmp(err, "speech: espeak-ng: ", 19) == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	snprintf(root, sizeof root, "/tmp/test_speech.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	test_no_data();
	test_bad_config();
	test_none();
	test_wav_utterances();
	test_flush_stop();
	test_tone_volume();
	test_rate();
	test_sdl_disk();
	tmpdir_remove(root);
	return check_done();
}
